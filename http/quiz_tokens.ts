/**
 * The two signed values of the quiz flow, both HMAC-SHA-256 with
 * QUIZ_TOKEN_SECRET so any instance can check what another signed:
 *
 * - the attempt token: `GET /api/quizzes/{id}` hands it out and writes nothing;
 *   the submit carries it back, and only then is an attempt recorded. It names
 *   the learner, quiz, attempt number and issue time, so the deadline is the
 *   server's (issue time + time limit) and a token cannot be reused for another
 *   learner, quiz or attempt.
 * - the listening audio token: the URL of a listening question's recording is
 *   `/api/quizzes/{quiz}/audio/{token}`, a signature of learner, quiz and
 *   question, so the URL says nothing about the word (the word's public
 *   `/api/audio/{id}` URL would: `GET /api/pronunciation/{word}` shows it).
 */
import { signature, signatureMatches } from "../platform/tokens.ts";

export interface AttemptToken {
  attemptNumber: number;
  issuedAt: Date;
}

const TOKEN = /^v1\.(\d{1,4})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

function attemptMessage(userId: string, quizId: string, attemptNumber: number, issuedAt: number) {
  return `quiz-attempt|${userId}|${quizId}|${attemptNumber}|${issuedAt}`;
}

/** A token for the learner's next attempt at a quiz, issued now. */
export function issueAttemptToken(
  secret: string,
  args: { userId: string; quizId: string; attemptNumber: number; issuedAt: Date },
): string {
  const at = args.issuedAt.getTime();
  const sig = signature(secret, attemptMessage(args.userId, args.quizId, args.attemptNumber, at));
  return `v1.${args.attemptNumber}.${at}.${sig}`;
}

/** The attempt a token stands for, or null when it is malformed or not this learner's for this quiz. */
export function readAttemptToken(
  secret: string,
  token: string,
  args: { userId: string; quizId: string },
): AttemptToken | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const attemptNumber = Number(m[1]);
  const at = Number(m[2]);
  const message = attemptMessage(args.userId, args.quizId, attemptNumber, at);
  if (!signatureMatches(secret, message, m[3])) return null;
  return { attemptNumber, issuedAt: new Date(at) };
}

/** The opaque part of a listening question's audio URL. */
export function listeningAudioToken(
  secret: string,
  args: { userId: string; quizId: string; questionId: string },
): string {
  return signature(secret, `quiz-audio|${args.userId}|${args.quizId}|${args.questionId}`, 16);
}

/** The cookie that carries the attempt token for clients that do not echo it in the body. */
export const ATTEMPT_COOKIE = "quiz_attempt";

/** The cookie's path: the quiz's own URL, so each quiz has its own and submit receives it. */
export function attemptCookiePath(quizId: string): string {
  return `/api/quizzes/${encodeURIComponent(quizId)}`;
}
