/** `/api/writing`: short free-text answers checked for expected words and common grammar errors. */
import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { activityStatements } from "../db/learning_records.ts";
import { vocabulary } from "../db/schema.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import { checkWriting, LIMITATIONS } from "../domain/writing_check.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { languageOr404 } from "../http/lookups.ts";
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
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("json", WritingBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const language = await languageOr404(db, body.language);
      const known = await db.select({
        word: vocabulary.word,
        gender: vocabulary.gender,
        partOfSpeech: vocabulary.partOfSpeech,
      }).from(vocabulary).where(
        and(eq(vocabulary.languageId, language.id), eq(vocabulary.status, "published")),
      );
      const result = checkWriting(language.code, body.text, known, body.expected_words);
      const now = clock.now();
      await db.batch([
        ...activityStatements(db, {
          userId: user.id,
          kind: "writing",
          skill: "writing",
          languageId: language.id,
          correct: result.checks_passed ? 1 : 0,
          total: 1,
          score: null,
          durationSeconds: body.time_spent,
          xp: result.checks_passed ? 5 : 2,
          occurredAt: now,
          localDate: localDate(now, user.timezone),
        }),
      ] as [ReturnType<typeof activityStatements>[number]]);
      return c.json({
        data: {
          language: language.code,
          word_count: result.word_count,
          checks_passed: result.checks_passed,
          issues: result.issues.map((i) => ({ ...i, message: localized(i.message, locale) })),
          expected_words: result.expected_words,
          limitations: localized(LIMITATIONS, locale),
        },
      });
    },
  );
