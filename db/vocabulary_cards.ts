/**
 * Learners' vocabulary cards and their review log. Reviews are written with
 * optimistic concurrency: the card update only applies if the card is still at
 * the version (`reps`) it was read at, and every later statement of the batch is
 * conditioned on the one before it having changed a row (`changes() = 1`), so a
 * lost race writes nothing and the caller retries with fresh state.
 */
import { and, asc, count, desc, eq, gte, isNull, lte, type Placeholder, sql } from "drizzle-orm";
import { union } from "drizzle-orm/sqlite-core";
import { LEARNER_LOCALES, type Locale } from "../domain/content_schema.ts";
import type { CardState } from "../domain/spaced_repetition.ts";
import type { Db } from "./client.ts";
import { preparedReads, preparedStatement } from "./prepared.ts";
import { type ActivityEntry, activityStatements, type Statement } from "./learning_records.ts";
import { abilitiesQuery, itemDifficultiesQuery } from "./ability_records.ts";
import { activeParameters, modelQuery } from "./fsrs_models.ts";
import { weekStartUtc } from "../domain/calendar.ts";
import { type DayTotal, totalsFromDays, withoutAction } from "../domain/learner_totals.ts";
import {
  dayTotalsQuery,
  rewriteTotalsStatements,
  totalsQuery,
  type TotalsRow,
  totalsUnchanged,
} from "./learner_totals.ts";
import {
  activityLog,
  dailyActivity,
  errorEvents,
  languages,
  matureCard,
  reviewLogs,
  users,
  userVocabulary,
  vocabulary,
  weeklyXp,
} from "./schema.ts";

type CardRow = typeof userVocabulary.$inferSelect;

export function cardState(row: CardRow): CardState {
  return {
    stability: row.stability,
    difficulty: row.difficulty,
    state: row.state,
    reps: row.reps,
    lapses: row.lapses,
    elapsedDays: row.elapsedDays,
    scheduledDays: row.scheduledDays,
    learningSteps: row.learningSteps,
    nextReview: row.nextReview,
    lastReviewed: row.lastReviewed,
    familiarityLevel: row.familiarityLevel,
    reviewCount: row.reviewCount,
    correctCount: row.correctCount,
    introducedAt: row.introducedAt,
  };
}

/** JSON form of a card for the review log (dates as epoch ms), so undo restores it exactly. */
export function cardSnapshot(card: CardState): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(card).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v]),
  );
}

export function cardFromSnapshot(snapshot: Record<string, unknown>): CardState {
  const s = snapshot as Record<string, number | null>;
  return {
    ...(s as unknown as CardState),
    nextReview: new Date(s.nextReview as number),
    lastReviewed: s.lastReviewed === null ? null : new Date(s.lastReviewed as number),
    introducedAt: new Date(s.introducedAt as number),
  };
}

/**
 * Everything a practice needs in one round trip: the word and its language, the
 * learner's card, and known words the answer might be confused with.
 */
/**
 * A word's translation in one learner language, lower-cased: the expression the
 * per-locale indexes of migration 0004 hold (hand-written: drizzle-kit splits an
 * expression index at its commas). The JSON path is a literal, never a bound
 * value, or SQLite could not match the query's expression to the index.
 */
export function translationKey(locale: Locale) {
  if (!LEARNER_LOCALES.includes(locale)) throw new RangeError(`unknown locale ${locale}`);
  return sql`lower(json_extract(${vocabulary.translation}, ${sql.raw(`'$.${locale}'`)}))`;
}

/**
 * Other words of the same language the answer names (by their written form or
 * their translation in the learner's language), to tell a confused word from a
 * plain miss. Two indexed lookups in a UNION: an OR across the two columns
 * made SQLite walk the whole language (0.75 ms at 1,150 words, on every answer).
 * The translation path is a literal so the expression index matches.
 */
export function confusionsQuery(
  db: Db,
  vocabularyId: string | Placeholder,
  answerKey: string | Placeholder,
  locale: Locale,
) {
  const language =
    sql`(SELECT ${vocabulary.languageId} FROM ${vocabulary} WHERE ${vocabulary.id} = ${vocabularyId})`;
  const columns = { id: vocabulary.id, word: vocabulary.word, translation: vocabulary.translation };
  const others = sql`${vocabulary.id} <> ${vocabularyId}`;
  return union(
    db.select(columns).from(vocabulary).where(
      and(eq(vocabulary.languageId, language), eq(vocabulary.searchKey, answerKey), others),
    ),
    db.select(columns).from(vocabulary).where(
      and(
        eq(vocabulary.languageId, language),
        eq(translationKey(locale), answerKey),
        others,
      ),
    ),
  ).limit(3);
}

