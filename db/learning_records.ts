/**
 * Writes that record a learner's work: enrolment, lesson access and completion,
 * grammar practice, the activity log and XP. Each action's statements are
 * returned or run as one atomic `db.batch`, so nothing is half-written.
 */
import { and, eq, type Placeholder, sql, type SQLWrapper } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { weekStartUtc } from "../domain/calendar.ts";
import type { Db } from "./client.ts";
import { totalsBuilds } from "./learner_totals.ts";
import { PAID_XP_VALUES, PaidXp, paidXpExpression, paidXpValues } from "./item_credits.ts";
import { preparedStatement } from "./prepared.ts";
import {
  activityLog,
  dailyActivity,
  lessons,
  userGrammar,
  userLessons,
  userProgress,
  users,
  weeklyXp,
} from "./schema.ts";

export type Statement = BatchItem<"sqlite">;

export interface ActivityEntry {
  userId: string;
  kind:
    | "lesson"
    | "practice"
    | "exercise"
    | "quiz"
    | "translation"
    | "pronunciation"
    | "placement"
    | "writing";
  skill: "vocabulary" | "grammar" | "listening" | "reading" | "writing" | "speaking";
  languageId: string | null;
  courseId?: string | null;
  refId?: string | null;
  correct?: number | null;
  total?: number | null;
  score?: number | null;
  durationSeconds: number;
  /** A number, or what the batch works out from credits (`PaidXp`, db/item_credits.ts). */
  xp: number | PaidXp;
  occurredAt: Date;
  localDate: string;
}

/** The values an activity chain binds (see {@link activityStatements}). */
const ACTIVITY_VALUES = [
  "userId",
  "kind",
  "skill",
  "languageId",
  "courseId",
  "refId",
  "correct",
  "total",
  "correctCount",
  "totalCount",
  "score",
  "seconds",
  "xp",
  "occurredAt",
  "localDate",
  "weekStart",
] as const;

type ActivityName = (typeof ACTIVITY_VALUES)[number];
/** Placeholders, with `xp` an expression over them when the batch works the XP out. */
type Bound = Record<ActivityName, SQLWrapper>;

const logBuild = (condition: "changes() = 1" | "1") => (db: Db, p: Bound) =>
  db.run(sql`INSERT INTO ${activityLog} (user_id, kind, skill, language_id, course_id, ref_id,
    correct, total, score, duration_seconds, xp, occurred_at, local_date)
    SELECT ${p.userId}, ${p.kind}, ${p.skill}, ${p.languageId}, ${p.courseId}, ${p.refId},
      ${p.correct}, ${p.total}, ${p.score}, ${p.seconds}, ${p.xp}, ${p.occurredAt}, ${p.localDate}
    WHERE ${sql.raw(condition)}`);

const chainBuilds = [
  (db: Db, p: Bound) =>
    db.run(sql`UPDATE ${users} SET xp = xp + ${p.xp} WHERE id = ${p.userId} AND changes() = 1`),
  (db: Db, p: Bound) =>
    db.run(
      sql`INSERT INTO ${dailyActivity} (user_id, local_date, skill, kind, actions, seconds, xp, correct, total)
      SELECT ${p.userId}, ${p.localDate}, ${p.skill}, ${p.kind}, 1, ${p.seconds}, ${p.xp},
        ${p.correctCount}, ${p.totalCount}
      WHERE changes() = 1
      ON CONFLICT (user_id, local_date, skill, kind) DO UPDATE SET actions = actions + 1,
        seconds = seconds + excluded.seconds, xp = xp + excluded.xp,
        correct = correct + excluded.correct, total = total + excluded.total`,
    ),
  (db: Db, p: Bound) =>
    db.run(sql`INSERT INTO ${weeklyXp} (user_id, week_start, xp)
      SELECT ${p.userId}, ${p.weekStart}, ${p.xp}
      WHERE changes() = 1
      ON CONFLICT (user_id, week_start) DO UPDATE SET xp = xp + excluded.xp`),
  ...totalsBuilds,
];

/**
 * The chain prepared twice over: with the XP bound as a value, and with the XP
 * worked out in the batch from credits (db/item_credits.ts `PaidXp`, bound as
 * values too). Either way the SQL is built once per database.
 */
