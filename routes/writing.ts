/** `/api/writing`: short free-text answers checked for expected words and common grammar errors. */
import { Hono } from "hono";
import { checkWritingAnswer } from "../actions/check_writing.ts";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const WritingBody = z.object({
  language: LanguageParam,
  text: z.string().trim().min(1).max(2000),
  /** Words the answer should use (e.g. from the task's instructions). */
  expected_words: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  /** Seconds spent writing. */
  time_spent: z.number().int().min(0).max(86_400).default(0),
}).strict();

export const writingRoutes = new Hono<AppEnv>()
  .post(
    "/check",
    describe({
      summary:
        "Check a short text: expected words, gender agreement, verb forms, accents (and what is not checked)",
      description: "XP only for a substantive text (at least 3 different course words and 5 " +
        "different words), once per text per day and for at most 5 texts a day; the rules " +
        "are in domain/xp.ts. Also answers the achievements the text earned " +
        "(`new_achievements`) and the learner's `streak`.",
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("json", WritingBody),
    async (c) => {
      const body = c.req.valid("json");
      const result = await checkWritingAnswer(c.var, currentUser(c), {
        language: body.language,
        text: body.text,
        expectedWords: body.expected_words,
        timeSpentSeconds: body.time_spent,
      });
      return c.json({ data: result });
    },
  );
