/**
 * Answer a grammar topic's exercises: check each answer against the topic, grade
 * the set, move the adaptive model, pay what is unpaid today (and the mastery
 * bonus once ever), record the wrong answers, and award what it earned, in one
 * atomic batch.
 */
import { loadGrammarTopic } from "../db/catalog.ts";
import { errorStatements } from "../db/error_events.ts";
import { type Credit, creditStatements, EVER, PaidXp } from "../db/item_credits.ts";
import { grammarPracticeStatements } from "../db/learning_records.ts";
import { localDate } from "../domain/calendar.ts";
import {
  answerSetProblems,
  exerciseErrorKind,
  exerciseFeedback,
  gradeExerciseSet,
} from "../domain/exercise_checking.ts";
import { localized } from "../domain/localize.ts";
import { GRAMMAR_ANSWER_XP, GRAMMAR_MASTERY_XP, grammarXp, repeatXp } from "../domain/xp.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { abilityUpdates } from "./ability_updates.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

export interface GrammarAnswers {
  topicId: string;
  answers: readonly { exerciseId: string; answer: string | string[] }[];
  /** Seconds spent on the set. */
  timeSpentSeconds: number;
}

export async function answerGrammar(deps: ActionDeps, user: Learner, input: GrammarAnswers) {
  const { db, clock, locale } = deps;
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const found = await loadGrammarTopic(db, input.topicId, user.id, today);
  if (!found || found.topic.status !== "published") throw notFound("Grammar topic");
  const { topic } = found;
  const answers = input.answers.map((a) => ({ exercise_id: a.exerciseId, answer: a.answer }));
  const exercises = new Map(found.exercises.map((e) => [e.id, e]));
  const problems = answerSetProblems(answers, exercises, "Not an exercise of this topic");
  if (problems.length) {
    throw badRequest("Some answers do not match this topic's exercises", problems);
  }

  const graded = gradeExerciseSet(found.exercises, answers);
  const answered = graded.results.map((r) => ({
    result: r,
    exercise: exercises.get(r.exercise_id)!,
  }));
  // Every answer updates the learner's grammar ability and the exercise's difficulty.
  const model = abilityUpdates(db, {
    userId: user.id,
    languageId: topic.languageId,
    abilities: found.abilities,
    items: found.items,
    answered: answered.map(({ result, exercise }) => ({
      itemId: exercise.id,
      itemType: "grammar_exercise" as const,
      skill: "grammar" as const,
      prior: { level: topic.level, type: exercise.type, length: exercise.answer.length },
      score: result.correct ? 1 : 0,
      correct: result.correct,
    })),
    now,
  });
  // A right answer pays once a day per exercise; the mastery bonus once ever. The
  // ledger pays what the batch finds unpaid (parallel repeats pay once); the
  // response tells what was unpaid when the request read it.
  const firstMastery = graded.mastered && !found.progress?.masteredAt;
  const credits: Credit[] = graded.results.filter((r) => r.correct)
    .map((r) => ({ key: `exercise:${r.exercise_id}`, xp: GRAMMAR_ANSWER_XP, localDate: today }))
    .concat(
      firstMastery
        ? [{ key: `mastery:topic:${topic.id}`, xp: GRAMMAR_MASTERY_XP, localDate: EVER }]
        : [],
    );
  const xp = grammarXp(
    credits.filter((k) => k.localDate === today)
      .map((k) => repeatXp(k.xp, found.paidToday.get(k.key) ?? 0)),
    firstMastery,
  );
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    // The activity's XP is what the credits below find unpaid, so it comes before them.
    practice: grammarPracticeStatements(db, {
      userId: user.id,
      topicId: topic.id,
      score: graded.score,
      mastered: graded.mastered,
      now,
      activity: {
        userId: user.id,
        kind: "exercise",
        skill: "grammar",
        languageId: topic.languageId,
        refId: topic.id,
        correct: graded.correct,
        total: graded.total,
        score: graded.score,
        durationSeconds: input.timeSpentSeconds,
        xp: new PaidXp(credits),
        occurredAt: now,
        localDate: today,
      },
    }),
    errors: errorStatements(
      db,
      user.id,
      answered.filter(({ result }) => !result.correct).map(({ result, exercise }) => ({
        source: "exercise",
        questionType: exercise.type,
        errorKind: exerciseErrorKind(exercise.type, result.error),
        grammarTopic: topic.id,
        languageId: topic.languageId,
        given: result.your_answer.slice(0, 200),
        expected: result.correct_answer,
      })),
      now,
    ),
    model: model.statements,
    credits: creditStatements(db, user.id, credits),
    awards: awards.statements,
  });
  const awarded = await awards.finish(written.awards, now);
  return {
    topic_id: topic.id,
    results: graded.results.map((r) => ({
      ...r,
      explanation: localized(r.explanation, locale),
      feedback: localized(exerciseFeedback(r), locale),
    })),
    correct: graded.correct,
    total: graded.total,
    score: graded.score,
    mastered: graded.mastered,
    xp_earned: xp,
    ...awarded,
  };
}
