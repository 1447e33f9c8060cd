/**
 * The timed challenge: start a run (its questions drawn and stored with their keys,
 * the deadline set by the server), and answer its questions one at a time until
 * the deadline. An answer is written only if the run is unchanged since it was
 * read, so racing answers never count twice; the loser is redone.
 */
import {
  challengeWords,
  insertRunStatements,
  loadRun,
  recordAnswerStatements,
} from "../db/challenge_runs.ts";
import { localized } from "../domain/localize.ts";
import {
  challengeAnswerCorrect,
  challengeClosed,
  type ChallengeQuestion,
  challengeQuestions,
  secondsLeft,
} from "../domain/timed_challenge.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { languageOr404 } from "../http/lookups.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

/** Times an answer is redone after losing a race for its run. */
const RACE_RETRIES = 20;

export interface ChallengeStart {
  /** A language code or id. */
  language: string;
  durationSeconds: number;
  levels: string[];
}

export async function startChallenge(deps: ActionDeps, user: Learner, input: ChallengeStart) {
  const { db, clock, locale } = deps;
  const language = await languageOr404(db, input.language);
  const words = await challengeWords(db, language.id, input.levels);
  if (words.length < 4) throw badRequest("Not enough words at these levels for a challenge");
  const id = crypto.randomUUID();
  const questions = challengeQuestions(words, id);
  const now = clock.now();
  const deadline = new Date(now.getTime() + input.durationSeconds * 1000);
  await runWriteBatch(db, {
    run: insertRunStatements(db, {
      id,
      userId: user.id,
      languageId: language.id,
      startedAt: now,
      deadlineAt: deadline,
      questions,
      answered: {},
    }),
  });
  return {
    id,
    started_at: now.toISOString(),
    deadline: deadline.toISOString(),
    duration_seconds: input.durationSeconds,
    questions: questions.map((q) => ({
      id: q.id,
      instruction: locale === "es"
        ? "Elige la palabra que significa:"
        : "Choose the word that means:",
      text: localized(q.meaning as { en: string }, locale),
      options: q.options,
    })),
  };
}

export interface ChallengeAnswer {
  challengeId: string;
  questionId: string;
  answer: string;
}

export async function answerChallenge(deps: ActionDeps, user: Learner, input: ChallengeAnswer) {
  const { db, clock } = deps;
  for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
    const found = await loadRun(db, input.challengeId, user.id);
    if (!found) throw notFound("Challenge");
    const { run } = found;
    const now = clock.now();
    if (challengeClosed(run.deadlineAt, now)) {
      throw conflict("Time is up for this challenge", {
        reason: "deadline_passed",
        correct: run.correct,
      });
    }
    const question = (run.questions as ChallengeQuestion[]).find((q) => q.id === input.questionId);
    if (!question) {
      throw badRequest("Not a question of this challenge", [{
        field: "question_id",
        message: "Unknown",
      }]);
    }
    if (input.questionId in run.answered) throw conflict("This question was already answered");
    const correct = challengeAnswerCorrect(input.answer, question);
    const written = await runWriteBatch(db, {
      answer: recordAnswerStatements(db, {
        id: run.id,
        version: run.version,
        questionId: question.id,
        correct,
      }),
    });
    const saved = (written.answer[0] as { correct: number }[])[0];
    // Another answer to this run won the race: redo on its result.
    if (!saved) continue;
    return {
      question_id: question.id,
      correct,
      correct_answer: question.answer,
      score: saved.correct,
      seconds_left: secondsLeft(run.deadlineAt, now),
    };
  }
  throw conflict("Too many answers at once; try again");
}
