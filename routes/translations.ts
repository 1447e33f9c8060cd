/**
 * `/api/translations`: translation exercises (never with their answers) and
 * checking a learner's translation: score, closest accepted translation,
 * word-level corrections and the answer's detected language.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { languages, translationExercises, userTranslations } from "../db/schema.ts";
import {
  listTranslationExercises,
  loadTranslationExercise,
  recordTranslationAttempt,
} from "../db/translation_practice.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localDate } from "../domain/calendar.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import {
  checkTranslation,
  detectAnswerLanguage,
  TRANSLATION_MASTERY,
  translationFeedback,
} from "../domain/translation_checking.ts";
import { TRANSLATION_MASTERY_XP, translationXp } from "../domain/xp.ts";
import { type Credit, creditStatements, EVER, unpaidXp } from "../db/item_credits.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam, Pagination } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const ListQuery = z.object({
  language: LanguageParam.optional(),
  difficulty: z.coerce.number().int().min(1).max(3).optional(),
  direction: z.enum(["to_target", "from_target"]).optional(),
  ...Pagination,
}).strict();

const CheckBody = z.object({
  user_translation: z.string().trim().min(1, "Write a translation").max(1000),
  exercise_id: IdParam.shape.id.optional(),
  /** The exercise's text as shown, instead of its id. */
  source_text: z.string().trim().min(1).max(1000).optional(),
  /** Narrows a `source_text` lookup to one language (code or id). */
  language: LanguageParam.optional(),
  /** Seconds spent, for the activity log. */
  time_spent: z.number().int().min(0).max(3600).optional(),
}).strict().refine((b) => b.exercise_id || b.source_text, {
  message: "Send exercise_id or source_text",
  path: ["exercise_id"],
});

type ExerciseRow = typeof translationExercises.$inferSelect;
type LanguageRow = typeof languages.$inferSelect;
type ProgressRow = typeof userTranslations.$inferSelect;

/** The learner language an exercise is shown or answered in: theirs if written, else English. */
function sideLocale(text: Partial<Record<string, unknown>>, locale: Locale): Locale {
  return text[locale] ? locale : "en";
}

/** What each side of an exercise is written in, as ISO 639-1 codes. */
function sides(e: ExerciseRow, language: LanguageRow, locale: Locale) {
  if (e.direction === "to_target") {
    return {
      source: sideLocale(e.source as Record<string, string>, locale),
      answer: language.code,
    };
  }
  return {
    source: language.code,
    answer: sideLocale(e.accepted as Record<string, string[]>, locale),
  };
}

/** The accepted translations for the side the learner answers in. */
function acceptedFor(e: ExerciseRow, answerLanguage: string): string[] {
  if (Array.isArray(e.accepted)) return e.accepted;
  return e.accepted[answerLanguage] ?? e.accepted.en ?? [];
}

function progressView(p: ProgressRow | null) {
  if (!p) return { status: "not_started", attempts: 0, best_score: null, last_attempt_at: null };
  return {
    status: p.masteredAt ? "mastered" : "in_progress",
    attempts: p.attempts,
    best_score: p.bestScore,
    last_attempt_at: p.lastAttemptAt.toISOString(),
  };
}

/** An exercise as the learner sees it: never `accepted`, and not the notes (they give it away). */
function exerciseView(
  e: ExerciseRow,
  language: LanguageRow,
  progress: ProgressRow | null,
  locale: Locale,
  signedIn: boolean,
) {
  const side = sides(e, language, locale);
  return {
    id: e.id,
    language: { id: language.id, code: language.code, tts_lang: language.ttsLang },
    direction: e.direction,
    difficulty: e.difficulty,
    kind: e.kind,
    source_text: typeof e.source === "string" ? e.source : localized(e.source, locale),
    source_language: side.source,
    answer_language: side.answer,
    reading: e.reading,
    romanization: e.romanization,
    ...(signedIn ? { progress: progressView(progress) } : {}),
  };
}

