/**
 * `/api/quizzes/challenge`: a timed challenge — as many right answers as
 * possible before a deadline the server enforces — with a personal best.
 */
import { Hono } from "hono";
import { z } from "zod";
import { loadRun } from "../db/challenge_runs.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { answerChallenge, startChallenge } from "../actions/challenge.ts";

const StartBody = z.object({
  language: LanguageParam,
  duration_seconds: z.number().int().min(30).max(300).default(60),
  levels: z.array(z.enum(["A1", "A2", "B1"])).min(1).default(["A1", "A2"]),
}).strict();
const AnswerBody = z.object({ question_id: z.string().min(1).max(16), answer: z.string().max(200) })
  .strict();

export const challengeRoutes = new Hono<AppEnv>()
  .post(
    "/",
    describe({
      summary: "Start a timed challenge: right answers before the server's deadline",
      tags: ["quizzes"],
      auth: "user",
      responses: { 201: "Started" },
    }),
    requireUser,
    validate("json", StartBody),
    async (c) => {
      const body = c.req.valid("json");
      const data = await startChallenge(c.var, currentUser(c), {
        language: body.language,
        durationSeconds: body.duration_seconds,
        levels: body.levels,
      });
      return c.json({ data }, 201);
    },
  )
  .post(
    "/:id/answer",
    describe({
      summary: "Answer one challenge question; refused after the deadline",
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", AnswerBody),
    async (c) => {
      const body = c.req.valid("json");
      const data = await answerChallenge(c.var, currentUser(c), {
        challengeId: c.req.valid("param").id,
        questionId: body.question_id,
        answer: body.answer,
      });
      return c.json({ data });
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A challenge's score, whether it is over, and the personal best",
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const found = await loadRun(c.var.db, c.req.valid("param").id, currentUser(c).id);
      if (!found) throw notFound("Challenge");
      const { run, best } = found;
      const now = c.var.clock.now();
      return c.json({
        data: {
          id: run.id,
          language_id: run.languageId,
          started_at: run.startedAt.toISOString(),
          deadline: run.deadlineAt.toISOString(),
          finished: now.getTime() > run.deadlineAt.getTime(),
          answered: Object.keys(run.answered).length,
          correct: run.correct,
          personal_best: best,
          is_personal_best: run.correct > 0 && run.correct >= best,
        },
      });
    },
  );