function chainFamily<const N extends string>(
  names: readonly N[],
  bind: (p: Record<N, Placeholder>) => Bound,
) {
  const prepare = (build: (db: Db, p: Bound) => ReturnType<Db["run"]>) =>
    preparedStatement(names, (db, p) => build(db, bind(p)));
  return {
    logAfterConditionalWrite: prepare(logBuild("changes() = 1")),
    logAlways: prepare(logBuild("1")),
    chain: chainBuilds.map(prepare),
  };
}
const valued = chainFamily(ACTIVITY_VALUES, (p) => p);
const PAID_NAMES = [
  ...ACTIVITY_VALUES.filter((n) => n !== "xp"),
  ...PAID_XP_VALUES.filter((n) => n !== "userId"),
] as const;
const paid = chainFamily(PAID_NAMES, (p) => ({ ...p, xp: paidXpExpression(p) }) as Bound);

/**
 * One activity row plus what it adds up to: the learner's XP, the daily rollup,
 * the weekly leaderboard row and the running totals. Each statement only applies if the one before
 * it changed a row (`changes() = 1`), so a caller may put the chain after a
 * conditional write (`afterConditionalWrite`) and get all of it or none of it.
 * Prepared once: every action sends these, so a request only binds values.
 */
export function activityStatements(
  db: Db,
  entry: ActivityEntry,
  options: { afterConditionalWrite?: boolean } = {},
): Statement[] {
  const values = {
    userId: entry.userId,
    kind: entry.kind,
    skill: entry.skill,
    languageId: entry.languageId,
    courseId: entry.courseId ?? null,
    refId: entry.refId ?? null,
    correct: entry.correct ?? null,
    total: entry.total ?? null,
    correctCount: entry.correct ?? 0,
    totalCount: entry.total ?? 0,
    score: entry.score ?? null,
    seconds: entry.durationSeconds,
    occurredAt: entry.occurredAt.getTime(),
    localDate: entry.localDate,
    weekStart: weekStartUtc(entry.occurredAt),
  };
  const { xp } = entry;
  if (xp instanceof PaidXp) {
    const bound = { ...values, ...paidXpValues(entry.userId, xp) };
    const first = options.afterConditionalWrite ? paid.logAfterConditionalWrite : paid.logAlways;
    return [first(db, bound), ...paid.chain.map((statement) => statement(db, bound))];
  }
  const bound = { ...values, xp };
  const first = options.afterConditionalWrite ? valued.logAfterConditionalWrite : valued.logAlways;
  return [first(db, bound), ...valued.chain.map((statement) => statement(db, bound))];
}

/**
 * Enrols a learner: the progress row and the first lesson's availability,
 * both written only if absent (enrolment is idempotent).
 */
export function enrolStatements(
  db: Db,
  args: {
    userId: string;
    courseId: string;
    firstLessonId: string | null;
    now: Date;
    source: string;
  },
) {
  const statements: Statement[] = [
    db.insert(userProgress).values({
      userId: args.userId,
      courseId: args.courseId,
      enrolledAt: args.now,
      lastActivityAt: args.now,
      source: args.source,
    }).onConflictDoNothing(),
  ];
  if (args.firstLessonId) {
    statements.push(
      db.insert(userLessons).values({
        userId: args.userId,
        lessonId: args.firstLessonId,
        status: "available",
        unlockedAt: args.now,
      }).onConflictDoNothing(),
    );
  }
  return statements;
}

/** A learner opening a lesson: its access counted, and it becomes the course's last lesson. */
export function lessonAccessStatements(
  db: Db,
  args: { userId: string; lessonId: string; courseId: string; now: Date },
): Statement[] {
  return [
    db.insert(userLessons).values({
      userId: args.userId,
      lessonId: args.lessonId,
      status: "available",
      unlockedAt: args.now,
      firstAccessedAt: args.now,
      lastAccessedAt: args.now,
      accessCount: 1,
    }).onConflictDoUpdate({
      target: [userLessons.userId, userLessons.lessonId],
      set: {
        firstAccessedAt: sql`coalesce(${userLessons.firstAccessedAt}, ${args.now.getTime()})`,
        lastAccessedAt: args.now,
        accessCount: sql`${userLessons.accessCount} + 1`,
      },
    }),
    db.update(userProgress).set({ lastLessonId: args.lessonId, lastActivityAt: args.now })
      .where(and(eq(userProgress.userId, args.userId), eq(userProgress.courseId, args.courseId))),
  ];
}

