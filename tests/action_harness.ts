/**
 * Calling an action directly (no HTTP): a signed-up learner's row and the deps
 * a route handler would pass, the round trips an action makes, a snapshot of what
 * a learner's actions have written (so a test can show that a refused action wrote
 * nothing), and the checks the action tests share.
 */
import assert from "node:assert/strict";
import type { ActionDeps, Learner } from "../actions/deps.ts";
import { countRoundTrips } from "../db/client.ts";
import { DEFAULT_PREFERENCES } from "../domain/accounts.ts";
import type { Locale } from "../domain/content_schema.ts";
import { learnerDeps, signUp, type TestApp, testApp } from "./helpers.ts";
import { assertTotalsAgree } from "./totals_check.ts";

/** A new learner, as the action sees them, and the deps to call actions with. */
export async function actionLearner(
  t: TestApp,
  options: { locale?: Locale; timezone?: string } = {},
): Promise<{ user: Learner; deps: ActionDeps }> {
  const signed = await signUp(t, options.timezone ? { timezone: options.timezone } : {});
  return await learnerDeps(t, signed.user.id, options.locale);
}

/** Runs an action, counting its database round trips (a batch is one). */
export async function withRoundTrips<T>(fn: () => Promise<T>) {
  const { result, counter } = countRoundTrips(fn);
  return { result: await result, roundTrips: counter.statements };
}

/** Rows per table that learning actions write for a learner, and their XP. */
export async function learnerWrites(t: TestApp, userId: string) {
  const tables = [
    "activity_log",
    "daily_activity",
    "weekly_xp",
    "learner_activity_totals",
    "item_credits",
    "user_translations",
    "user_achievements",
  ];
  const counts = await t.database.client.batch(
    [
      ...tables.map((table) => ({
        sql: `SELECT count(*) AS n FROM ${table} WHERE user_id = ?`,
        args: [userId],
      })),
      { sql: "SELECT xp AS n FROM users WHERE id = ?", args: [userId] },
    ],
  );
  const names = [...tables, "users.xp"];
  return Object.fromEntries(counts.map((r, i) => [names[i], Number(r.rows[0].n)]));
}

/** A test on a fresh app with one new learner, closed afterwards. */
export function actionTest(
  name: string,
  fn: (t: TestApp, learner: { user: Learner; deps: ActionDeps }) => Promise<void>,
) {
  Deno.test({
    name,
    sanitizeResources: false,
    fn: async () => {
      const t = await testApp();
      try {
        await fn(t, await actionLearner(t));
      } finally {
        await t.close();
      }
    },
  });
}

/** When the learner earned an achievement (ms), or null. */
export async function earnedAt(t: TestApp, userId: string, achievementId: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT earned_at FROM user_achievements WHERE user_id = ? AND achievement_id = ?",
    args: [userId, achievementId],
  });
  return rows.length ? Number(rows[0].earned_at) : null;
}

/** The learner's activity rows, oldest first, with the columns named. */
export async function activityRows(t: TestApp, userId: string, columns: string[]) {
  const { rows } = await t.database.client.execute({
    sql: `SELECT ${columns.join(", ")} FROM activity_log WHERE user_id = ? ORDER BY id`,
    args: [userId],
  });
  return rows.map((r) => ({ ...r }));
}

/** Asserts the learner's one activity row and that nothing new was earned (a first action). */
export async function assertOneActivity(
  t: TestApp,
  userId: string,
  result: { new_achievements: unknown[]; streak: unknown },
  expected: Record<string, unknown>,
) {
  assert.deepEqual(result.new_achievements, []);
  assert.deepEqual(result.streak, { current: 1, active_today: true });
  assert.deepEqual(await activityRows(t, userId, Object.keys(expected)), [expected]);
}

/** Asserts the credits written, the learner's XP, and running totals that agree with the log. */
export async function assertPaid(
  t: TestApp,
  userId: string,
  paid: { credits: number; xp: number },
) {
  const writes = await learnerWrites(t, userId);
  assert.equal(writes.item_credits, paid.credits);
  assert.equal(writes["users.xp"], paid.xp);
  await assertTotalsAgree(t, userId, DEFAULT_PREFERENCES.daily_goal_xp);
}

/**
 * Runs an action `times` times (calling `between` after each); asserts that only the
 * last one awards `achievementId`, in that same request: its insert is then the one
 * round trip beyond the action's read and write batch.
 */
export async function assertAwardedOnAttempt<R extends { new_achievements: { id: string }[] }>(
  t: TestApp,
  userId: string,
  award: { achievementId: string; times: number },
  act: (attempt: number) => Promise<R>,
  between: () => void = () => {},
) {
  const { achievementId, times } = award;
  for (let i = 1; i <= times; i++) {
    const { result, roundTrips } = await withRoundTrips(() => act(i));
    const ids = result.new_achievements.map((a) => a.id);
    assert.equal(ids.includes(achievementId), i === times, `attempt ${i}: ${ids}`);
    assert.equal(roundTrips, ids.length ? 3 : 2);
    if (i === times) {
      assert.equal(await earnedAt(t, userId, achievementId), t.clock.now().getTime());
    }
    between();
  }
}

/** Row counts of the tables an action writes, to compare before and after. */
export async function tableCounts(t: TestApp, tables: readonly string[]) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const r = await t.database.client.execute(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(r.rows[0].n);
  }
  return counts;
}

/** Makes every insert into `table` fail, as a disk fault mid-batch would (a real SQLite error). */
export async function failInsertsInto(t: TestApp, table: string) {
  await t.database.client.execute(
    `CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`,
  );
}
