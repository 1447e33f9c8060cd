/**
 * `/api/vocabulary`: browsing words, spaced-repetition practice (FSRS) with undo,
 * the review queue, statistics, and authoring.
 */
import { Hono } from "hono";
import { z } from "zod";
import { CEFR_LEVELS, VOCABULARY_CATEGORIES, VocabularyItem } from "../domain/content_schema.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { undoLastReview } from "../actions/undo_review.ts";
import type { AppEnv } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { IdParam, LanguageParam, Pagination } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";

import {
  archiveOrDeleteVocabulary,
  insertVocabulary,
  updateVocabulary,
} from "../db/content_admin.ts";
import { loadEvidence } from "../db/fsrs_models.ts";
import { missingEvidence, modelFitter } from "../actions/model_fitting.ts";
import { rateLimitedError } from "../http/rate_limit.ts";
import { describe } from "../http/openapi.ts";
import { languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";
import { modelMessage } from "../domain/memory_report.ts";
import { memoryModel } from "../actions/memory_model.ts";
import { reviewQueue } from "../actions/review_queue.ts";
import { vocabularyList } from "../actions/vocabulary_list.ts";
import { vocabularyStats } from "../actions/vocabulary_stats.ts";
import { wordMemory } from "../actions/word_memory.ts";

const NewWord = VocabularyItem.extend({ language: LanguageParam });
const WordPatch = VocabularyItem.omit({ word: true }).partial().strict();

const VocabularyQuery = z.object({
  language: LanguageParam.optional(),
  level: z.enum(CEFR_LEVELS).optional(),
  category: z.enum(VOCABULARY_CATEGORIES).optional(),
  topic: z.enum(VOCABULARY_CATEGORIES).optional(),
  /** Prefix of the word, its reading or romanization, or its translation. */
  q: z.string().trim().min(1).max(64).optional(),
  ...Pagination,
}).strict();

export const PracticeBody = z.object({
  user_answer: z.string().max(200),
  /** Milliseconds from showing the prompt to the answer. */
  response_time: z.number().min(0).max(3_600_000 - 1, "Must be below an hour (in ms)"),
  difficulty: z.enum(["again", "hard", "good", "easy"]).optional(),
  /** `to_native` (default): the word is shown, its meaning typed. `to_target`: the reverse. */
  direction: z.enum(["to_native", "to_target"]).default("to_native"),
}).strict();

const ReviewQuery = z.object({
  language: LanguageParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

const StatsQuery = z.object({
  days: z.coerce.number().int().refine((d) => d === 7 || d === 30, "Use 7 or 30").default(30),
}).strict();

const MemoryQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(60),
}).strict();

const NoQuery = z.object({}).strict();

const DAY_MS = 86_400_000;
/** Refit requests per learner per day. */
const REFITS_PER_DAY = 3;

export const vocabularyRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary:
        "Vocabulary by language, level and category, with search and the learner's memory state",
      description:
        "Signed in, the language defaults to the learner's current course. `q` matches " +
        "the start of the word, reading, romanization or translation.",
      tags: ["vocabulary"],
      auth: "optional",
    }),
    validate("query", VocabularyQuery),
    async (c) => {
      const q = c.req.valid("query");
      const page = await vocabularyList(c.var, c.var.user ?? null, {
        language: q.language,
        level: q.level,
        category: q.category ?? q.topic,
        search: q.q,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json(page);
    },
  )
  .get(
    "/review",
    describe({
      summary:
        "Words due now, most at risk of being forgotten first, plus new words up to the daily limit",
      description:
        "Prompts never include the translation. `meta` counts due, overdue (more than a " +
        "day late) and new words.",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("query", ReviewQuery),
    async (c) => {
      const q = c.req.valid("query");
      const queue = await reviewQueue(c.var, currentUser(c), {
        language: q.language,
        limit: q.limit,
      });
      return c.json(queue);
    },
  )
  .get(
    "/stats",
    describe({
      summary: "Review forecast for the next 7 or 30 days and true retention over the last 30",
      description: "`forgetting_curve`: the learner's reviewed words' mean predicted recall " +
        "1 to 365 days after a review, under the learner's own FSRS weights when they have " +
        "them (see `GET /api/vocabulary/model`).",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("query", StatsQuery),
    async (c) => {
      const data = await vocabularyStats(c.var, currentUser(c), {
        days: c.req.valid("query").days,
      });
      return c.json({ data });
    },
  )
  .get(
    "/model",
    describe({
      summary: "The learner's memory model: FSRS weights in use and how well they predict recall",
      description: "After 400 reviews over at least 50 words the weights are fitted to the " +
        "learner's own reviews in the background, then again after every further 500. The fit " +
        "is used only when it predicts the learner's most recent 20% of reviews better than the " +
        "defaults (held-out log loss).",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("query", NoQuery),
    async (c) => {
      const data = await memoryModel(c.var, currentUser(c));
      return c.json({ data });
    },
  )
  .post(
    "/model/refit",
    describe({
      summary: "Ask for the learner's memory model to be fitted again now (in the background)",
      description: `At most ${REFITS_PER_DAY} a day. 409 with \`reviews_needed\` and ` +
        "`words_needed` when there are too few reviews yet; 202 when the fit is queued (poll " +
        "`GET /api/vocabulary/model`).",
      tags: ["vocabulary"],
      auth: "user",
      responses: { 202: "Fit queued", 409: "Too few reviews", 429: "Rate limited" },
    }),
    requireUser,
    validate("query", NoQuery),
    async (c) => {
      const user = currentUser(c);
      const { db, clock, deps } = c.var;
      const now = clock.now();
      const count = await deps.limiter.hit(db, `fsrs-refit:${user.id}`, DAY_MS, now);
      if (count.count > REFITS_PER_DAY) {
        throw rateLimitedError(count.windowStart, DAY_MS, now, "Too many refit requests today");
      }
      const evidence = await loadEvidence(db, user.id);
      const missing = missingEvidence(evidence);
      if (missing.reviews > 0 || missing.words > 0) {
        throw conflict(modelMessage(null, missing, null), {
          reviews_needed: missing.reviews,
          words_needed: missing.words,
        });
      }
      const fitter = modelFitter(db, clock);
      fitter.enqueue(user.id);
      return c.json({ data: { status: "queued", review_count: evidence.reviews } }, 202);
    },
  )
  .get(
    "/:id/memory",
    describe({
      summary: "A word's memory: stability and difficulty after each review, and predicted " +
        "recall for the coming days",
      description: "Replays the learner's reviews of the word under their memory model " +
        "(their own FSRS weights when fitted, else the defaults). `forecast` has one point per " +
        "day from today to `days` (default 60).",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    validate("query", MemoryQuery),
    async (c) => {
      const data = await wordMemory(c.var, currentUser(c), {
        vocabularyId: c.req.valid("param").id,
        days: c.req.valid("query").days,
      });
      return c.json({ data });
    },
  )
  .post(
    "/:id/practice",
    describe({
      summary: "Answer a word: checked, rated, scheduled with FSRS",
      description:
        "`response_time` is in milliseconds (below an hour). Rating: a wrong answer is " +
        "`again`; a right one takes the learner's `difficulty` if given, else `hard` when it had a " +
        "typo or a missing accent or was slow (over 8 s + 0.3 s per letter), else `good`.",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", PracticeBody),
    async (c) => {
      const body = c.req.valid("json");
      const result = await practiseWord(c.var, currentUser(c), {
        vocabularyId: c.req.valid("param").id,
        userAnswer: body.user_answer,
        direction: body.direction,
        difficulty: body.difficulty,
        responseTimeMs: body.response_time,
      });
      return c.json({ data: result });
    },
  )
  .post(
    "/:id/practice/undo",
    describe({
      summary: "Undo the learner's last review of a word, restoring the card exactly",
      tags: ["vocabulary"],
      auth: "user",
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const result = await undoLastReview(c.var, currentUser(c), c.req.valid("param").id);
      return c.json({ data: result });
    },
  )
  .post(
    "/",
    describe({
      summary: "Create a vocabulary item (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("json", NewWord),
    async (c) => {
      const { language: code, ...item } = c.req.valid("json");
      const language = await languageOr404(c.var.db, code);
      const created = await insertVocabulary(c.var.db, language.id, item);
      if (created === "duplicate") throw conflict(`${item.word} already exists in this language`);
      return c.json({ data: created }, 201);
    },
  )
  .patch(
    "/:id",
    describe({
      summary: "Update a vocabulary item (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", WordPatch),
    async (c) => {
      const updated = await updateVocabulary(
        c.var.db,
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      if (!updated) throw notFound("Vocabulary item");
      return c.json({ data: updated });
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a vocabulary item, or archive it when learners have reviewed it",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const outcome = await archiveOrDeleteVocabulary(c.var.db, c.req.valid("param").id);
      if (outcome === "not_found") throw notFound("Vocabulary item");
      return c.json({ data: { id: c.req.valid("param").id, outcome } });
    },
  );