export const translationsRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Translation exercises by language, difficulty and direction",
      description: "Public; signed-in learners get their progress and do not see exercises " +
        "they have mastered (best score ≥ 90). `direction` is `to_target` (from the learner's " +
        "language into the target) or `from_target`. Accepted translations are never included.",
      tags: ["translations"],
      auth: "optional",
    }),
    validate("query", ListQuery),
    async (c) => {
      const q = c.req.valid("query");
      const { db, locale } = c.var;
      const { rows, languageFound } = await listTranslationExercises(db, {
        language: q.language,
        difficulty: q.difficulty,
        direction: q.direction,
        userId: c.var.user?.id,
      });
      if (!languageFound) throw notFound(`Language ${q.language}`);
      const page = rows.slice(q.offset, q.offset + q.limit);
      return c.json({
        data: page.map((r) =>
          exerciseView(r.exercise, r.language, r.progress, locale, c.var.user !== undefined)
        ),
        meta: { total: rows.length, limit: q.limit, offset: q.offset, locale },
      });
    },
  )
  .post(
    "/check",
    describe({
      summary: "Check a translation: score, closest answer, word-level corrections, language",
      description: "Normalised (case, punctuation, spacing) and compared with every accepted " +
        "translation by word alignment: a missing accent costs a quarter of a word and still " +
        "counts as correct (reported as `accent`), a one-letter slip half, a wrong, missing or " +
        "extra word one, a moved word half (`word_order`). The answer's language is detected " +
        "with franc among the exercise's two languages when it has at least 3 words or 15 " +
        "characters; answering in the wrong language is reported as such. Mastered at a score " +
        "of 90 or more.",
      tags: ["translations"],
      auth: "user",
    }),
    requireUser,
    validate("json", CheckBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      if (!answerKey(body.user_translation)) {
        throw badRequest("Write a translation", [
          { field: "user_translation", message: "No words" },
        ]);
      }
      const now = clock.now();
      const today = localDate(now, user.timezone);
      const found = await loadTranslationExercise(
        db,
        {
          id: body.exercise_id,
          sourceText: body.exercise_id ? undefined : body.source_text,
          language: body.language,
        },
        user.id,
        today,
      );
      if (!found) throw notFound("Translation exercise");
      const { exercise, language, progress } = found;
      const side = sides(exercise, language, locale);
      const accepted = acceptedFor(exercise, side.answer);

      const result = checkTranslation(body.user_translation, accepted, side.answer);
      const detection = detectAnswerLanguage(body.user_translation, side.answer, [side.source]);
      const correct = result.correct && !detection.wrong_language;
      const mastered = !detection.wrong_language && result.score >= TRANSLATION_MASTERY;
      const firstMastery = mastered && !progress?.masteredAt;
      // A retry the same day pays only what it adds over the day's best; the mastery bonus
      // once ever (the ledger pays what the batch finds unpaid, so parallel retries pay once).
      const { xp, base } = translationXp({
        correct,
        score: result.score,
        firstMastery,
        paidToday: Number(found.paidToday),
      });
      const credits: Credit[] = [
        ...(base ? [{ key: `translation:${exercise.id}`, xp: base, localDate: today }] : []),
        ...(firstMastery
          ? [{
            key: `mastery:translation:${exercise.id}`,
            xp: TRANSLATION_MASTERY_XP,
            localDate: EVER,
          }]
          : []),
      ];
      const saved = await recordTranslationAttempt(db, {
        userId: user.id,
        exerciseId: exercise.id,
        score: result.score,
        mastered,
        now,
        also: creditStatements(db, user.id, credits),
        activity: {
          userId: user.id,
          kind: "translation",
          skill: exercise.direction === "to_target" ? "writing" : "reading",
          languageId: language.id,
          refId: exercise.id,
          correct: correct ? 1 : 0,
          total: 1,
          score: result.score,
          durationSeconds: body.time_spent ?? 0,
          xp: unpaidXp(user.id, credits),
          occurredAt: now,
          localDate: today,
        },
      });
      return c.json({
        data: {
          exercise_id: exercise.id,
          correct,
          score: result.score,
          closest: result.closest,
          corrections: result.corrections,
          feedback: translationFeedback(result, detection, locale),
          language_detection: detection,
          wrong_language: detection.wrong_language,
          // Checking is where answers may be shown: every accepted translation.
          accepted_translations: accepted,
          notes: localized(exercise.notes, locale),
          mastered: saved?.masteredAt !== null && saved?.masteredAt !== undefined,
          progress: progressView(saved ?? null),
          xp_earned: xp,
        },
      });
    },
  );