export async function loadPractice(
  db: Db,
  args: { userId: string; vocabularyId: string; answerKey: string; locale: Locale },
) {
  const reads = practiceReads[args.locale] ??= preparePracticeReads(args.locale);
  const [wordRows, cardRows, confusions, abilities, items, model] = await reads(db, {
    userId: args.userId,
    vocabularyId: args.vocabularyId,
    answerKey: args.answerKey,
  });
  if (!wordRows[0]) return null;
  return {
    ...wordRows[0],
    card: cardRows[0] ?? null,
    confusions,
    abilities,
    items,
    parameters: activeParameters(model),
  };
}

/** Per learner locale: the confusion lookup's JSON path is a literal (see translationKey). */
function preparePracticeReads(locale: Locale) {
  return preparedReads(["userId", "vocabularyId", "answerKey"], (db, p) => {
    const language =
      sql`(SELECT ${vocabulary.languageId} FROM ${vocabulary} WHERE ${vocabulary.id} = ${p.vocabularyId})`;
    return [
      db.select({ word: vocabulary, language: languages }).from(vocabulary)
        .innerJoin(languages, eq(languages.id, vocabulary.languageId))
        .where(eq(vocabulary.id, p.vocabularyId)).limit(1),
      db.select().from(userVocabulary).where(and(
        eq(userVocabulary.userId, p.userId),
        eq(userVocabulary.vocabularyId, p.vocabularyId),
      )),
      confusionsQuery(db, p.vocabularyId, p.answerKey, locale),
      // The adaptive model's state for this learner and word (db/ability_records.ts).
      abilitiesQuery(db, p.userId, language),
      itemDifficultiesQuery(db, sql`(${p.vocabularyId})`),
      // The learner's fitted FSRS weights, if any (db/fsrs_models.ts).
      modelQuery(db, p.userId),
    ] as const;
  });
}
const practiceReads: Partial<Record<Locale, ReturnType<typeof preparePracticeReads>>> = {};

/** A card's columns, for Drizzle's typed builders (undo). */
function cardColumns(card: CardState) {
  return {
    familiarityLevel: card.familiarityLevel,
    lastReviewed: card.lastReviewed,
    nextReview: card.nextReview,
    reviewCount: card.reviewCount,
    correctCount: card.correctCount,
    stability: card.stability,
    difficulty: card.difficulty,
    state: card.state,
    reps: card.reps,
    lapses: card.lapses,
    elapsedDays: card.elapsedDays,
    scheduledDays: card.scheduledDays,
    learningSteps: card.learningSteps,
    introducedAt: card.introducedAt,
  };
}

/** The same columns as bound values (timestamps as epoch ms: placeholders skip encoders). */
function cardValues(card: CardState) {
  return {
    ...cardColumns(card),
    lastReviewed: card.lastReviewed?.getTime() ?? null,
    nextReview: card.nextReview.getTime(),
    introducedAt: card.introducedAt.getTime(),
  };
}
const CARD_VALUES = Object.keys(cardValues({
  nextReview: new Date(0),
  introducedAt: new Date(0),
} as CardState)) as (keyof ReturnType<typeof cardValues>)[];

/** The first review of a word: the card is created unless a racing review created it. */
const cardInsert = preparedStatement(
  ["userId", "vocabularyId", ...CARD_VALUES],
  (db, p) =>
    db.run(sql`INSERT INTO ${userVocabulary} (user_id, vocabulary_id, familiarity_level,
    last_reviewed, next_review, review_count, correct_count, stability, difficulty, state, reps,
    lapses, elapsed_days, scheduled_days, learning_steps, introduced_at)
    VALUES (${p.userId}, ${p.vocabularyId}, ${p.familiarityLevel}, ${p.lastReviewed},
      ${p.nextReview}, ${p.reviewCount}, ${p.correctCount}, ${p.stability}, ${p.difficulty},
      ${p.state}, ${p.reps}, ${p.lapses}, ${p.elapsedDays}, ${p.scheduledDays},
      ${p.learningSteps}, ${p.introducedAt})
    ON CONFLICT DO NOTHING`),
);