/**
 * A lesson completion: the lesson's row, the next lesson unlocked when mastered,
 * the course's counts, then the activity chain (for the action's write batch).
 * Counts in `user_progress` are recomputed from `user_lessons` inside the batch,
 * so concurrent completions cannot drift.
 */
export function lessonCompletionStatements(
  db: Db,
  args: {
    userId: string;
    lessonId: string;
    courseId: string;
    nextLessonId: string | null;
    mastered: boolean;
    score: number | null;
    timeSpentSeconds: number;
    totalLessons: number;
    now: Date;
    activity: ActivityEntry;
  },
): Statement[] {
  const { userId, lessonId, courseId, now } = args;
  const completedInCourse =
    sql`(SELECT count(*) FROM ${userLessons} ul JOIN ${lessons} l ON l.id = ul.lesson_id
    WHERE ul.user_id = ${userId} AND l.course_id = ${courseId} AND ul.completed_at IS NOT NULL AND l.status = 'published')`;
  const statements: Statement[] = [
    db.insert(userLessons).values({
      userId,
      lessonId,
      status: args.mastered ? "completed" : "available",
      unlockedAt: now,
      attempts: 1,
      bestScore: args.score,
      timeSpentSeconds: args.timeSpentSeconds,
      completedAt: args.mastered ? now : null,
      lastAccessedAt: now,
    }).onConflictDoUpdate({
      target: [userLessons.userId, userLessons.lessonId],
      set: {
        attempts: sql`${userLessons.attempts} + 1`,
        bestScore: args.score === null
          ? sql`${userLessons.bestScore}`
          : sql`max(coalesce(${userLessons.bestScore}, 0), ${args.score})`,
        timeSpentSeconds: sql`${userLessons.timeSpentSeconds} + ${args.timeSpentSeconds}`,
        status: args.mastered ? "completed" : sql`${userLessons.status}`,
        completedAt: args.mastered
          ? sql`coalesce(${userLessons.completedAt}, ${now.getTime()})`
          : sql`${userLessons.completedAt}`,
        lastAccessedAt: now,
      },
    }),
  ];
  if (args.mastered && args.nextLessonId) {
    statements.push(
      db.insert(userLessons).values({
        userId,
        lessonId: args.nextLessonId,
        status: "available",
        unlockedAt: now,
      }).onConflictDoNothing(),
    );
  }
  statements.push(
    db.update(userProgress).set({
      completedLessons: completedInCourse,
      completionPercentage: sql`round(min(100.0, ${completedInCourse} * 100.0 / ${
        Math.max(1, args.totalLessons)
      }), 1)`,
      lastLessonId: lessonId,
      lastActivityAt: now,
      completedAt: sql`CASE WHEN ${completedInCourse} >= ${args.totalLessons}
        THEN coalesce(${userProgress.completedAt}, ${now.getTime()}) ELSE ${userProgress.completedAt} END`,
    }).where(and(eq(userProgress.userId, userId), eq(userProgress.courseId, courseId))),
    ...activityStatements(db, args.activity),
  );
  return statements;
}

/** A learner's progress row in a course (e.g. read back after a completion in its batch). */
export function courseProgressQuery(db: Db, userId: string, courseId: string) {
  return db.select().from(userProgress)
    .where(and(eq(userProgress.userId, userId), eq(userProgress.courseId, courseId)));
}

/**
 * A graded grammar exercise set: the learner's progress on the topic, then the
 * activity chain (for the action's write batch).
 */
export function grammarPracticeStatements(
  db: Db,
  args: {
    userId: string;
    topicId: string;
    score: number;
    mastered: boolean;
    now: Date;
    activity: ActivityEntry;
  },
): Statement[] {
  return [
    db.insert(userGrammar).values({
      userId: args.userId,
      topicId: args.topicId,
      attempts: 1,
      bestScore: args.score,
      lastScore: args.score,
      lastPracticedAt: args.now,
      masteredAt: args.mastered ? args.now : null,
    }).onConflictDoUpdate({
      target: [userGrammar.userId, userGrammar.topicId],
      set: {
        attempts: sql`${userGrammar.attempts} + 1`,
        bestScore: sql`max(${userGrammar.bestScore}, ${args.score})`,
        lastScore: args.score,
        lastPracticedAt: args.now,
        masteredAt: args.mastered
          ? sql`coalesce(${userGrammar.masteredAt}, ${args.now.getTime()})`
          : sql`${userGrammar.masteredAt}`,
      },
    }),
    ...activityStatements(db, args.activity),
  ];
}
