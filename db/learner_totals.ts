/**
 * Running totals (schema: `learner_totals`, `learner_activity_totals`): kept up to
 * date by two statements in the write batch of every action, so reading a learner's
 * streak, goal days, XP today and this week, and counts and accuracy per kind and
 * skill costs two indexed point reads instead of aggregating the rollups.
 *
 * The streak step is domain/streaks.ts `advanceStreak`, written here in SQL so that
 * concurrent actions of one learner (two workers, two tabs) each apply it to the
 * row as the other left it, with no read-modify-write race.
 * tests/learner_totals_test.ts checks both against the rollups after random
 * sequences of actions and undos.
 */
import { and, eq, type Placeholder, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client.ts";
import { FREEZE_EVERY_DAYS, MAX_FREEZES, NO_STREAK, type StoredStreak } from "../domain/streaks.ts";
import { type DerivedTotals, totalsFromDays } from "../domain/learner_totals.ts";
import { dailyActivity, learnerActivityTotals, learnerTotals, users, weeklyXp } from "./schema.ts";
import type { Statement } from "./learning_records.ts";

const T = "learner_totals";
const L = `${T}.last_active_day`;
const D = "excluded.last_active_day";
const XP = "excluded.xp_last_day";
const GOAL =
  `(SELECT coalesce(json_extract(preferences, '$.daily_goal_xp'), 0) FROM users WHERE id = excluded.user_id)`;
/** The action's day is the last active day or before it (moving west): the streak stands. */
const SAME = `(${D} <= ${L})`;
const MISSED = `(CAST(julianday(${D}) - julianday(${L}) AS INTEGER) - 1)`;
const KEEPS = `(${T}.streak_current > 0 AND ${T}.freezes_held >= ${MISSED})`;
const SPENT = `(CASE WHEN ${SAME} THEN 0 WHEN ${KEEPS} THEN ${MISSED} ELSE ${T}.freezes_held END)`;
const CURRENT =
  `(CASE WHEN ${SAME} THEN ${T}.streak_current WHEN ${KEEPS} THEN ${T}.streak_current + 1 ELSE 1 END)`;
const SINCE = `(CASE WHEN ${KEEPS} THEN ${T}.streak_since_freeze + 1 ELSE 1 END)`;
const HELD = `(CASE WHEN ${KEEPS} THEN ${T}.freezes_held - ${MISSED} ELSE 0 END)`;
const EARNS = `(${SINCE} >= ${FREEZE_EVERY_DAYS})`;
const WEEK = "excluded.xp_week_start";
const OLD_WEEK = `coalesce(${T}.xp_week_start, '')`;

/**
 * The upsert applying one action to `learner_totals` (domain/streaks.ts
 * `advanceStreak` in SQL; a frozen day is at most 2 days after the last active one,
 * as no more than {@link MAX_FREEZES} are held). Built once: only values are bound.
 */
const TOTALS_UPSERT = `ON CONFLICT (user_id) DO UPDATE SET
  revision = ${T}.revision + 1,
  streak_current = ${CURRENT},
  streak_longest = max(${T}.streak_longest, ${CURRENT}),
  streak_since_freeze = CASE WHEN ${SAME} THEN ${T}.streak_since_freeze
    WHEN ${EARNS} THEN 0 ELSE ${SINCE} END,
  freezes_held = CASE WHEN ${SAME} THEN ${T}.freezes_held
    WHEN ${EARNS} THEN min(${MAX_FREEZES}, ${HELD} + 1) ELSE ${HELD} END,
  frozen_days = CASE ${SPENT} WHEN 0 THEN ${T}.frozen_days
    WHEN 1 THEN json_insert(${T}.frozen_days, '$[#]', date(${L}, '+1 day'))
    ELSE json_insert(${T}.frozen_days, '$[#]', date(${L}, '+1 day'), '$[#]', date(${L}, '+2 days')) END,
  last_active_day = CASE WHEN ${SAME} THEN ${L} ELSE ${D} END,
  xp_last_day = CASE WHEN ${D} = ${L} THEN ${T}.xp_last_day + ${XP}
    WHEN ${SAME} THEN ${T}.xp_last_day ELSE ${XP} END,
  goal_days = ${T}.goal_days + CASE WHEN ${D} = ${L}
      THEN (${T}.xp_last_day < ${GOAL} AND ${T}.xp_last_day + ${XP} >= ${GOAL})
    WHEN ${SAME} THEN 0 ELSE (${XP} >= ${GOAL}) END,
  xp_week = CASE WHEN ${WEEK} = ${OLD_WEEK} THEN ${T}.xp_week + excluded.xp_week
    WHEN ${WEEK} > ${OLD_WEEK} THEN excluded.xp_week ELSE ${T}.xp_week END,
  xp_week_start = max(${OLD_WEEK}, ${WEEK})`;

/** A placeholder, or (for an XP the batch works out) an expression over placeholders. */
type Bound = Record<string, SQLWrapper>;

/**
 * The two statements that add one action to the running totals, each applied only
 * if the statement before it changed a row (they close the activity chain of
 * db/learning_records.ts, which prepares them with its values).
 */
export const totalsBuilds = [
  (db: Db, p: Bound) =>
    db.run(sql`INSERT INTO ${learnerTotals} (user_id, revision, streak_current, streak_longest,
      streak_since_freeze, freezes_held, frozen_days, last_active_day, xp_last_day, xp_week_start,
      xp_week, goal_days)
      SELECT ${p.userId}, 1, 1, 1, 1, 0, '[]', ${p.localDate}, ${p.xp}, ${p.weekStart},
        ${p.xp}, ${p.xp} >= coalesce(json_extract(${users.preferences}, '$.daily_goal_xp'), 0)
      FROM ${users} WHERE ${users.id} = ${p.userId} AND changes() = 1
      ${sql.raw(TOTALS_UPSERT)}`),
  (db: Db, p: Bound) =>
    db.run(sql`INSERT INTO ${learnerActivityTotals} (user_id, kind, skill, actions, seconds, xp,
      correct, total)
      SELECT ${p.userId}, ${p.kind}, ${p.skill}, 1, ${p.seconds}, ${p.xp}, ${p.correctCount},
        ${p.totalCount}
      WHERE changes() = 1
      ON CONFLICT (user_id, kind, skill) DO UPDATE SET actions = actions + 1,
        seconds = seconds + excluded.seconds, xp = xp + excluded.xp,
        correct = correct + excluded.correct, total = total + excluded.total`),
];

export type TotalsRow = typeof learnerTotals.$inferSelect;

export function totalsQuery(db: Db, userId: string | Placeholder) {
  return db.select().from(learnerTotals).where(eq(learnerTotals.userId, userId));
}

/** Counts per activity kind (summed over skills). */
export function kindTotalsQuery(db: Db, userId: string | Placeholder) {
  return db.select({
    kind: learnerActivityTotals.kind,
    actions: sql<number>`sum(${learnerActivityTotals.actions})`,
    correct: sql<number>`sum(${learnerActivityTotals.correct})`,
    total: sql<number>`sum(${learnerActivityTotals.total})`,
  }).from(learnerActivityTotals).where(eq(learnerActivityTotals.userId, userId))
    .groupBy(learnerActivityTotals.kind);
}

/** XP per skill, all time. */
export function skillTotalsQuery(db: Db, userId: string | Placeholder) {
  return db.select({
    skill: learnerActivityTotals.skill,
    xp: sql<number>`sum(${learnerActivityTotals.xp})`,
  }).from(learnerActivityTotals).where(eq(learnerActivityTotals.userId, userId))
    .groupBy(learnerActivityTotals.skill);
}

/** The stored streak of a totals row (none without a row: the learner has not acted yet). */
export function storedStreakOf(row: TotalsRow | undefined): StoredStreak {
  if (!row) return NO_STREAK;
  return {
    current: row.streakCurrent,
    longest: row.streakLongest,
    sinceFreeze: row.streakSinceFreeze,
    freezesHeld: row.freezesHeld,
    frozenDays: row.frozenDays,
    lastActiveDay: row.lastActiveDay,
  };
}

/** Today's XP from a totals row (0 unless the last active day is today). */
export function xpOn(row: TotalsRow | undefined, day: string): number {
  return row?.lastActiveDay === day ? row.xpLastDay : 0;
}

/** This week's XP from a totals row. */
export function xpInWeek(row: TotalsRow | undefined, weekStart: string): number {
  return row?.xpWeekStart === weekStart ? row.xpWeek : 0;
}

function derivedColumns(d: DerivedTotals) {
  return {
    streakCurrent: d.streak.current,
    streakLongest: d.streak.longest,
    streakSinceFreeze: d.streak.sinceFreeze,
    freezesHeld: d.streak.freezesHeld,
    frozenDays: d.streak.frozenDays,
    lastActiveDay: d.streak.lastActiveDay,
    xpLastDay: d.xpLastDay,
    goalDays: d.goalDays,
  };
}

/** A learner's activity per local day (for a rebuild), all time. */
export function dayTotalsQuery(db: Db, userId: string) {
  return db.select({
    day: dailyActivity.localDate,
    actions: sql<number>`sum(${dailyActivity.actions})`,
    xp: sql<number>`sum(${dailyActivity.xp})`,
  }).from(dailyActivity).where(eq(dailyActivity.userId, userId))
    .groupBy(dailyActivity.localDate).orderBy(dailyActivity.localDate);
}

/**
 * Statements that rewrite the streak and day figures with values derived from a
 * read (an undo), taking back one action of `kind`/`skill` from the counts. Only
 * applied if the statement before changed a row; the caller must have made that
 * statement conditional on the totals still being at `revision`.
 */
export function rewriteTotalsStatements(
  db: Db,
  args: {
    userId: string;
    derived: DerivedTotals;
    xpWeek: number;
    action: {
      kind: string;
      skill: string;
      seconds: number;
      xp: number;
      correct: number;
      total: number;
    };
  },
): Statement[] {
  const { userId, action } = args;
  return [
    db.update(learnerTotals).set({
      ...derivedColumns(args.derived),
      xpWeek: args.xpWeek,
      revision: sql`${learnerTotals.revision} + 1`,
    }).where(and(eq(learnerTotals.userId, userId), sql`changes() = 1`)),
    db.update(learnerActivityTotals).set({
      actions: sql`${learnerActivityTotals.actions} - 1`,
      seconds: sql`${learnerActivityTotals.seconds} - ${action.seconds}`,
      xp: sql`${learnerActivityTotals.xp} - ${action.xp}`,
      correct: sql`${learnerActivityTotals.correct} - ${action.correct}`,
      total: sql`${learnerActivityTotals.total} - ${action.total}`,
    }).where(and(
      eq(learnerActivityTotals.userId, userId),
      eq(learnerActivityTotals.kind, action.kind),
      eq(learnerActivityTotals.skill, action.skill),
      sql`changes() = 1`,
    )),
  ];
}

/** Condition for a statement: the learner's totals are still at `revision` (null: no row yet). */
export function totalsUnchanged(userId: string, revision: number | null) {
  return revision === null
    ? sql`NOT EXISTS (SELECT 1 FROM ${learnerTotals} WHERE ${learnerTotals.userId} = ${userId})`
    : sql`EXISTS (SELECT 1 FROM ${learnerTotals} WHERE ${learnerTotals.userId} = ${userId}
      AND ${learnerTotals.revision} = ${revision})`;
}

/**
 * Rebuilds the running totals of learners with activity but no totals row (the
 * learners before migration 0006, or a database filled by direct inserts) from
 * their rollups. Safe to run at every start: it finds nobody once all are built.
 */
export async function backfillLearnerTotals(db: Db): Promise<number> {
  const missing = await db.select({ id: users.id, preferences: users.preferences }).from(users)
    .where(sql`NOT EXISTS (SELECT 1 FROM ${learnerTotals} t WHERE t.user_id = ${users.id})
      AND EXISTS (SELECT 1 FROM ${dailyActivity} d WHERE d.user_id = ${users.id})`);
  for (const user of missing) {
    const [days, weeks] = await db.batch([
      dayTotalsQuery(db, user.id),
      db.select().from(weeklyXp).where(eq(weeklyXp.userId, user.id))
        .orderBy(sql`${weeklyXp.weekStart} DESC`).limit(1),
    ]);
    const derived = totalsFromDays(
      days.map((d) => ({ day: d.day, actions: Number(d.actions), xp: Number(d.xp) })),
      user.preferences.daily_goal_xp,
    );
    await db.batch([
      db.insert(learnerTotals).values({
        userId: user.id,
        revision: 1,
        ...derivedColumns(derived),
        xpWeekStart: weeks[0]?.weekStart ?? null,
        xpWeek: weeks[0]?.xp ?? 0,
      }).onConflictDoNothing(),
      db.run(sql`INSERT OR IGNORE INTO ${learnerActivityTotals}
        (user_id, kind, skill, actions, seconds, xp, correct, total)
        SELECT user_id, kind, skill, sum(actions), sum(seconds), sum(xp), sum(correct), sum(total)
        FROM ${dailyActivity} WHERE user_id = ${user.id} GROUP BY kind, skill`),
    ]);
  }
  return missing.length;
}
