/**
 * XP rules. Harder and weaker work earns more, repetition earns less:
 *
 * | action | XP |
 * |---|---|
 * | lesson mastered for the first time | 20 + 10 per CEFR step above A1, +5 for a score of 100 |
 * | lesson repeated, or completed below mastery | 5 |
 * | grammar exercise set | 2 per correct answer, +5 when the set is mastered (≥ 80%) |
 *
 * Other actions (vocabulary reviews, quizzes, translations) add their rules here
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
