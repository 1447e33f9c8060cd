/**
 * XP rules. Harder and weaker work earns more, repetition earns less:
 *
 * | action | XP |
 * |---|---|
 * | lesson mastered for the first time | 20 + 10 per CEFR step above A1, +5 for a score of 100 |
 * | lesson repeated, or completed below mastery | 5, once per lesson per day |
 * | grammar exercise | 2 per right answer; +5 when the topic is first mastered (≥ 80%) |
 * | vocabulary review | 0 for a miss or a hit before the card was due; 2 for a hit, +1 hard word, +1 weak word, +1 first recall |
 * | pronunciation attempt | 0 without a score (see judgePronunciation) or below 80; 2 from 80, 3 from 95; once per word per day |
 * | translation | 3 when correct, 1 for a score of 70 or more, else 0; +5 when first mastered (≥ 90) |
 * | writing | 5 when the checks pass, else 2; only for a substantive text (below), once per text |
 * | quiz | see domain/quiz_attempts.ts (bounded by the attempt limit) |
 *
 * **Once a day per item.** A grammar exercise, a translation, a lesson and a
 * written text pay at most their value once per learner-local day: a repeat the
 * same day pays only what it adds over the best that day (a close translation
 * then a right one: 1 then 2; the same right answer again: 0). First-mastery
 * bonuses are paid once ever. Writing pays for at most
 * {@link WRITING_TEXTS_PER_DAY} texts a day.
 *
 * **Substantive writing**: at least {@link WRITING_MIN_KNOWN_WORDS} different
 * course words of the language, and at least {@link WRITING_MIN_DISTINCT_WORDS}
 * different words (in scripts written without spaces,
 * {@link WRITING_MIN_CHARACTERS} characters).
 */
import { CEFR_LEVELS } from "./content_schema.ts";

function levelStep(level: string): number {
  return Math.max(0, (CEFR_LEVELS as readonly string[]).indexOf(level));
}

/**
 * XP for completing a lesson. Short of first mastery, up to 5 in proportion to the
 * server-checked score: a completion with no right answer behind it pays nothing.
 */
export function lessonXp(
  options: { level: string; firstMastery: boolean; score?: number },
): number {
  if (!options.firstMastery) return Math.round(5 * Math.max(0, options.score ?? 0) / 100);
  return 20 + 10 * levelStep(options.level) + (options.score === 100 ? 5 : 0);
}

/** What a repeat pays when the item already paid `paidToday` this learner-local day. */
export function repeatXp(value: number, paidToday: number): number {
  return Math.max(0, value - paidToday);
}

/** XP of one right grammar exercise answer (before {@link repeatXp}). */
export const GRAMMAR_ANSWER_XP = 2;

/** XP for first mastering a grammar topic. */
export const GRAMMAR_MASTERY_XP = 5;

/** XP for a graded set of grammar exercises: what each answer adds today, and first mastery. */
export function grammarXp(answerXp: readonly number[], firstMastery: boolean): number {
  return answerXp.reduce((n, x) => n + x, 0) + (firstMastery ? GRAMMAR_MASTERY_XP : 0);
}

export const WRITING_MIN_KNOWN_WORDS = 3;
export const WRITING_MIN_DISTINCT_WORDS = 5;
export const WRITING_MIN_CHARACTERS = 10;
export const WRITING_TEXTS_PER_DAY = 5;

/** Whether a written text is worth XP (see the module rules). */
export function substantiveText(
  text: { distinct_words: number; known_words: number; characters: number; spaced: boolean },
): boolean {
  return text.known_words >= WRITING_MIN_KNOWN_WORDS &&
    (text.spaced
      ? text.distinct_words >= WRITING_MIN_DISTINCT_WORDS
      : text.characters >= WRITING_MIN_CHARACTERS);
}

/** XP for a written text before the daily rules: nothing for filler, 5 when the checks pass, else 2. */
export function writingXp(substantive: boolean, checksPassed: boolean): number {
  if (!substantive) return 0;
  return checksPassed ? 5 : 2;
}

/**
 * XP for one vocabulary review: nothing for a miss; for a hit 2, +1 when the word
 * is hard for this learner (FSRS difficulty ≥ 7), +1 when it was weak (recall
 * probability under 70% before the review), +1 the first time a word is recalled.
 */
export function practiceXp(options: {
  correct: boolean;
  difficulty: number;
  retrievabilityBefore: number;
  firstCorrect: boolean;
  isNew: boolean;
  /** Answered before the card was due: a repeat the schedule did not ask for pays nothing. */
  early?: boolean;
}): number {
  if (!options.correct || options.early) return 0;
  return 2 + (options.difficulty >= 7 ? 1 : 0) +
    (!options.isNew && options.retrievabilityBefore < 0.7 ? 1 : 0) +
    (options.firstCorrect ? 1 : 0);
}

/**
 * XP for one pronunciation attempt (before {@link repeatXp}: a word pays once a
 * day). Nothing without a score (nothing was verified: a silent recording, or
 * no model and no transcript) or below the "good" score.
 */
export function pronunciationXp(score: number | null): number {
  if (score === null || score < 80) return 0;
  return score >= 95 ? 3 : 2;
}

/**
 * XP for one translation: 3 when correct, 1 when close (≥ 70), of which a retry
 * the same day pays only what it adds ({@link repeatXp}); +5 on first mastery.
 * `base` is what the day's credit records.
 */
export function translationXp(
  options: { correct: boolean; score: number; firstMastery: boolean; paidToday?: number },
): { xp: number; base: number } {
  const base = options.correct ? 3 : options.score >= 70 ? 1 : 0;
  return {
    xp: repeatXp(base, options.paidToday ?? 0) +
      (options.firstMastery ? TRANSLATION_MASTERY_XP : 0),
    base,
  };
}

/** XP for first mastering a translation exercise. */
export const TRANSLATION_MASTERY_XP = 5;
