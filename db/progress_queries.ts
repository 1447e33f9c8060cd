/**
 * Reads for progress and analytics. Everything comes from state tables and the
 * daily rollups, bounded by the requested period, so the cost follows the number
 * of days asked for, not the size of the learner's history.
 */
import { and, asc, count, desc, eq, gte, lte, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { preparedReads } from "./prepared.ts";
import { skillTotalsQuery, totalsQuery } from "./learner_totals.ts";
import {
  courses,
  dailyActivity,
  languages,
  lessons,
  matureCard,
  userProgress,
  userVocabulary,
} from "./schema.ts";

/** A value bound per request, or a placeholder for it in a prepared read. */
type Id = string | Placeholder;

/** The learner's courses with lesson totals and the last lesson's title. */
export function courseProgressQuery(db: Db, userId: Id) {
  const totals = db.select({ courseId: lessons.courseId, n: count().as("n") }).from(lessons)
    .where(eq(lessons.status, "published")).groupBy(lessons.courseId).as("totals");
  return db.select({
    progress: userProgress,
    course: courses,
    language: languages,
    total: sql<number>`coalesce(${totals.n}, 0)`,
    lastLessonTitle: sql<
      string | null
    >`(SELECT ${lessons.title} FROM ${lessons} WHERE ${lessons.id} = ${userProgress.lastLessonId})`,
  }).from(userProgress)
    .innerJoin(courses, eq(courses.id, userProgress.courseId))
    .innerJoin(languages, eq(languages.id, courses.languageId))
    .leftJoin(totals, eq(totals.courseId, userProgress.courseId))
    .where(eq(userProgress.userId, userId))
    .orderBy(desc(userProgress.lastActivityAt));
}

/** Rollup rows between two local dates (inclusive). */
export function rollupsQuery(db: Db, userId: Id, from: Id, to: Id) {
  return db.select().from(dailyActivity).where(and(
    eq(dailyActivity.userId, userId),
    gte(dailyActivity.localDate, from),
    lte(dailyActivity.localDate, to),
  )).orderBy(asc(dailyActivity.localDate));
}

/** XP per skill since a date (bounded by the period): for the change in skill levels. */
export function recentSkillXpQuery(db: Db, userId: Id, since: Id) {
  return db.select({ skill: dailyActivity.skill, xp: sql<number>`sum(${dailyActivity.xp})` })
    .from(dailyActivity)
    .where(and(eq(dailyActivity.userId, userId), gte(dailyActivity.localDate, since)))
    .groupBy(dailyActivity.skill);
}

/** Words studied, learned and mature, from the memory model. */
export function vocabularyCountsQuery(db: Db, userId: Id) {
  return db.select({
    studied: count(),
    learned: sql<
      number
    >`coalesce(sum(CASE WHEN ${userVocabulary.correctCount} > 0 THEN 1 ELSE 0 END), 0)`,
    mature: sql<
      number
    >`coalesce(sum(CASE WHEN ${matureCard(userVocabulary)} THEN 1 ELSE 0 END), 0)`,
  }).from(userVocabulary).where(eq(userVocabulary.userId, userId));
}

/** Due reviews per day from `nowMs` until `untilMs` (epoch milliseconds). */
export function forecastQuery(
  db: Db,
  userId: Id,
  nowMs: number | Placeholder,
  untilMs: number | Placeholder,
) {
  const day = sql<
    number
  >`CAST((max(${userVocabulary.nextReview}, ${nowMs}) - ${nowMs}) / 86400000 AS INTEGER)`;
  return db.select({ day, n: count() }).from(userVocabulary).where(and(
    eq(userVocabulary.userId, userId),
    sql`${userVocabulary.nextReview} <= ${untilMs}`,
  )).groupBy(day);
}

/**
 * Everything `GET /api/progress` shows, in one round trip: all-time figures from
 * the running totals, the rest bounded by the last 30 days.
 */
export async function loadProgress(
  db: Db,
  args: { userId: string; today: string; since30: string },
) {
  const [courseRows, totals, skills, recentSkills, todayRows, words, history] = await progressReads(
    db,
    args,
  );
  return {
    courses: courseRows,
    totals: totals[0],
    skills,
    recentSkills,
    today: todayRows,
    words: words[0],
    history,
  };
}

const progressReads = preparedReads(["userId", "today", "since30"], (db, p) =>
  [
    courseProgressQuery(db, p.userId),
    totalsQuery(db, p.userId),
    skillTotalsQuery(db, p.userId),
    recentSkillXpQuery(db, p.userId, p.since30),
    rollupsQuery(db, p.userId, p.today, p.today),
    vocabularyCountsQuery(db, p.userId),
    db.select({
      day: dailyActivity.localDate,
      xp: sql<number>`sum(${dailyActivity.xp})`,
      seconds: sql<number>`sum(${dailyActivity.seconds})`,
    }).from(dailyActivity).where(and(
      eq(dailyActivity.userId, p.userId),
      gte(dailyActivity.localDate, p.since30),
    )).groupBy(dailyActivity.localDate).orderBy(asc(dailyActivity.localDate)),
  ] as const);

/** Days of due reviews the analytics forecast. */
const FORECAST_DAYS = 7;

const analyticsReads = preparedReads(
  ["userId", "from", "to", "nowMs", "untilMs"],
  (db, p) =>
    [
      rollupsQuery(db, p.userId, p.from, p.to),
      vocabularyCountsQuery(db, p.userId),
      forecastQuery(db, p.userId, p.nowMs, p.untilMs),
    ] as const,
);

/** Everything `GET /api/progress/analytics` shows, in one round trip (prepared once). */
export async function loadAnalytics(
  db: Db,
  args: { userId: string; from: string; to: string; now: Date },
) {
  const nowMs = args.now.getTime();
  const [rows, words, forecast] = await analyticsReads(db, {
    userId: args.userId,
    from: args.from,
    to: args.to,
    nowMs,
    untilMs: nowMs + FORECAST_DAYS * 86_400_000,
  });
  return { rows, words: words[0], forecast };
}

/** The learner's first active day (for `period=all`). */
export async function firstActiveDay(db: Db, userId: string) {
  const [row] = await db.select({ day: sql<string | null>`min(${dailyActivity.localDate})` })
    .from(dailyActivity).where(eq(dailyActivity.userId, userId));
  return row?.day ?? null;
}
