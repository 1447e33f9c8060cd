/**
 * Practise a word: check the answer, rate it, schedule the card with the learner's
 * FSRS weights, pay XP, move the adaptive model, record the error, and award what
 * it earned, in one atomic batch. The card write is conditional on the version
 * that was read, so when two answers to one card race, the loser writes nothing
 * and is redone on the winner's card (never a lost review, never a double one).
 */
import { localDate } from "../domain/calendar.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localized } from "../domain/localize.ts";
import {
  learnerSchedulerOptions,
  memoryView,
  RATING_NAMES,
  ratingFor,
  retrievability,
  review,
  type SelfRating,
} from "../domain/spaced_repetition.ts";
import {
  checkPracticeAnswer,
  type Direction,
  practiceFeedback,
} from "../domain/vocabulary_practice.ts";
import { practiceXp } from "../domain/xp.ts";
import { cardState, loadPractice, reviewStatements } from "../db/vocabulary_cards.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { abilityUpdates } from "./ability_updates.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { modelFitter } from "./model_fitting.ts";
import { rowsChanged, runWriteBatch } from "./write_batch.ts";

/** Times an answer is redone after losing a race for its card. */
const RACE_RETRIES = 50;

export interface WordAnswer {
  vocabularyId: string;
  userAnswer: string;
  direction: Direction;
  /** The learner's own rating; else it is derived from correctness, typos and speed. */
  difficulty?: SelfRating;
  responseTimeMs: number;
}

export async function practiseWord(deps: ActionDeps, user: Learner, input: WordAnswer) {
  const { db, clock, config, locale } = deps;
  const { vocabularyId } = input;
  for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
    const loaded = await loadPractice(db, {
      userId: user.id,
      vocabularyId,
      answerKey: answerKey(input.userAnswer),
      locale,
    });
    if (!loaded || loaded.word.status !== "published") throw notFound("Vocabulary item");
    const { word, language } = loaded;
    const options = learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, loaded.parameters);
    const check = checkPracticeAnswer(word, input.userAnswer, {
      direction: input.direction,
      locale,
      targetArticles: language.optionalArticles,
    });
    const previous = loaded.card ? cardState(loaded.card) : null;
    const rating = ratingFor({
      correct: check.correct,
      forgiven: check.forgiven,
      selfRating: input.difficulty,
      responseTimeMs: input.responseTimeMs,
      expectedLength: [...check.expected].length,
    });
    const now = clock.now();
    const outcome = review(previous, { rating, correct: check.correct }, now, options);
    const xp = practiceXp({
      correct: check.correct,
      difficulty: outcome.card.difficulty,
      retrievabilityBefore: outcome.retrievabilityBefore,
      firstCorrect: check.correct && (previous?.correctCount ?? 0) === 0,
      isNew: previous === null,
      early: previous !== null && previous.nextReview.getTime() > now.getTime(),
    });
    const confused = !check.correct
      ? loaded.confusions.find((w) => w.id !== word.id) ?? null
      : null;
    const model = abilityUpdates(db, {
      userId: user.id,
      languageId: word.languageId,
      abilities: loaded.abilities,
      items: loaded.items,
      answered: [{
        itemId: vocabularyId,
        itemType: "vocabulary",
        skill: "vocabulary",
        prior: {
          level: word.level,
          frequencyRank: word.frequencyRank,
          length: [...word.word].length,
        },
        score: check.correct ? 1 : 0,
        correct: check.correct,
      }],
      now,
    }, { afterConditionalWrite: true });
    const awards = awardPlan(deps, user);
    const written = await runWriteBatch(db, {
      review: reviewStatements(db, {
        userId: user.id,
        vocabularyId,
        previous,
        next: outcome.card,
        rating,
        stateBefore: outcome.log.stateBefore,
        correct: check.correct,
        userAnswer: input.userAnswer.slice(0, 200),
        responseTimeMs: Math.round(input.responseTimeMs),
        elapsedDays: outcome.log.elapsedDays,
        scheduledDays: outcome.log.scheduledDays,
        now,
        error: check.correct ? undefined : {
          questionType: input.direction === "to_target"
            ? "translation_to_target"
            : "translation_to_native",
          errorKind: confused ? "wrong_meaning" : "wrong",
          expected: check.expected,
        },
        activity: {
          userId: user.id,
          kind: "practice",
          skill: "vocabulary",
          languageId: word.languageId,
          refId: vocabularyId,
          correct: check.correct ? 1 : 0,
          total: 1,
          score: check.correct ? 100 : 0,
          durationSeconds: Math.round(input.responseTimeMs / 1000),
          xp,
          occurredAt: now,
          localDate: localDate(now, user.timezone),
        },
      }),
      model: model.statements,
      awards: awards.statements,
    });
    // Another review of this card won the race: redo with its result.
    if (rowsChanged(written.review[0]) !== 1) continue;
    modelFitter(db, clock).notice(user.id); // in memory; any fit runs after this answer
    const awarded = await awards.finish(written.awards, now);
    const feedback = practiceFeedback(
      check,
      input.userAnswer,
      confused
        ? { word: confused.word, translation: localized(confused.translation, locale) }
        : null,
    );
    return {
      vocabulary_id: vocabularyId,
      correct: check.correct,
      verdict: check.verdict,
      your_answer: input.userAnswer,
      expected_answer: check.expected,
      feedback: localized(feedback, locale),
      confused_with: confused ? { vocabulary_id: confused.id, word: confused.word } : null,
      rating: RATING_NAMES[rating],
      next_review: outcome.card.nextReview.toISOString(),
      interval_days: outcome.intervalDays,
      retrievability: Math.round(retrievability(outcome.card, now, options) * 1000) / 1000,
      xp_earned: xp,
      card: memoryView(outcome.card, now, options),
      ...awarded,
    };
  }
  throw new ApiError(
    "CONFLICT",
    "This word is being reviewed elsewhere at the same moment; try again",
  );
}
