/** `/api/writing`: short free-text answers checked for expected words and common grammar errors. */
import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { activityStatements } from "../db/learning_records.ts";
import { vocabulary } from "../db/schema.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { checkWriting, LIMITATIONS } from "../domain/writing_check.ts";
import { repeatXp, substantiveText, WRITING_TEXTS_PER_DAY, writingXp } from "../domain/xp.ts";
import {
  creditsQuery,
  creditStatements,
  paidToday,
  unpaidXp,
  withinDailyCap,
} from "../db/item_credits.ts";
import { sha256Hex } from "../platform/tokens.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";

/** Scripts written without spaces between words. */
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

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
        "are in domain/xp.ts.",
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
      const now = clock.now();
      const today = localDate(now, user.timezone);
      const [known, credits] = await db.batch([
        db.select({
          word: vocabulary.word,
          gender: vocabulary.gender,
          partOfSpeech: vocabulary.partOfSpeech,
        }).from(vocabulary).where(
          and(eq(vocabulary.languageId, language.id), eq(vocabulary.status, "published")),
        ),
        creditsQuery(db, user.id, { prefix: "writing:", localDate: today }),
      ]);
      const result = checkWriting(language.code, body.text, known, body.expected_words);
      // Filler earns nothing; a text pays once a day, and a few texts a day at most.
      const value = writingXp(
        substantiveText({ ...result, spaced: !NO_SPACES.test(body.text) }),
        result.checks_passed,
      );
      const key = `writing:${sha256Hex(answerKey(body.text))}`;
      const paid = paidToday(credits, today);
      const full = [...paid.values()].filter((x) => x > 0).length >= WRITING_TEXTS_PER_DAY;
      const xp = full && !paid.has(key) ? 0 : repeatXp(value, paid.get(key) ?? 0);
      // The ledger decides in the batch, so parallel copies of a text pay once.
      const credit = { key, xp: value, localDate: today };
      const ledgerXp = withinDailyCap(user.id, {
        prefix: "writing:",
        localDate: today,
        except: key,
        limit: WRITING_TEXTS_PER_DAY,
      }, unpaidXp(user.id, [credit]));
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
          xp: ledgerXp,
          occurredAt: now,
          localDate: today,
        }),
        ...creditStatements(db, user.id, xp ? [credit] : []),
      ] as [ReturnType<typeof activityStatements>[number]]);
      return c.json({
        data: {
          language: language.code,
          word_count: result.word_count,
          checks_passed: result.checks_passed,
          xp_earned: xp,
          issues: result.issues.map((i) => ({ ...i, message: localized(i.message, locale) })),
          expected_words: result.expected_words,
          limitations: localized(LIMITATIONS, locale),
        },
      });
    },
  );
