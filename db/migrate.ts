/**
 * Applies the committed drizzle-kit migrations. drizzle's migrator records each
 * applied file in `__drizzle_migrations`, so running it at every start is idempotent.
 */
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "./client.ts";
import { backfillLearnerTotals } from "./learner_totals.ts";

export const MIGRATIONS_DIR = new URL("./migrations", import.meta.url).pathname;

/** Brings the schema up to date, and builds running totals that learners lack (migration 0006). */
export async function migrateDatabase(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  await backfillLearnerTotals(db);
}

/** How many migrations the code ships and how many the database has applied. */
export async function migrationStatus(db: Db): Promise<{ expected: number; applied: number }> {
  const journal = JSON.parse(
    await Deno.readTextFile(`${MIGRATIONS_DIR}/meta/_journal.json`),
  ) as { entries: unknown[] };
  const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`)
    .catch(() => [{ n: 0 }]);
  return { expected: journal.entries.length, applied: Number(rows[0]?.n ?? 0) };
}