/** A later review: applies only if the card is still at the version it was read at. */
const cardUpdate = preparedStatement(
  ["userId", "vocabularyId", "readReps", "readReviewCount", ...CARD_VALUES],
  (db, p) =>
    db.run(sql`UPDATE ${userVocabulary} SET familiarity_level = ${p.familiarityLevel},
      last_reviewed = ${p.lastReviewed}, next_review = ${p.nextReview},
      review_count = ${p.reviewCount}, correct_count = ${p.correctCount},
      stability = ${p.stability}, difficulty = ${p.difficulty}, state = ${p.state},
      reps = ${p.reps}, lapses = ${p.lapses}, elapsed_days = ${p.elapsedDays},
      scheduled_days = ${p.scheduledDays}, learning_steps = ${p.learningSteps},
      introduced_at = ${p.introducedAt}
      WHERE user_id = ${p.userId} AND vocabulary_id = ${p.vocabularyId}
        AND reps = ${p.readReps} AND review_count = ${p.readReviewCount}`),
);

const REVIEW_VALUES = [
  "userId",
  "vocabularyId",
  "rating",
  "stateBefore",
  "correct",
  "userAnswer",
  "responseTimeMs",
  "elapsedDays",
  "scheduledDays",
  "previous",
  "reviewedAt",
  "questionType",
  "errorKind",
  "languageId",
  "expected",
] as const;

const reviewLogInsert = preparedStatement(
  REVIEW_VALUES,
  (db, p) =>
    db.run(sql`INSERT INTO ${reviewLogs} (user_id, vocabulary_id, rating, state_before, correct,
    user_answer, response_time_ms, elapsed_days, scheduled_days, previous, reviewed_at)
    SELECT ${p.userId}, ${p.vocabularyId}, ${p.rating}, ${p.stateBefore}, ${p.correct},
      ${p.userAnswer}, ${p.responseTimeMs}, ${p.elapsedDays}, ${p.scheduledDays}, ${p.previous},
      ${p.reviewedAt}
    WHERE changes() = 1`),
);

const practiceErrorInsert = preparedStatement(
  REVIEW_VALUES,
  (db, p) =>
    db.run(sql`INSERT INTO ${errorEvents} (user_id, source, question_type, error_kind,
    vocabulary_id, language_id, given, expected, occurred_at)
    SELECT ${p.userId}, 'practice', ${p.questionType}, ${p.errorKind}, ${p.vocabularyId},
      ${p.languageId}, ${p.userAnswer}, ${p.expected}, ${p.reviewedAt}
    WHERE changes() = 1`),
);

/**
 * A review's statements, for one atomic batch: card, review log, the wrong answer's
 * error event, then the activity chain (XP, rollups, running totals). The first is
 * the card write, conditional on the version read; everything after it is chained
 * on it, so a review that lost a race to another review of the same card writes
 * nothing (its first result changed no row) and the caller retries with fresh state.
 * All prepared: a review only binds values.
 */
export function reviewStatements(
  db: Db,
  args: {
    userId: string;
    vocabularyId: string;
    previous: CardState | null;
    next: CardState;
    rating: number;
    stateBefore: number;
    correct: boolean;
    userAnswer: string;
    responseTimeMs: number;
    elapsedDays: number;
    scheduledDays: number;
    now: Date;
    activity: ActivityEntry;
    /** Set for a wrong answer: recorded for error-pattern analysis. */
    error?: { questionType: string; errorKind: string; expected: string };
  },
): Statement[] {
  const { userId, vocabularyId, previous, now, activity } = args;
  const card = { userId, vocabularyId, ...cardValues(args.next) };
  const review = {
    userId,
    vocabularyId,
    rating: args.rating,
    stateBefore: args.stateBefore,
    correct: args.correct ? 1 : 0,
    userAnswer: args.userAnswer,
    responseTimeMs: args.responseTimeMs,
    elapsedDays: args.elapsedDays,
    scheduledDays: args.scheduledDays,
    previous: previous ? JSON.stringify(cardSnapshot(previous)) : null,
    reviewedAt: now.getTime(),
    questionType: args.error?.questionType ?? null,
    errorKind: args.error?.errorKind ?? null,
    languageId: activity.languageId,
    expected: args.error?.expected ?? null,
  };
  return [
    previous
      ? cardUpdate(db, { ...card, readReps: previous.reps, readReviewCount: previous.reviewCount })
      : cardInsert(db, card),
    reviewLogInsert(db, review),
    ...(args.error ? [practiceErrorInsert(db, review)] : []),
    ...activityStatements(db, activity, { afterConditionalWrite: true }),
  ];
}

