/**
 * `/api/quizzes`: quizzes at the learner's courses; a safe GET of the next
 * attempt's questions (fixed order per learner and attempt, never an answer,
 * listening audio by opaque URL) with a signed attempt token; server-scored
 * submissions, which alone record an attempt; and the timed challenge mode.
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { openQuiz } from "../actions/open_quiz.ts";
import { quizAudio } from "../actions/quiz_audio.ts";
import { quizList } from "../actions/quiz_list.ts";
import { submitQuiz } from "../actions/submit_quiz.ts";
import { parseRange } from "../domain/audio_format.ts";
import { SUBMIT_GRACE_SECONDS } from "../domain/quiz_attempts.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { ATTEMPT_COOKIE, attemptCookiePath } from "../http/quiz_tokens.ts";
import { currentUser, requireUser, secureCookies } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { audioBytesResponse } from "../http/byte_ranges.ts";
import { challengeRoutes } from "./quiz_challenge.ts";

const QuizzesQuery = z.object({
  course_id: IdParam.shape.id.optional(),
  kind: z.enum(["vocabulary", "grammar", "final"]).optional(),
}).strict();

const Answer = z.union([
  z.string().max(500),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  z.record(z.string().max(200), z.string().max(200)),
]);

export const SubmitBody = z.object({
  /** `attempt.token` from `GET /api/quizzes/{id}`; may be left out when its cookie is sent. */
  attempt_token: z.string().max(100).optional().describe(
    "`attempt.token` from GET /api/quizzes/{id}; optional when its quiz_attempt cookie is sent",
  ),
  answers: z.array(z.object({ question_id: z.string().min(1).max(128), answer: Answer }).strict())
    .max(200),
  /** Seconds the learner says it took; the server's own clock decides the deadline. */
  time_taken: z.number().int().min(0).max(86_400),
}).strict();

/** Keeps the attempt token where a cookie client sends it back: this quiz's URLs only. */
function setAttemptCookie(
  c: Context<AppEnv>,
  quizId: string,
  token: string,
  deadline: Date | null,
) {
  const now = c.var.clock.now().getTime();
  const seconds = deadline
    ? Math.ceil((deadline.getTime() - now) / 1000) + SUBMIT_GRACE_SECONDS
    : 86_400;
  setCookie(c, ATTEMPT_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: secureCookies(c),
    path: attemptCookiePath(quizId),
    maxAge: Math.max(0, seconds),
  });
}

const AudioParam = IdParam.extend({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

export const quizzesRoutes = new Hono<AppEnv>()
  .route("/challenge", challengeRoutes)
  .get(
    "/",
    describe({
      summary:
        "Quizzes of the learner's courses: type, difficulty, questions, time limit, best score, attempts",
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("query", QuizzesQuery),
    async (c) => {
      const q = c.req.valid("query");
      const page = await quizList(c.var, currentUser(c), { courseId: q.course_id, kind: q.kind });
      return c.json(page);
    },
  )
  .get(
    "/:id",
    describe({
      summary:
        "The questions of the learner's next attempt, in their own random order, never the answers",
      description: "Safe: this records nothing and costs no attempt. The order is fixed per " +
        "learner and attempt number, so a reload shows the same one. `attempt.token` is " +
        "signed (learner, quiz, attempt number, issue time): send it back as `attempt_token` " +
        "with the submit; it is also set as an HttpOnly, SameSite=Strict cookie scoped to " +
        "this quiz, so a cookie client may leave it out. The deadline is the issue time plus " +
        `the time limit (${SUBMIT_GRACE_SECONDS} s of grace); a reload before the deadline ` +
        "returns the same token. An attempt is used only when a submit is recorded. Listening " +
        "questions play `audio_url`, an opaque per-learner URL; a word without a recording is " +
        "asked as a translation. 409 once `max_attempts` submissions are recorded.",
      tags: ["quizzes"],
      auth: "user",
      responses: { 200: "The attempt's questions", 403: "Not enrolled", 409: "No attempts left" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const quizId = c.req.valid("param").id;
      const data = await openQuiz(c.var, currentUser(c), {
        quizId,
        heldToken: getCookie(c, ATTEMPT_COOKIE),
      });
      const { token, deadline } = data.attempt;
      setAttemptCookie(c, quizId, token, deadline ? new Date(deadline) : null);
      return c.json({ data });
    },
  )
  .get(
    "/:id/audio/:token",
    describe({
      summary: "The recording of a listening question, by the opaque URL the question carries",
      description: "The URL is a signature of learner, quiz and question: it says nothing " +
        "about the word. Not cached by shared caches.",
      tags: ["quizzes"],
      auth: "user",
      responses: {
        200: "The recording",
        206: "Part of it (Range)",
        404: "Not a listening question of this quiz",
      },
    }),
    requireUser,
    validate("param", AudioParam),
    async (c) => {
      const { id: quizId, token } = c.req.valid("param");
      // Byte ranges as /api/audio serves them: Safari's <audio> will not play without them.
      const range = parseRange(c.req.header("range"));
      const found = await quizAudio(c.var, currentUser(c), { quizId, token, range });
      // No ETag: the public audio URL's ETag is the file's hash, which would name the word.
      return audioBytesResponse(c, found, range, {
        "Content-Type": found.meta.mimeType,
        "Cache-Control": "private, max-age=3600",
        "Accept-Ranges": "bytes",
      });
    },
  )
  .post(
    "/:id/submit",
    describe({
      summary:
        "Submit an attempt: scored on the server; correct answers and explanations come back",
      description: "`attempt_token` is `attempt.token` from `GET /api/quizzes/{id}` (or the " +
        "cookie that GET set). The attempt is recorded, and counts against `max_attempts`, " +
        "only here. `time_taken` is in seconds (recorded, not trusted: the deadline is the " +
        `token's issue time plus the time limit, with ${SUBMIT_GRACE_SECONDS} s of grace). ` +
        "Each result's `correct_answer` has the shape `answer` takes for its type. Partial " +
        "credit per type is documented in domain/quiz_scoring.ts. A second submit with the " +
        "same token is refused.",
      tags: ["quizzes"],
      auth: "user",
      responses: {
        200: "Scored",
        400: "Bad answers or token",
        409: "Late, submitted already, not started, or no attempts left",
      },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", SubmitBody),
    async (c) => {
      const body = c.req.valid("json");
      const quizId = c.req.valid("param").id;
      const result = await submitQuiz(c.var, currentUser(c), {
        quizId,
        attemptToken: body.attempt_token ?? getCookie(c, ATTEMPT_COOKIE),
        answers: body.answers.map((a) => ({ questionId: a.question_id, answer: a.answer })),
        timeTakenSeconds: body.time_taken,
      });
      deleteCookie(c, ATTEMPT_COOKIE, { path: attemptCookiePath(quizId) });
      return c.json({ data: result });
    },
  );
