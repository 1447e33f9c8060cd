/**
 * An adaptive practice set: grammar exercises and words the learner has not
 * started, chosen so that the model's predicted success is closest to the
 * learner's target rate, easiest first, never with answers. Reads: the
 * language lookup when one is named or the current course's language, then the
 * pool in one round trip.
 */
import { abilityFor } from "../db/ability_records.ts";
import { loadPracticePool } from "../db/adaptive_learning.ts";
import { currentLanguageId } from "../db/catalog.ts";
import { abilitiesReport, exercisePrior, wordPrior } from "../domain/ability_model.ts";
import {
  exerciseQuota,
  selectByTargetSuccess,
  targetSuccessRate,
} from "../domain/adaptive_selection.ts";
import { addDays, localDate } from "../domain/calendar.ts";
import { hashSeed, seededRandom } from "../domain/random.ts";
import { exerciseView } from "../http/content_views.ts";
import { notFound } from "../http/errors.ts";
import { languageIdOr404 } from "../http/lookups.ts";
import type { ActionDeps, Learner } from "./deps.ts";

/** Exercises answered right within this many local days (today included) step back. */
const RECENT_DAYS = 3;
/** At most this many exercises of one grammar topic in a practice set. */
export const PER_TOPIC = 2;

const round = (x: number) => Math.round(x * 1000) / 1000;

export interface PracticeRequest {
  /** A language code or id; else the current course's, else the first target language. */
  language?: string;
  size: number;
}

/** The set (`items`, the response's `data`) and what it was chosen for (`meta`). */
export async function practiceSet(deps: ActionDeps, user: Learner, input: PracticeRequest) {
  const { db, clock, locale } = deps;
  const { size } = input;
  const languageId = (await languageIdOr404(db, input.language)) ??
    (await currentLanguageId(db, user.id)) ?? user.targetLanguages[0] ?? null;
  if (!languageId) throw notFound("A language to practise (pass ?language=)");
  const now = clock.now();
  const pool = await loadPracticePool(db, {
    userId: user.id,
    languageId,
    sinceDay: addDays(localDate(now, user.timezone), 1 - RECENT_DAYS),
  });
  const target = targetSuccessRate(user.preferences.target_success_rate);
  const stored = new Map(pool.difficulties.map((d) => [d.itemId, d.difficulty]));
  const started = new Set(pool.cards.map((card) => card.vocabularyId));
  const vocabularyAbility = abilityFor(pool.abilities, "vocabulary");
  const grammarAbility = abilityFor(pool.abilities, "grammar");
  const random = seededRandom(hashSeed(`${user.id}:${now.toISOString()}`));
  const exercises = pool.exercises.map(({ exercise, topic }) => ({
    id: exercise.id,
    group: topic.id,
    exercise,
    difficulty: stored.get(exercise.id) ?? exercisePrior(topic.level, exercise),
  }));
  const words = pool.words.filter(({ word }) => !started.has(word.id)).map(({ word }) => ({
    id: word.id,
    word,
    difficulty: stored.get(word.id) ?? wordPrior(word),
  }));
  const pickedExercises = selectByTargetSuccess(exercises, grammarAbility.theta, {
    target,
    size: exerciseQuota(size, { exercises: exercises.length, words: words.length }),
    random,
    perGroup: PER_TOPIC,
    recent: pool.recentlyRight,
  });
  const pickedWords = selectByTargetSuccess(words, vocabularyAbility.theta, {
    target,
    size: size - pickedExercises.length,
    random,
  });
  const items = [
    ...pickedExercises.map(({ item, predicted }) => ({
      kind: "grammar_exercise" as const,
      item_id: item.id,
      predicted_success: round(predicted),
      difficulty: round(item.difficulty),
      answer_with: `POST /api/grammar/${item.group}/exercise`,
      prompt: exerciseView(item.exercise, locale),
    })),
    ...pickedWords.map(({ item, predicted }) => ({
      kind: "vocabulary" as const,
      item_id: item.id,
      predicted_success: round(predicted),
      difficulty: round(item.difficulty),
      answer_with: `POST /api/vocabulary/${item.id}/practice`,
      prompt: {
        direction: "to_native" as const,
        text: item.word.word,
        reading: item.word.reading,
        romanization: item.word.romanization,
        level: item.word.level,
        instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
      },
    })),
  ].sort((a, b) => b.predicted_success - a.predicted_success);
  return {
    items,
    meta: {
      total: items.length,
      language_id: languageId,
      target_success_rate: target,
      expected_success: items.length
        ? round(items.reduce((s, i) => s + i.predicted_success, 0) / items.length)
        : null,
      abilities: abilitiesReport(vocabularyAbility, grammarAbility),
    },
  };
}
