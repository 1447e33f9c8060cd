/** `/api/grammar`: topics with progress, one topic's rules and exercises, checking, authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { listGrammarTopics, loadGrammarTopic } from "../db/catalog.ts";
import {
  archiveOrDeleteGrammarTopic,
  deleteGrammarExercise,
  insertGrammarTopic,
  updateGrammarTopic,
  upsertGrammarExercise,
} from "../db/content_admin.ts";
import { exerciseId } from "../db/content_store.ts";
import { CEFR_LEVELS, GrammarExercise, GrammarTopic } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { exerciseView, sentenceAudioUrl, topicSummaryView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam, LevelParam, Pagination } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";
import { languageIdOr404, languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";
import { answerGrammar } from "../actions/answer_grammar.ts";

const GrammarQuery = z.object({
  language: LanguageParam.optional(),
  /** Only this level; by default every level up to `max_level`. */
  level: LevelParam.optional(),
  max_level: LevelParam.optional(),
  ...Pagination,
}).strict();

export const ExerciseAnswers = z.object({
  answers: z.array(
    z.object({
      exercise_id: z.string().min(1).max(200),
      answer: z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]),
    }).strict(),
  ).min(1).max(100),
  /** Seconds spent on the set. */
  time_spent: z.number().int().min(0).max(86_400).default(0),
}).strict();

const NewTopic = GrammarTopic.and(z.object({ language: LanguageParam }));
const TopicPatch = z.object({
  level: LevelParam,
  title: GrammarTopic.shape.title,
  summary: GrammarTopic.shape.summary,
  explanation: GrammarTopic.shape.explanation,
  examples: GrammarTopic.shape.examples,
}).partial().strict();
const TopicExerciseParams = z.object({
  id: IdParam.shape.id,
  exerciseId: IdParam.shape.id,
});

export const grammarRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Grammar topics by language and level, with the learner's progress",
      tags: ["grammar"],
      auth: "optional",
    }),
    validate("query", GrammarQuery),
    async (c) => {
      const q = c.req.valid("query");
      const { db, locale } = c.var;
      const languageId = await languageIdOr404(db, q.language);
      const levels = q.level
        ? [q.level]
        : q.max_level
        ? CEFR_LEVELS.slice(0, CEFR_LEVELS.indexOf(q.max_level) + 1)
        : undefined;
      const rows = await listGrammarTopics(db, { languageId, levels, userId: c.var.user?.id });
      const page = rows.slice(q.offset, q.offset + q.limit);
      return c.json({
        data: page.map((r) => ({
          ...topicSummaryView(r.topic, locale),
          exercise_count: Number(r.exerciseCount),
          progress: progressView(r.progress),
        })),
        meta: { total: rows.length, limit: q.limit, offset: q.offset, locale },
      });
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A grammar topic: explanation, examples and exercises (without answers)",
      tags: ["grammar"],
      auth: "optional",
    }),
    validate("param", IdParam),
    async (c) => {
      const { db, locale } = c.var;
      const found = await loadGrammarTopic(db, c.req.valid("param").id, c.var.user?.id);
      if (!found || found.topic.status !== "published") throw notFound("Grammar topic");
      const { topic, language } = found;
      return c.json({
        data: {
          ...topicSummaryView(topic, locale),
          language: { id: language.id, code: language.code, tts_lang: language.ttsLang },
          explanation: localized(topic.explanation, locale),
          examples: topic.examples.map((e) => ({
            text: e.text,
            translation: localized(e.translation, locale),
            note: localized(e.note, locale),
            audio_url: sentenceAudioUrl(topic.exampleAudio, e.text),
          })),
          exercises: found.exercises.map((e) => exerciseView(e, locale)),
          progress: progressView(found.progress),
        },
      });
    },
  )
  .post(
    "/:id/exercise",
    describe({
      summary:
        "Check answers to a topic's exercises: per-answer result, correct answer, explanation",
      description:
        "`time_spent` is in seconds. Case, spacing and punctuation are ignored; accents " +
        "count, and a missing accent is reported as such.",
      tags: ["grammar"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", ExerciseAnswers),
    async (c) => {
      const body = c.req.valid("json");
      const result = await answerGrammar(c.var, currentUser(c), {
        topicId: c.req.valid("param").id,
        answers: body.answers.map((a) => ({ exerciseId: a.exercise_id, answer: a.answer })),
        timeSpentSeconds: body.time_spent,
      });
      return c.json({ data: result });
    },
  )
  .post(
    "/",
    describe({
      summary: "Create a grammar topic with exercises (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("json", NewTopic),
    async (c) => {
      const body = c.req.valid("json");
      const language = await languageOr404(c.var.db, body.language);
      const created = await insertGrammarTopic(c.var.db, language.id, body);
      if (created === "duplicate") throw conflict("A grammar topic with this slug exists");
      return c.json({ data: created }, 201);
    },
  )
  .patch(
    "/:id",
    describe({
      summary: "Update a grammar topic (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", TopicPatch),
    async (c) => {
      const updated = await updateGrammarTopic(
        c.var.db,
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      if (!updated) throw notFound("Grammar topic");
      return c.json({ data: updated });
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a grammar topic, or archive it when learners have practised it",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const outcome = await archiveOrDeleteGrammarTopic(c.var.db, c.req.valid("param").id);
      if (outcome === "not_found") throw notFound("Grammar topic");
      return c.json({ data: { id: c.req.valid("param").id, outcome } });
    },
  )
  .put(
    "/:id/exercises",
    describe({
      summary: "Add or replace an exercise of a topic (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", GrammarExercise),
    async (c) => {
      const saved = await upsertGrammarExercise(
        c.var.db,
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      if (!saved) throw notFound("Grammar topic");
      return c.json({ data: saved });
    },
  )
  .delete(
    "/:id/exercises/:exerciseId",
    describe({
      summary: "Delete an exercise (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", TopicExerciseParams),
    async (c) => {
      const { id, exerciseId: ex } = c.req.valid("param");
      const fullId = ex.includes("--") ? ex : exerciseId(id, ex);
      if (!(await deleteGrammarExercise(c.var.db, id, fullId))) throw notFound("Exercise");
      return c.json({ data: { id: fullId, outcome: "deleted" } });
    },
  );

function progressView(
  p: {
    attempts: number;
    bestScore: number;
    lastScore: number;
    lastPracticedAt: Date;
    masteredAt: Date | null;
  } | null,
) {
  if (!p) return { status: "not_started", attempts: 0, best_score: null, last_practiced_at: null };
  return {
    status: p.masteredAt ? "mastered" : "in_progress",
    attempts: p.attempts,
    best_score: p.bestScore,
    last_score: p.lastScore,
    last_practiced_at: p.lastPracticedAt.toISOString(),
    mastered_at: p.masteredAt?.toISOString() ?? null,
  };
}