/**
 * The learner's latest review of a card that has not been undone, with what undoing
 * it must rewrite: its activity row (the review's time identifies it), the running
 * totals and the days of activity.
 */
export async function lastReview(db: Db, userId: string, vocabularyId: string) {
  const latest = db.select().from(reviewLogs).where(and(
    eq(reviewLogs.userId, userId),
    eq(reviewLogs.vocabularyId, vocabularyId),
    isNull(reviewLogs.undoneAt),
  )).orderBy(desc(reviewLogs.reviewedAt), desc(reviewLogs.id)).limit(1);
  const [[log], [card], [activity], [totals], days, model] = await db.batch([
    latest,
    db.select().from(userVocabulary).where(and(
      eq(userVocabulary.userId, userId),
      eq(userVocabulary.vocabularyId, vocabularyId),
    )),
    db.select().from(activityLog).where(and(
      eq(activityLog.userId, userId),
      eq(activityLog.kind, "practice"),
      eq(activityLog.refId, vocabularyId),
      sql`${activityLog.occurredAt} = (SELECT reviewed_at FROM (${latest}))`,
    )).limit(1),
    totalsQuery(db, userId),
    // Undo is rare and may rewrite history (an emptied day breaks a streak), so it
    // rebuilds the streak from every active day rather than keeping snapshots.
    dayTotalsQuery(db, userId),
    modelQuery(db, userId),
  ]);
  return {
    log: log ?? null,
    card: card ?? null,
    activity: activity ?? null,
    totals: totals ?? null,
    days: days.map((d) => ({ day: d.day, actions: Number(d.actions), xp: Number(d.xp) })),
    parameters: activeParameters(model),
  };
}

/**
 * Reverts a review: the card goes back to the logged state (or is removed if the
 * review created it), the log is marked undone, the activity and its XP are taken
 * back out of every total. Conditional on the card still being the one the review
 * produced and on the running totals not having moved since they were read: the
 * first statement changes no row when either moved, and the rest are chained on it.
 */
export function undoStatements(
  db: Db,
  args: {
    userId: string;
    vocabularyId: string;
    logId: number;
    current: CardState;
    restore: CardState | null;
    reviewedAt: Date;
    now: Date;
    activity: typeof activityLog.$inferSelect;
    totals: TotalsRow | null;
    days: DayTotal[];
    goalXp: number;
  },
): Statement[] {
  const { userId, vocabularyId, activity } = args;
  const match = and(
    eq(userVocabulary.userId, userId),
    eq(userVocabulary.vocabularyId, vocabularyId),
    eq(userVocabulary.reps, args.current.reps),
    eq(userVocabulary.reviewCount, args.current.reviewCount),
    totalsUnchanged(userId, args.totals?.revision ?? null),
  );
  const activityMatch = sql`id = ${activity.id}`;
  const week = weekStartUtc(args.reviewedAt);
  return [
    args.restore
      ? db.update(userVocabulary).set(cardColumns(args.restore)).where(match)
      : db.delete(userVocabulary).where(match),
    db.run(sql`UPDATE ${reviewLogs} SET undone_at = ${args.now.getTime()}
      WHERE id = ${args.logId} AND changes() = 1`),
    // Take the review's activity back out of every total it was added to.
    db.run(sql`UPDATE ${dailyActivity} SET actions = daily_activity.actions - 1,
        seconds = daily_activity.seconds - a.duration_seconds, xp = daily_activity.xp - a.xp,
        correct = daily_activity.correct - coalesce(a.correct, 0),
        total = daily_activity.total - coalesce(a.total, 0)
      FROM (SELECT * FROM ${activityLog} WHERE ${activityMatch}) AS a
      WHERE ${dailyActivity}.user_id = a.user_id AND ${dailyActivity}.local_date = a.local_date
        AND ${dailyActivity}.skill = a.skill AND ${dailyActivity}.kind = a.kind AND changes() = 1`),
    db.run(
      sql`UPDATE ${weeklyXp} SET xp = xp - ${activity.xp}
      WHERE user_id = ${userId} AND week_start = ${week} AND changes() = 1`,
    ),
    db.run(
      sql`UPDATE ${users} SET xp = max(0, xp - ${activity.xp}) WHERE id = ${userId} AND changes() = 1`,
    ),
    db.run(sql`DELETE FROM ${activityLog} WHERE ${activityMatch} AND changes() = 1`),
    ...rewriteTotalsStatements(db, {
      userId,
      derived: totalsFromDays(
        withoutAction(args.days, activity.localDate, activity.xp),
        args.goalXp,
      ),
      xpWeek: args.totals?.xpWeekStart === week
        ? args.totals.xpWeek - activity.xp
        : args.totals?.xpWeek ?? 0,
      action: {
        kind: activity.kind,
        skill: activity.skill,
        seconds: activity.durationSeconds,
        xp: activity.xp,
        correct: activity.correct ?? 0,
        total: activity.total ?? 0,
      },
    }),
    // A day whose only action was undone is no longer an active day.
    db.delete(dailyActivity).where(and(
      eq(dailyActivity.userId, userId),
      eq(dailyActivity.localDate, activity.localDate),
      eq(dailyActivity.actions, 0),
    )),
  ];
}

