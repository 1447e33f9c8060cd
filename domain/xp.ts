/**
 * XP rules. Harder and weaker work earns more, repetition earns less:
 *
 * | action | XP |
 * |---|---|
 * | lesson mastered for the first time | 20 + 10 per CEFR step above A1, +5 for a score of 100 |
 * | lesson repeated, or completed below mastery | 5 |
 * | grammar exercise set | 2 per correct answer, +5 when the set is mastered (≥ 80%) |
 * | vocabulary review | 0 for a miss; 2 for a hit, +1 hard word, +1 weak word, +1 first recall |
 * | pronunciation attempt | 0 without recognition or below 80; 2 from 80, 3 from 95 |
 * | translation | 3 when correct, 1 for a score of 70 or more, else 0; +5 when first mastered (≥ 90) |
 *
 * Other actions (quizzes, translations) add their rules here
 * as they arrive.
 */
import { CEFR_LEVELS } from "./content_schema.ts";

function levelStep(level: string): number {
  return Math.max(0, (CEFR_LEVELS as readonly string[]).indexOf(level));
}

/** XP for completing a lesson. */
export function lessonXp(
  options: { level: string; firstMastery: boolean; score?: number },
): number {
  if (!options.firstMastery) return 5;
  return 20 + 10 * levelStep(options.level) + (options.score === 100 ? 5 : 0);
}

/** XP for a graded set of grammar exercises. */
export function grammarXp(correct: number, mastered: boolean): number {
  return 2 * correct + (mastered ? 5 : 0);
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
}): number {
  if (!options.correct) return 0;
  return 2 + (options.difficulty >= 7 ? 1 : 0) +
    (!options.isNew && options.retrievabilityBefore < 0.7 ? 1 : 0) +
    (options.firstCorrect ? 1 : 0);
}

/**
 * XP for one pronunciation attempt. Nothing without a transcript (nothing was
 * verified) or below the "good" score, so repeating a word badly earns nothing.
 */
export function pronunciationXp(score: number | null): number {
  if (score === null || score < 80) return 0;
  return score >= 95 ? 3 : 2;
}

/** XP for one translation: 3 when correct, 1 when close (≥ 70), +5 on first mastery. */
export function translationXp(
  options: { correct: boolean; score: number; firstMastery: boolean },
): number {
  const base = options.correct ? 3 : options.score >= 70 ? 1 : 0;
  return base + (options.firstMastery ? 5 : 0);
}
