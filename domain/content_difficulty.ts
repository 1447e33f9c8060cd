/**
 * A computed difficulty for content items on a 0–100 scale, from what is known
 * before anyone practises (CEFR level, frequency rank, length) blended with what
 * learners' answers show once there are some: the observed error rate, weighted by
 * the number of attempts so a few answers move it only a little.
 */
import { CEFR_LEVELS } from "./content_schema.ts";

/** Attempts at which the observed error rate and the prior weigh equally. */
export const PRIOR_WEIGHT = 20;

export interface DifficultyInput {
  level: string;
  frequencyRank?: number | null;
  length: number;
  attempts?: number;
  errors?: number;
}

/** Difficulty before any learner data (0 easiest, 100 hardest). */
export function priorDifficulty(input: DifficultyInput): number {
  const step = Math.max(0, (CEFR_LEVELS as readonly string[]).indexOf(input.level));
  const levelPart = (step / (CEFR_LEVELS.length - 1)) * 50; // A1 0 … C2 50
  const rank = input.frequencyRank ?? 3000;
  const rarity = Math.min(1, Math.log10(Math.max(1, rank)) / 4) * 30; // rank 10 000 → 30
  const lengthPart = Math.min(1, Math.max(0, input.length - 3) / 12) * 20;
  return Math.round(levelPart + rarity + lengthPart);
}

/** Difficulty including learners' error rate, with the source of the estimate. */
export function computedDifficulty(input: DifficultyInput): {
  score: number;
  label: "easy" | "medium" | "hard";
  basis: "content" | "content+learners";
  attempts: number;
  error_rate: number | null;
} {
  const prior = priorDifficulty(input);
  const attempts = input.attempts ?? 0;
  const errors = Math.min(input.errors ?? 0, attempts);
  let score = prior;
  if (attempts > 0) {
    const observed = (errors / attempts) * 100;
    score = Math.round((prior * PRIOR_WEIGHT + observed * attempts) / (PRIOR_WEIGHT + attempts));
  }
  return {
    score,
    label: score < 34 ? "easy" : score < 60 ? "medium" : "hard",
    basis: attempts > 0 ? "content+learners" : "content",
    attempts,
    error_rate: attempts > 0 ? Math.round((errors / attempts) * 1000) / 1000 : null,
  };
}
