/**
 * Fixed-window counters in the database, so every instance behind a load
 * balancer enforces the same limits.
 */
import { inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { preparedStatement } from "./prepared.ts";
import { rateLimits, sessions } from "./schema.ts";

/** Adds one to a counter that exists, restarting its window when that has expired. */
function bump(windowMs: number, now: Date) {
  const start = now.getTime();
  const expired = start - windowMs;
  return {
    target: rateLimits.key,
    set: {
      count:
        sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
      windowStart:
        sql`CASE WHEN ${rateLimits.windowStart} <= ${expired} THEN ${start} ELSE ${rateLimits.windowStart} END`,
    },
  };
}

const counted = { count: rateLimits.count, windowStart: rateLimits.windowStart };

/** The statement that adds one to a key's window, starting a new window when it has expired. */
export function incrementStatement(db: Db, key: string, windowMs: number, now: Date) {
  return db.insert(rateLimits).values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate(bump(windowMs, now)).returning(counted);
}

const sessionUserIncrement = preparedStatement(
  ["key", "sessionId", "start", "expired"],
  (db, p) =>
    // The WHERE also keeps SQLite from reading ON CONFLICT as a join constraint.
    db.insert(rateLimits).select(sql`SELECT ${p.key} || ${sessions.userId}, ${p.start}, 1
      FROM ${sessions} WHERE ${sessions.id} = ${p.sessionId}
      AND ${sessions.revokedAt} IS NULL AND ${sessions.expiresAt} > ${p.start}`)
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count:
            sql`CASE WHEN ${rateLimits.windowStart} <= ${p.expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
          windowStart:
            sql`CASE WHEN ${rateLimits.windowStart} <= ${p.expired} THEN ${p.start} ELSE ${rateLimits.windowStart} END`,
        },
      }).returning(counted),
);

/**
 * Adds one to `prefix` + the user id of session `sessionId`, resolved inside the
 * statement, so a per-learner count rides in the session lookup's round trip.
 * An unknown, revoked or expired session counts nothing and returns no row.
 * Prepared: every answer sends it.
 */
export function incrementForSessionUserStatement(
  db: Db,
  prefix: string,
  sessionId: string,
  windowMs: number,
  now: Date,
) {
  const start = now.getTime();
  return sessionUserIncrement(db, { key: prefix, sessionId, start, expired: start - windowMs });
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

/** The statement that takes one back from each key (an attempt that turned out legitimate). */
export function decrementStatement(db: Db, keys: string[]) {
  return db.update(rateLimits).set({ count: sql`max(${rateLimits.count} - 1, 0)` })
    .where(inArray(rateLimits.key, keys));
}

/**
 * Deletes at most `limit` counters whose window started before `before` (so has
 * ended for every limit), oldest first, through the window index.
 */
export function purgeStatement(db: Db, before: Date, limit: number) {
  return db.delete(rateLimits).where(inArray(
    sql`rowid`,
    db.select({ id: sql`rowid` }).from(rateLimits).where(lte(rateLimits.windowStart, before))
      .limit(limit),
  ));
}
