/** Test support for actions (see tests/helpers.ts `learnerDeps` for calling one). */
import type { TestApp } from "../helpers.ts";

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
