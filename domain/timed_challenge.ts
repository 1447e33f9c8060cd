/**
 * The timed challenge's rules: a run's questions (pick the word for a meaning
 * among four), drawn reproducibly from the run's id, and the server's deadline,
 * with a margin for network delay.
 */
import { answerKey } from "./answer_matching.ts";
import { hashSeed, sample, seededRandom, shuffled } from "./random.ts";

/** Questions in a run: more than anyone answers in the longest challenge. */
export const CHALLENGE_QUESTIONS = 60;
/** A late answer is accepted within this margin for network delay. */
export const LATE_MARGIN_MS = 2000;

/** A question as stored with its run (its key stays on the server). */
export interface ChallengeQuestion {
  id: string;
  meaning: Record<string, string>;
  options: string[];
  answer: string;
}

/** `count` questions from `words` (at least 4), each with three other words as distractors. */
export function challengeQuestions(
  words: readonly { word: string; translation: unknown }[],
  seed: string,
  count = CHALLENGE_QUESTIONS,
): ChallengeQuestion[] {
  const random = seededRandom(hashSeed(seed));
  return Array.from({ length: count }, (_, i) => {
    const w = words[Math.floor(random() * words.length)];
    const others = sample(words.filter((x) => x.word !== w.word), 3, random).map((x) => x.word);
    return {
      id: `q${i + 1}`,
      meaning: w.translation as Record<string, string>,
      options: shuffled([w.word, ...others], random),
      answer: w.word,
    };
  });
}

/** Whether an answer at `now` is too late (past the deadline and its margin). */
export function challengeClosed(deadline: Date, now: Date): boolean {
  return now.getTime() > deadline.getTime() + LATE_MARGIN_MS;
}

/** Whole seconds left before the deadline (0 after it). */
export function secondsLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.round((deadline.getTime() - now.getTime()) / 1000));
}

/** An answer is right when it is the word, as answers are matched everywhere. */
export function challengeAnswerCorrect(answer: string, question: ChallengeQuestion): boolean {
  return answerKey(answer) === answerKey(question.answer);
}
