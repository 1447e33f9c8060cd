/**
 * Attempt rules: the order a learner sees, the deadline, and quiz XP. The order
 * is drawn from the learner, quiz and attempt number, so it differs per learner
 * and attempt and a reload of the same attempt shows exactly the same order.
 */
import { hashSeed, seededRandom, shuffled } from "./random.ts";

/** Seconds of grace after the deadline for network and clock jitter. */
export const SUBMIT_GRACE_SECONDS = 10;

export interface AttemptOrder {
  questions: string[];
  /** Per question: the permutation applied to its options (or words, or right column). */
  options: Record<string, number[]>;
}

/** The seed of one learner's order for one attempt at one quiz. */
export function attemptSeed(userId: string, quizId: string, attemptNumber: number): string {
  return `${userId}|${quizId}|${attemptNumber}`;
}

/** A fixed random order of questions and of each question's options. */
export function attemptOrder(
  seed: string,
  questions: readonly { id: string; optionCount: number }[],
): AttemptOrder {
  const random = seededRandom(hashSeed(seed));
  const order = shuffled(questions.map((q) => q.id), random);
  const options: Record<string, number[]> = {};
  for (const q of questions) {
    if (q.optionCount > 1) {
      options[q.id] = shuffled(Array.from({ length: q.optionCount }, (_, i) => i), random);
    }
  }
  return { questions: order, options };
}

/** When an attempt issued at `issuedAt` must be in (null: untimed). */
export function attemptDeadline(issuedAt: Date, timeLimitSeconds: number | null): Date | null {
  return timeLimitSeconds ? new Date(issuedAt.getTime() + timeLimitSeconds * 1000) : null;
}

/** Whether a submission at `now` is past the deadline and its grace. */
export function pastDeadline(deadline: Date | null, now: Date): boolean {
  return deadline !== null && now.getTime() > deadline.getTime() + SUBMIT_GRACE_SECONDS * 1000;
}

/**
 * When the attempt being opened started: a reload of the same attempt before its
 * deadline keeps the held token's issue time (and so its deadline); anything else
 * starts now.
 */
export function attemptStart(
  held: { attemptNumber: number; issuedAt: Date } | null,
  attempt: { number: number; timeLimitSeconds: number | null },
  now: Date,
): Date {
  return held && held.attemptNumber === attempt.number &&
      !pastDeadline(attemptDeadline(held.issuedAt, attempt.timeLimitSeconds), now)
    ? held.issuedAt
    : now;
}

/**
 * XP for a submitted quiz: up to 20 for the score, 10 for passing, 10 more for a
 * perfect score, +5 per difficulty step above 1; half of it when the quiz was
 * already passed before.
 */
export function quizXp(
  options: { percentage: number; passed: boolean; difficulty: number; passedBefore: boolean },
): number {
  const base = Math.round(options.percentage / 5) + (options.passed ? 10 : 0) +
    (options.percentage >= 100 ? 10 : 0) + 5 * Math.max(0, options.difficulty - 1);
  return options.passedBefore ? Math.round(base / 2) : base;
}
