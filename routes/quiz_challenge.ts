/**
 * `/api/quizzes/challenge`: a timed challenge — as many right answers as
 * possible before a deadline the server enforces — with a personal best.
 */
import { Hono } from "hono";
import { z } from "zod";
import { challengeWords, insertRun, loadRun, recordRunAnswer } from "../db/challenge_runs.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localized } from "../domain/localize.ts";
import { hashSeed, sample, seededRandom, shuffled } from "../domain/random.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";

const StartBody = z.object({
  language: LanguageParam,
  duration_seconds: z.number().int().min(30).max(300).default(60),
  levels: z.array(z.enum(["A1", "A2", "B1"])).min(1).default(["A1", "A2"]),
}).strict();
const AnswerBody = z.object({ question_id: z.string().min(1).max(16), answer: z.string().max(200) })
  .strict();

/** A late answer is accepted within this margin for network delay. */
const LATE_MARGIN_MS = 2000;
const QUESTIONS = 60;

interface RunQuestion {
  id: string;
  meaning: Record<string, string>;
  options: string[];
  answer: string;
}

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
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const language = await languageOr404(db, body.language);
      const words = await challengeWords(db, language.id, body.levels);
      if (words.length < 4) throw badRequest("Not enough words at these levels for a challenge");
      const id = crypto.randomUUID();
      const random = seededRandom(hashSeed(id));
      const questions: RunQuestion[] = Array.from({ length: QUESTIONS }, (_, i) => {
        const w = words[Math.floor(random() * words.length)];
        const others = sample(words.filter((x) => x.word !== w.word), 3, random).map((x) => x.word);
        return {
          id: `q${i + 1}`,
          meaning: w.translation as Record<string, string>,
          options: shuffled([w.word, ...others], random),
          answer: w.word,
        };
      });
      const now = clock.now();
      const deadline = new Date(now.getTime() + body.duration_seconds * 1000);
      await insertRun(db, {
        id,
        userId: user.id,
        languageId: language.id,
        startedAt: now,
        deadlineAt: deadline,
        questions,
        answered: {},
      });
      return c.json({
        data: {
          id,
          started_at: now.toISOString(),
          deadline: deadline.toISOString(),
          duration_seconds: body.duration_seconds,
          questions: questions.map((q) => ({
            id: q.id,
            instruction: locale === "es"
              ? "Elige la palabra que significa:"
              : "Choose the word that means:",
            text: localized(q.meaning as { en: string }, locale),
            options: q.options,
          })),
        },
      }, 201);
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
      const { db, clock } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      for (let attempt = 0; attempt < 20; attempt++) {
        const found = await loadRun(db, c.req.valid("param").id, user.id);
        if (!found) throw notFound("Challenge");
        const { run } = found;
        const now = clock.now();
        if (now.getTime() > run.deadlineAt.getTime() + LATE_MARGIN_MS) {
          throw conflict("Time is up for this challenge", {
            reason: "deadline_passed",
            correct: run.correct,
          });
        }
        const question = (run.questions as RunQuestion[]).find((q) => q.id === body.question_id);
        if (!question) {
          throw badRequest("Not a question of this challenge", [{
            field: "question_id",
            message: "Unknown",
          }]);
        }
        if (body.question_id in run.answered) throw conflict("This question was already answered");
        const correct = answerKey(body.answer) === answerKey(question.answer);
        const saved = await recordRunAnswer(db, {
          id: run.id,
          version: run.version,
          questionId: question.id,
          correct,
        });
        if (!saved) continue;
        return c.json({
          data: {
            question_id: question.id,
            correct,
            correct_answer: question.answer,
            score: saved.correct,
            seconds_left: Math.max(
              0,
              Math.round((run.deadlineAt.getTime() - now.getTime()) / 1000),
            ),
          },
        });
      }
      throw conflict("Too many answers at once; try again");
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
