/**
 * Open the learner's next attempt at a quiz: its questions in the learner's own
 * order for this attempt number, localized and without answers (listening audio
 * by an opaque per-learner URL), and a signed attempt token whose issue time sets
 * the deadline. Records nothing: an attempt is used only when a submit is recorded.
 */
import { loadQuiz } from "../db/quizzes.ts";
import type { quizQuestions } from "../db/schema.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { attemptDeadline, attemptStart, SUBMIT_GRACE_SECONDS } from "../domain/quiz_attempts.ts";
import { quizType } from "../domain/quiz_generation.ts";
import { attemptQuestionOrder, localizeDeep, servedType } from "../domain/quiz_questions.ts";
import { conflict, forbidden, notFound } from "../http/errors.ts";
import {
  attemptCookiePath,
  issueAttemptToken,
  listeningAudioToken,
  readAttemptToken,
} from "../http/quiz_tokens.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface OpenQuizRequest {
  quizId: string;
  /** The attempt token the client holds (its cookie), if any: a reload keeps its deadline. */
  heldToken?: string;
}

type QuestionRow = typeof quizQuestions.$inferSelect & { audioId: string | null };

export async function openQuiz(deps: ActionDeps, user: Learner, input: OpenQuizRequest) {
  const { db, clock, locale, config } = deps;
  const { quizId } = input;
  const now = clock.now();
  const found = await loadQuiz(db, quizId, user.id);
  if (!found || found.quiz.status !== "published") throw notFound("Quiz");
  const { quiz, questions, attempts } = found;
  if (!found.enrolled) {
    throw forbidden("Enrol in the course to take its quizzes", { reason: "not_enrolled" });
  }
  if (attempts.length >= quiz.maxAttempts) {
    throw conflict(`All ${quiz.maxAttempts} attempts at this quiz are used`, {
      reason: "attempts_exhausted",
      attempts_used: attempts.length,
    });
  }
  const attemptNumber = attempts.length + 1;
  const secret = config.QUIZ_TOKEN_SECRET;
  const held = input.heldToken
    ? readAttemptToken(secret, input.heldToken, { userId: user.id, quizId })
    : null;
  const issuedAt = attemptStart(
    held,
    { number: attemptNumber, timeLimitSeconds: quiz.timeLimitSeconds },
    now,
  );
  const token = issueAttemptToken(secret, { userId: user.id, quizId, attemptNumber, issuedAt });
  const deadline = attemptDeadline(issuedAt, quiz.timeLimitSeconds);
  const order = attemptQuestionOrder({ userId: user.id, quizId, attemptNumber }, questions);
  const byId = new Map(questions.map((q) => [q.id, q]));
  return {
    quiz: {
      id: quiz.id,
      course_id: quiz.courseId,
      kind: quiz.kind,
      quiz_type: quizType(quiz.kind),
      title: localized(quiz.title, locale),
      difficulty: quiz.difficulty,
      pass_percentage: quiz.passPercentage,
      time_limit_seconds: quiz.timeLimitSeconds,
    },
    attempt: {
      token,
      attempt_number: attemptNumber,
      started_at: issuedAt.toISOString(),
      deadline: deadline?.toISOString() ?? null,
      grace_seconds: SUBMIT_GRACE_SECONDS,
      attempts_remaining: quiz.maxAttempts - attemptNumber,
    },
    questions: order.questions.map((id) =>
      questionView(byId.get(id)!, order.options[id], locale, { secret, userId: user.id, quizId })
    ),
  };
}

/** A question as the learner sees it in this attempt: localized, reordered, no answer. */
function questionView(
  q: QuestionRow,
  permutation: number[] | undefined,
  locale: Locale,
  audio: { secret: string; userId: string; quizId: string },
) {
  const { without_audio, ...stored } = q.prompt as Record<string, unknown>;
  const type = servedType(q);
  const prompt = type === q.type ? stored : { ...(without_audio as object), type };
  const p = localizeDeep(prompt, locale) as Record<string, unknown>;
  const permute = (items: unknown) =>
    Array.isArray(items) && permutation ? permutation.map((i) => items[i]) : items;
  return {
    id: q.id,
    type,
    points: q.points,
    ...p,
    ...(type === "listening"
      ? {
        audio_url: `${attemptCookiePath(audio.quizId)}/audio/${
          listeningAudioToken(audio.secret, { ...audio, questionId: q.id })
        }`,
      }
      : {}),
    ...(p.options ? { options: permute(p.options) } : {}),
    ...(p.words ? { words: permute(p.words) } : {}),
    ...(p.right ? { right: permute(p.right) } : {}),
  };
}