/** Cards due now with their words, most overdue first, at most `limit` (the index's order). */
/** What a review prompt shows of a word (never its translation). */
const promptColumns = {
  id: vocabulary.id,
  word: vocabulary.word,
  reading: vocabulary.reading,
  romanization: vocabulary.romanization,
  ipa: vocabulary.ipa,
  partOfSpeech: vocabulary.partOfSpeech,
  gender: vocabulary.gender,
  level: vocabulary.level,
  category: vocabulary.category,
  audioId: vocabulary.audioId,
  speechAudioId: vocabulary.speechAudioId,
  exampleAudioId: vocabulary.exampleAudioId,
  example: vocabulary.example,
};

/**
 * The `limit` due cards most at risk of being forgotten. FSRS retrievability
 * falls as whole days since the last review over stability grow (one decay for
 * every card of a learner), so ordering by that ratio in SQL picks the same
 * cards as `reviewOrder()` (which then orders them exactly) without loading
 * every due card: a learner with thousands due still gets one indexed range
 * and a sort inside SQLite. Never-reviewed or zero-stability cards count as
 * most at risk, as `retrievability()` gives them 0.
 */
export function dueCardsQuery(
  db: Db,
  userId: string | Placeholder,
  now: Date | Placeholder,
  limit: number | Placeholder,
) {
  const t = now instanceof Date ? now.getTime() : now;
  const risk = sql`CASE WHEN ${userVocabulary.state} = 0 OR ${userVocabulary.lastReviewed} IS NULL
    OR ${userVocabulary.stability} <= 0 THEN 1e308
    ELSE max((${t} - ${userVocabulary.lastReviewed}) / 86400000, 0) / ${userVocabulary.stability} END`;
  return db.select({ card: userVocabulary, word: promptColumns }).from(userVocabulary)
    .innerJoin(vocabulary, eq(vocabulary.id, userVocabulary.vocabularyId))
    .where(and(eq(userVocabulary.userId, userId), lte(userVocabulary.nextReview, now)))
    .orderBy(desc(risk), desc(userVocabulary.difficulty), asc(userVocabulary.nextReview))
    .limit(limit);
}

/**
 * The review queue's data in one round trip: due cards (bounded), due and
 * overdue counts, words introduced today, and the next unseen words in lesson
 * order for the language.
 */
export async function loadReviewQueue(
  db: Db,
  args: {
    userId: string;
    now: Date;
    dayStart: Date;
    languageId: string | null;
    /** Due cards to return, most at risk first. */
    limit: number;
    newLimit: number;
  },
) {
  const [due, counts, introducedToday, fresh, model] = await reviewQueueReads(db, {
    userId: args.userId,
    now: args.now.getTime(),
    overdueBefore: args.now.getTime() - 86_400_000,
    dayStart: args.dayStart.getTime(),
    languageId: args.languageId ?? "",
    limit: args.limit,
    newLimit: Math.max(0, args.newLimit),
  });
  return {
    parameters: activeParameters(model),
    due,
    dueCount: counts[0].due,
    overdueCount: Number(counts[0].overdue),
    introducedToday: introducedToday[0].n,
    fresh,
  };
}

const reviewQueueReads = preparedReads(
  ["userId", "now", "overdueBefore", "dayStart", "languageId", "limit", "newLimit"],
  (db, p) =>
    [
      dueCardsQuery(db, p.userId, p.now, p.limit),
      db.select({
        due: count(),
        overdue: sql<number>`coalesce(sum(${userVocabulary.nextReview} <= ${p.overdueBefore}), 0)`,
      }).from(userVocabulary)
        .where(and(eq(userVocabulary.userId, p.userId), lte(userVocabulary.nextReview, p.now))),
      db.select({ n: count() }).from(userVocabulary)
        .where(
          and(eq(userVocabulary.userId, p.userId), gte(userVocabulary.introducedAt, p.dayStart)),
        ),
      db.select(promptColumns).from(vocabulary).where(and(
        eq(vocabulary.languageId, p.languageId),
        eq(vocabulary.status, "published"),
        sql`NOT EXISTS (SELECT 1 FROM ${userVocabulary} uv WHERE uv.user_id = ${p.userId} AND uv.vocabulary_id = ${vocabulary.id})`,
      )).orderBy(asc(vocabulary.sequence)).limit(p.newLimit),
      modelQuery(db, p.userId),
    ] as const,
);

