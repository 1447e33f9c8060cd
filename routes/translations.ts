/**
 * `/api/translations`: translation exercises (never with their answers) and
 * checking a learner's translation: score, closest accepted translation,
 * word-level corrections and the answer's detected language.
 */
import { Hono } from "hono";
import { checkTranslationAnswer, progressView } from "../actions/check_translation.ts";
import { z } from "zod";
import type { languages, translationExercises, userTranslations } from "../db/schema.ts";
import { listTranslationExercises } from "../db/translation_practice.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { exerciseSides } from "../domain/translation_checking.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
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

/** An exercise as the learner sees it: never `accepted`, and not the notes (they give it away). */
function exerciseView(
  e: ExerciseRow,
  language: LanguageRow,
  progress: ProgressRow | null,
  locale: Locale,
  signedIn: boolean,
) {
  const side = exerciseSides(e, language.code, locale);
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
        "of 90 or more. Also answers the achievements the attempt earned (`new_achievements`) " +
        "and the learner's `streak`.",
      tags: ["translations"],
      auth: "user",
    }),
    requireUser,
    validate("json", CheckBody),
    async (c) => {
      const body = c.req.valid("json");
      const result = await checkTranslationAnswer(c.var, currentUser(c), {
        userTranslation: body.user_translation,
        exerciseId: body.exercise_id,
        sourceText: body.source_text,
        language: body.language,
        timeSpentSeconds: body.time_spent,
      });
      return c.json({ data: result });
    },
  );
