/**
 * The invariant of the running totals: after any sequence of actions (and undos)
 * they say what the activity log and the daily rollups say.
 */
import assert from "node:assert/strict";
import { totalsFromDays } from "../domain/learner_totals.ts";
import type { TestApp } from "./helpers.ts";

async function rows(t: TestApp, sql: string, userId: string) {
  return (await t.database.client.execute({ sql, args: [userId] })).rows.map((r) => ({ ...r }));
}

/** Asserts that the learner's running totals agree with their log and rollups. */
export async function assertTotalsAgree(t: TestApp, userId: string, goalXp: number) {
  const byKind = (table: string, count: string) =>
    rows(
      t,
      `SELECT kind, skill, ${count} AS actions, sum(xp) AS xp, sum(coalesce(correct, 0)) AS correct,
        sum(coalesce(total, 0)) AS total FROM ${table} WHERE user_id = ?
        GROUP BY kind, skill HAVING ${count} > 0 ORDER BY kind, skill`,
      userId,
    );
  const fromLog = await byKind("activity_log", "count(*)");
  assert.deepEqual(await byKind("daily_activity", "sum(actions)"), fromLog, "rollups = log");
  assert.deepEqual(
    await byKind("learner_activity_totals", "sum(actions)"),
    fromLog,
    "totals = log",
  );

  const days = await rows(
    t,
    `SELECT local_date AS day, count(*) AS actions, sum(xp) AS xp FROM activity_log
      WHERE user_id = ? GROUP BY local_date ORDER BY local_date`,
    userId,
  );
  const expected = totalsFromDays(
    days.map((d) => ({ day: String(d.day), actions: Number(d.actions), xp: Number(d.xp) })),
    goalXp,
  );
  const [stored] = await rows(t, "SELECT * FROM learner_totals WHERE user_id = ?", userId);
  const actual = stored
    ? {
      streak: {
        current: Number(stored.streak_current),
        longest: Number(stored.streak_longest),
        sinceFreeze: Number(stored.streak_since_freeze),
        freezesHeld: Number(stored.freezes_held),
        frozenDays: JSON.parse(String(stored.frozen_days)),
        lastActiveDay: stored.last_active_day,
      },
      xpLastDay: Number(stored.xp_last_day),
      goalDays: Number(stored.goal_days),
    }
    : totalsFromDays([], goalXp);
  assert.deepEqual(actual, expected, "stored streak and day figures = derived from the log");

  const [sums] = await rows(
    t,
    `SELECT (SELECT xp FROM users WHERE id = ?1) AS user_xp,
      (SELECT coalesce(sum(xp), 0) FROM activity_log WHERE user_id = ?1) AS log_xp,
      (SELECT coalesce(sum(xp), 0) FROM weekly_xp WHERE user_id = ?1
        AND week_start = (SELECT xp_week_start FROM learner_totals WHERE user_id = ?1)) AS week_xp,
      (SELECT coalesce(max(xp_week), 0) FROM learner_totals WHERE user_id = ?1) AS totals_week_xp`,
    userId,
  );
  assert.equal(Number(sums.user_xp), Number(sums.log_xp), "users.xp = log");
  assert.equal(Number(sums.totals_week_xp), Number(sums.week_xp), "week XP = weekly board");
}