/** Vocabulary items with optional filters and the learner's cards, one page. */
export async function listVocabulary(
  db: Db,
  args: {
    languageId?: string;
    level?: string;
    category?: string;
    search?: string;
    userId?: string;
    limit: number;
    offset: number;
  },
) {
  const conditions = [eq(vocabulary.status, "published")];
  if (args.languageId) conditions.push(eq(vocabulary.languageId, args.languageId));
  if (args.level) conditions.push(eq(vocabulary.level, args.level));
  if (args.category) conditions.push(eq(vocabulary.category, args.category));
  if (args.search) {
    const like = `${args.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    conditions.push(sql`(${vocabulary.searchKey} LIKE ${like} ESCAPE '\\'
      OR ${translationKey("en")} LIKE ${like} ESCAPE '\\'
      OR ${translationKey("es")} LIKE ${like} ESCAPE '\\'
      OR lower(coalesce(${vocabulary.romanization}, '')) LIKE ${like} ESCAPE '\\'
      OR coalesce(${vocabulary.reading}, '') LIKE ${like} ESCAPE '\\')`);
  }
  const where = and(...conditions);
  const [rows, total, model] = await db.batch([
    db.select({ word: vocabulary, card: userVocabulary }).from(vocabulary)
      .leftJoin(
        userVocabulary,
        and(
          eq(userVocabulary.vocabularyId, vocabulary.id),
          eq(userVocabulary.userId, args.userId ?? ""),
        ),
      )
      .where(where).orderBy(
        asc(vocabulary.languageId),
        asc(vocabulary.sequence),
        asc(vocabulary.id),
      )
      .limit(args.limit).offset(args.offset),
    db.select({ n: count() }).from(vocabulary).where(where),
    modelQuery(db, args.userId ?? ""),
  ]);
  return { rows, total: total[0].n, parameters: activeParameters(model) };
}

/** Due-date forecast and review outcomes for statistics, bounded by the period. */
export async function loadVocabularyStats(db: Db, userId: string, now: Date, horizonDays: number) {
  const until = new Date(now.getTime() + horizonDays * 86_400_000);
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const dayIndex = sql<
    number
  >`CAST((max(${userVocabulary.nextReview}, ${now.getTime()}) - ${now.getTime()}) / 86400000 AS INTEGER)`;
  const [upcoming, outcomes, totals, model, stabilities] = await db.batch([
    db.select({ day: dayIndex, n: count() }).from(userVocabulary).where(and(
      eq(userVocabulary.userId, userId),
      lte(userVocabulary.nextReview, until),
    )).groupBy(dayIndex),
    db.select({
      stateBefore: reviewLogs.stateBefore,
      reviews: count(),
      correct: sql<number>`sum(${reviewLogs.correct})`,
    }).from(reviewLogs).where(and(
      eq(reviewLogs.userId, userId),
      gte(reviewLogs.reviewedAt, since),
      isNull(reviewLogs.undoneAt),
    )).groupBy(reviewLogs.stateBefore),
    db.select({
      cards: count(),
      mature: sql<
        number
      >`sum(CASE WHEN ${matureCard(userVocabulary)} THEN 1 ELSE 0 END)`,
      learning: sql<number>`sum(CASE WHEN ${userVocabulary.state} IN (1, 3) THEN 1 ELSE 0 END)`,
    }).from(userVocabulary).where(eq(userVocabulary.userId, userId)),
    modelQuery(db, userId),
    // Every reviewed word's stability, for the learner's overall forgetting curve.
    db.select({ stability: userVocabulary.stability }).from(userVocabulary)
      .where(and(eq(userVocabulary.userId, userId), sql`${userVocabulary.state} <> 0`)),
  ]);
  return {
    upcoming,
    outcomes,
    totals: totals[0],
    parameters: activeParameters(model),
    stabilities: stabilities.map((r) => r.stability),
  };
}
