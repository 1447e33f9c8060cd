/**
 * Calling an action (actions/) directly, as a route handler does: the deps a
 * request would carry and the signed-in learner's row.
 */
import { eq } from "drizzle-orm";
import type { ActionDeps, Learner } from "../../actions/deps.ts";
import { users } from "../../db/schema.ts";
import type { TestApp } from "../helpers.ts";

export async function actionContext(
  t: TestApp,
  userId: string,
): Promise<{ deps: ActionDeps; learner: Learner }> {
  const db = t.database.db;
  const [learner] = await db.select().from(users).where(eq(users.id, userId));
  if (!learner) throw new Error(`no user ${userId}`);
  return { deps: { db, clock: t.clock, config: t.config, locale: "en" }, learner };
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
