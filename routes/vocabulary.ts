/**
 * `/api/vocabulary`: browsing words, spaced-repetition practice (FSRS) with undo,
 * the review queue, statistics, and authoring.
 */
import { Hono } from "hono";
import { z } from "zod";
import { currentCourse, currentLanguageId } from "../db/catalog.ts";
import {
  cardState,
  listVocabulary,
  loadReviewQueue,
  loadVocabularyStats,
} from "../db/vocabulary_cards.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localDate, startOfLocalDay } from "../domain/calendar.ts";
import { CEFR_LEVELS, VOCABULARY_CATEGORIES, VocabularyItem } from "../domain/content_schema.ts";
import {
  learnerSchedulerOptions,
  MATURE_STABILITY_DAYS,
  memoryView,
  RATING_NAMES,
  reviewOrder,
} from "../domain/spaced_repetition.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { undoLastReview } from "../actions/undo_review.ts";
import { exampleAudioUrl, wordAudioUrl, wordView } from "../http/content_views.ts";
import type { AppEnv, UserRow } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { IdParam, LanguageParam, Pagination } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";

import {
  archiveOrDeleteVocabulary,
  insertVocabulary,
  updateVocabulary,
} from "../db/content_admin.ts";
import type { Db } from "../db/client.ts";
import { activeParameters, loadEvidence, loadWordMemory } from "../db/fsrs_models.ts";
import {
  curveFromStabilities,
  DEFAULT_PARAMETERS,
  type Grade,
  recall,
  replayCard,
} from "../domain/fsrs_fitting.ts";
import {
  MIN_REVIEWS,
  missingEvidence,
  modelFitter,
  REFIT_EVERY,
} from "../actions/model_fitting.ts";
import { rateLimitedError } from "../http/rate_limit.ts";
import { dateDiffInDays } from "ts-fsrs";
import { describe } from "../http/openapi.ts";
import { languageIdOr404, languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";

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
/** Days at which the learner's overall forgetting curve is reported. */
const CURVE_DAYS = [1, 2, 3, 7, 14, 30, 60, 90, 180, 365];
/** Refit requests per learner per day. */
const REFITS_PER_DAY = 3;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The language a learner is studying: the one asked for, else their current course's. */
async function studyLanguage(db: Db, user: UserRow, asked: string | undefined) {
  return (await languageIdOr404(db, asked)) ?? (await currentLanguageId(db, user.id)) ??
    user.targetLanguages[0] ?? null;
}

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
      const { db, clock, locale, config } = c.var;
      const user = c.var.user;
      let languageId = await languageIdOr404(db, q.language);
      // Signed in without filters: the learner's current course's language and level
      // (a search looks through every level).
      let level: typeof q.level = q.level;
      if (user && !q.language) {
        const course = await currentCourse(db, user.id);
        languageId = course?.languageId ?? user.targetLanguages[0];
        if (!level && !q.q && course) level = course.level as NonNullable<typeof q.level>;
      }
      const { rows, total, parameters } = await listVocabulary(db, {
        languageId,
        level,
        category: q.category ?? q.topic,
        search: q.q ? answerKey(q.q) : undefined,
        userId: user?.id,
        limit: q.limit,
        offset: q.offset,
      });
      const now = clock.now();
      const options = user
        ? learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, parameters)
        : null;
      return c.json({
        data: rows.map((r) => ({
          ...wordView(r.word, locale),
          language_id: r.word.languageId,
          memory: user ? memoryView(r.card ? cardState(r.card) : null, now, options!) : undefined,
        })),
        meta: {
          total,
          limit: q.limit,
          offset: q.offset,
          language_id: languageId ?? null,
          level: level ?? null,
          locale,
        },
      });
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
      const { db, clock, config, locale } = c.var;
      const user = currentUser(c);
      const now = clock.now();
      const languageId = await studyLanguage(db, user, q.language);
      const newAllowance = user.preferences.daily_new_limit;
      const queue = await loadReviewQueue(db, {
        userId: user.id,
        now,
        dayStart: startOfLocalDay(now, user.timezone),
        languageId,
        limit: q.limit,
        newLimit: newAllowance,
      });
      const options = learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, queue.parameters);
      const ordered = reviewOrder(
        queue.due.map((d) => ({ ...d, card: cardState(d.card) })),
        now,
        options,
      );
      const newToday = Math.max(0, newAllowance - queue.introducedToday);
      // New words fill the queue only when few reviews are due.
      const fresh = queue.fresh.slice(0, Math.max(0, Math.min(newToday, q.limit - ordered.length)));
      const prompt = (w: (typeof queue.fresh)[number]) => ({
        vocabulary_id: w.id,
        word: w.word,
        reading: w.reading,
        romanization: w.romanization,
        ipa: w.ipa,
        part_of_speech: w.partOfSpeech,
        gender: w.gender,
        level: w.level,
        category: w.category,
        audio_url: wordAudioUrl(w),
        example: w.example.text,
        example_audio_url: exampleAudioUrl(w),
        prompt: {
          direction: "to_native" as const,
          text: w.word,
          instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
        },
      });
      return c.json({
        data: [
          ...ordered.map((d) => ({
            ...prompt(d.word),
            kind: "review" as const,
            memory: memoryView(d.card, now, options),
            overdue_days: Math.max(
              0,
              Math.floor((now.getTime() - d.card.nextReview.getTime()) / 86_400_000),
            ),
          })),
          ...fresh.map((w) => ({
            ...prompt(w),
            kind: "new" as const,
            memory: null,
            overdue_days: 0,
          })),
        ],
        meta: {
          total: ordered.length + fresh.length,
          due: queue.dueCount,
          overdue: queue.overdueCount,
          new: fresh.length,
          new_remaining_today: newToday,
          language_id: languageId,
        },
      });
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
      const { days } = c.req.valid("query");
      const user = currentUser(c);
      const now = c.var.clock.now();
      const stats = await loadVocabularyStats(c.var.db, user.id, now, days);
      const forecast = Array.from({ length: days }, (_, i) => ({
        date: localDate(new Date(now.getTime() + i * 86_400_000), user.timezone),
        due: 0,
      }));
      for (const row of stats.upcoming) {
        if (forecast[row.day]) forecast[row.day].due += row.n;
      }
      // True retention: recall rate of cards that were in review (not still being learned).
      const reviewed = stats.outcomes.find((o) => o.stateBefore === 2);
      const all = stats.outcomes.reduce(
        (a, o) => ({ n: a.n + o.reviews, c: a.c + Number(o.correct) }),
        { n: 0, c: 0 },
      );
      return c.json({
        data: {
          forecast,
          due_now: forecast[0]?.due ?? 0,
          true_retention_30d: reviewed && reviewed.reviews > 0
            ? Math.round((Number(reviewed.correct) / reviewed.reviews) * 1000) / 1000
            : null,
          mature_reviews_30d: reviewed?.reviews ?? 0,
          accuracy_30d: all.n ? Math.round((all.c / all.n) * 1000) / 1000 : null,
          reviews_30d: all.n,
          desired_retention: user.preferences.desired_retention,
          cards: Number(stats.totals.cards),
          mature: Number(stats.totals.mature ?? 0),
          learning: Number(stats.totals.learning ?? 0),
          mature_threshold_days: MATURE_STABILITY_DAYS,
          personal_model: stats.parameters !== null,
          // Mean predicted recall of the learner's reviewed words, t days after a review.
          forgetting_curve: stats.stabilities.length
            ? curveFromStabilities(
              stats.stabilities,
              stats.parameters ?? DEFAULT_PARAMETERS,
              CURVE_DAYS,
            ).map((r, i) => ({ days: CURVE_DAYS[i], recall: round3(r) }))
            : [],
        },
      });
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
      const user = currentUser(c);
      const { db, clock } = c.var;
      const evidence = await loadEvidence(db, user.id);
      const model = evidence.model;
      const missing = missingEvidence(evidence);
      const inUse = activeParameters(model ? [model] : []);
      const personal = inUse !== null;
      const improvement = model?.defaultLogLoss && model.fittedLogLoss !== null
        ? (model.defaultLogLoss - model.fittedLogLoss) / model.defaultLogLoss
        : null;
      return c.json({
        data: {
          personalized: personal,
          status: model?.status ?? "default",
          fit_pending: modelFitter(db, clock).isQueued(user.id),
          parameters: inUse ?? [...DEFAULT_PARAMETERS],
          default_parameters: [...DEFAULT_PARAMETERS],
          desired_retention: user.preferences.desired_retention,
          review_count: evidence.reviews,
          word_count: evidence.words,
          fitted_at: model?.fittedAt?.toISOString() ?? null,
          fitted_on_reviews: model?.fittedAt ? model.reviewCount : null,
          next_fit_at_reviews: model
            ? model.reviewCount + REFIT_EVERY
            : Math.max(evidence.reviews, MIN_REVIEWS),
          log_loss: model?.defaultLogLoss != null && model.fittedLogLoss != null
            ? {
              default: round3(model.defaultLogLoss),
              fitted: round3(model.fittedLogLoss),
              recent_reviews_compared: model.testReviews,
            }
            : null,
          improvement_percent: improvement === null ? null : Math.round(improvement * 1000) / 10,
          reviews_needed: missing.reviews,
          words_needed: missing.words,
          message: modelMessage(model, missing, improvement),
        },
      });
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
      const user = currentUser(c);
      const { days } = c.req.valid("query");
      const vocabularyId = c.req.valid("param").id;
      const now = c.var.clock.now();
      const loaded = await loadWordMemory(c.var.db, user.id, vocabularyId);
      if (!loaded.word || loaded.word.status !== "published") throw notFound("Vocabulary item");
      const w = loaded.parameters ?? DEFAULT_PARAMETERS;
      const reviews = loaded.reviews.filter((r) => r.rating >= 1 && r.rating <= 4);
      const steps = replayCard(
        w,
        reviews.map((r, i) => ({
          rating: r.rating as Grade,
          elapsedDays: i ? Math.max(0, dateDiffInDays(reviews[i - 1].reviewedAt, r.reviewedAt)) : 0,
        })),
      );
      const last = steps.at(-1);
      const lastAt = reviews.at(-1)?.reviewedAt;
      return c.json({
        data: {
          vocabulary_id: vocabularyId,
          word: loaded.word.word,
          personalized: loaded.parameters !== null,
          history: steps.map((s, i) => ({
            reviewed_at: reviews[i].reviewedAt.toISOString(),
            rating: RATING_NAMES[s.rating],
            elapsed_days: s.elapsedDays,
            predicted_recall: s.predicted === null ? null : round3(s.predicted),
            stability_days: Math.round(s.stability * 100) / 100,
            difficulty: Math.round(s.difficulty * 100) / 100,
          })),
          forecast: last && lastAt
            ? Array.from({ length: days + 1 }, (_, d) => {
              const at = new Date(now.getTime() + d * DAY_MS);
              const t = Math.max(0, dateDiffInDays(lastAt, at));
              return {
                date: localDate(at, user.timezone),
                days_from_now: d,
                recall: round3(recall(w, t, last.stability)),
              };
            })
            : [],
        },
      });
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

/** What the learner reads about their model. */
function modelMessage(
  model: { status: string; active: boolean } | null,
  missing: { reviews: number; words: number },
  improvement: number | null,
): string {
  if (missing.reviews > 0 || missing.words > 0) {
    const parts = [
      missing.reviews > 0 ? `${missing.reviews} more reviews` : null,
      missing.words > 0 ? `reviews of ${missing.words} more words` : null,
    ].filter(Boolean).join(" and ");
    return `Your reviews are scheduled with the standard memory model. After ${parts}, ` +
      `a personal model will be fitted to how you remember.`;
  }
  if (!model) return "Your personal memory model will be fitted shortly.";
  if (model.active && improvement !== null) {
    const pct = Math.max(0, Math.round(improvement * 100));
    return `Your personal model predicts your recall ${pct}% better than the default ` +
      `on your most recent reviews, so your reviews are scheduled with it.`;
  }
  if (model.status === "failed") {
    return "The last fit of your personal model did not work out; your reviews keep the " +
      "standard model until the next one.";
  }
  return "A personal model did not predict your recent reviews better than the default, so " +
    "your reviews stay on the standard model; it is fitted again as you practise.";
}
