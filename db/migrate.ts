/**
 * Applies the committed drizzle-kit migrations, safely when several instances
 * start at once against one database (edge isolates on one Turso database).
 *
 * The files, journal and bookkeeping table are drizzle's own (`__drizzle_migrations`,
 * one row per applied file), so drizzle-kit keeps working. What differs from
 * drizzle's migrator: a unique index on the applied hash, and each pending
 * migration's bookkeeping row is the FIRST statement of the one batch that applies
 * it. Two instances that both saw a migration as pending both send that batch; the
 * database runs them one after the other, the second fails on its first statement
 * (the hash is already there) and rolls back whole, and that instance re-reads and
 * finds nothing left to do. No lock to leak, no interactive transaction (which
 * costs a round trip per statement over HTTP), no half-applied schema: a batch is
 * one transaction.
 */
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./client.ts";
import { backfillLearnerTotals } from "./learner_totals.ts";

export const MIGRATIONS_DIR = new URL("./migrations", import.meta.url).pathname;
const TABLE = "__drizzle_migrations";
const ATTEMPTS = 5;

export interface MigrationReport {
  /** Migration files this call applied (0 when another instance got there first). */
  applied: number;
}

/**
 * Brings the schema up to date, then builds the running totals that learners lack
 * (learner_totals arrived after learners did); idempotent and safe to run from many
 * instances at once.
 */
export async function migrateDatabase(db: Db): Promise<MigrationReport> {
  const report = await applyMigrations(db);
  await backfillLearnerTotals(db);
  return report;
}

async function applyMigrations(db: Db): Promise<MigrationReport> {
  const client = db.$client;
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  await client.batch([
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${TABLE}_hash_unique ON ${TABLE} (hash)`,
  ], "write");
  for (let attempt = 1;; attempt++) {
    const { rows } = await client.execute(`SELECT hash, created_at FROM ${TABLE}`);
    const applied = new Set(rows.map((r) => String(r.hash)));
    const last = Math.max(0, ...rows.map((r) => Number(r.created_at)));
    // drizzle's rule: a file is pending when it is newer than the newest applied one.
    const pending = migrations.filter((m) => m.folderMillis > last && !applied.has(m.hash));
    if (pending.length === 0) return { applied: 0 };
    const statements = pending.flatMap((m) => [
      {
        sql: `INSERT INTO ${TABLE} ("hash", "created_at") VALUES (?, ?)`,
        args: [m.hash, m.folderMillis],
      },
      ...m.sql.filter((s) => s.trim() !== "").map((s) => ({ sql: s, args: [] })),
    ]);
    try {
      await client.migrate(statements);
      return { applied: pending.length };
    } catch (err) {
      const raced = /UNIQUE constraint failed: __drizzle_migrations/i.test(String(err));
      if (!raced || attempt >= ATTEMPTS) throw err;
    }
  }
}

let shipped: number | undefined;

/**
 * How many migrations the code ships and how many the database has applied. A
 * database that cannot be reached throws: that is not "nothing applied yet".
 */
export async function migrationStatus(db: Db): Promise<{ expected: number; applied: number }> {
  shipped ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).length;
  const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(TABLE)}`)
    .catch((err) => {
      if (/no such table/i.test(String(err))) return [{ n: 0 }];
      throw err;
    });
  return { expected: shipped, applied: Number(rows[0]?.n ?? 0) };
}
