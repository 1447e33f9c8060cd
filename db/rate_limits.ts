/**
 * Fixed-window counters in the database, so every instance behind a load
 * balancer enforces the same limits.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { rateLimits } from "./schema.ts";

export interface WindowCount {
  key: string;
  count: number;
  windowStart: Date;
}

/** Current counts of the given keys (expired windows count as zero). */
export async function currentCounts(
  db: Db,
  keys: string[],
  windowMs: number,
  now: Date,
): Promise<WindowCount[]> {
  const rows = await db.select().from(rateLimits).where(inArray(rateLimits.key, keys));
  return rows
    .filter((r) => r.windowStart.getTime() + windowMs > now.getTime())
    .map((r) => ({ key: r.key, count: r.count, windowStart: r.windowStart }));
}

/** The statement that adds one to a key's window, starting a new window when it has expired. */
export function incrementStatement(db: Db, key: string, windowMs: number, now: Date) {
  const start = now.getTime();
  const expired = start - windowMs;
  return db.insert(rateLimits).values({ key, windowStart: now, count: 1 }).onConflictDoUpdate({
    target: rateLimits.key,
    set: {
      count:
        sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      windowStart:
        sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN ${start} ELSE ${rateLimits.windowStart} END`,
    },
  }).returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
}

/** Adds one to each key in one round trip and returns the new counts. */
export async function increment(db: Db, keys: string[], windowMs: number, now: Date) {
  const [first, ...rest] = keys.map((k) => incrementStatement(db, k, windowMs, now));
  const results = await db.batch([first, ...rest]);
  return results.map((r, i) => ({
    key: keys[i],
    ...(r as { count: number; windowStart: Date }[])[0],
  }));
}

/** The statement that forgets the given keys (e.g. failures after a good login). */
export function clearStatement(db: Db, keys: string[]) {
  return db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}
