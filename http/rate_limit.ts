/**
 * Rate limits with a switchable store (`RATE_LIMIT_STORE`): `database` (default)
 * keeps fixed-window counters in the database so every instance behind a load
 * balancer shares them; `memory` keeps them in the process (one instance, or
 * tests of the switch). Limits: failed logins per account and per address,
 * sign-ups per address, answers per learner per minute.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db/client.ts";
import * as counters from "../db/rate_limits.ts";
import { ApiError } from "./errors.ts";

export interface WindowCount {
  count: number;
  windowStart: Date;
}

export interface RateLimiter {
  /** Adds one to `key`'s window and returns the new count. */
  hit(db: Db, key: string, windowMs: number, now: Date): Promise<WindowCount>;
  /** Adds one to each key, atomically per key, and returns the new counts in order. */
  hitMany(
    db: Db,
    keys: string[],
    windowMs: number,
    now: Date,
  ): Promise<(WindowCount & { key: string })[]>;
  /**
   * Runs `alongside` (another write of the request) and, in the same round trip,
   * forgets the `clear` keys and takes one back from each `release` key.
   */
  forgive(
    db: Db,
    keys: { clear: string[]; release: string[] },
    alongside: BatchItem<"sqlite">,
  ): Promise<void>;
  /**
   * A statement adding one to `prefix` + the user of session `sessionId`, to put
   * in the session lookup's batch (database store only), and how to read its result.
   */
  sessionUserStatement(
    db: Db,
    prefix: string,
    sessionId: string,
    windowMs: number,
    now: Date,
  ): BatchItem<"sqlite"> | null;
  readStatement(result: unknown): WindowCount | null;
}

export function databaseRateLimiter(): RateLimiter {
  return {
    async hit(db, key, windowMs, now) {
      const [row] = await counters.increment(db, [key], windowMs, now);
      return row;
    },
    hitMany: (db, keys, windowMs, now) => counters.increment(db, keys, windowMs, now),
    async forgive(db, keys, alongside) {
      await db.batch([
        alongside,
        counters.clearStatement(db, keys.clear),
        counters.decrementStatement(db, keys.release),
      ]);
    },
    sessionUserStatement: (db, prefix, sessionId, windowMs, now) =>
      counters.incrementForSessionUserStatement(db, prefix, sessionId, windowMs, now),
    readStatement: (result) => (result as WindowCount[])[0] ?? null,
  };
}

export function memoryRateLimiter(): RateLimiter {
  const windows = new Map<string, WindowCount>();
  const live = (key: string, windowMs: number, now: Date) => {
    const w = windows.get(key);
    return w && w.windowStart.getTime() + windowMs > now.getTime() ? w : null;
  };
  const hit = (key: string, windowMs: number, now: Date) => {
    const w = live(key, windowMs, now) ?? { count: 0, windowStart: now };
    const next = { count: w.count + 1, windowStart: w.windowStart };
    windows.set(key, next);
    if (windows.size > 100_000) windows.delete(windows.keys().next().value!); // bound memory
    return next;
  };
  return {
    hit: (_db, key, windowMs, now) => Promise.resolve(hit(key, windowMs, now)),
    hitMany: (_db, keys, windowMs, now) =>
      Promise.resolve(keys.map((key) => ({ key, ...hit(key, windowMs, now) }))),
    async forgive(_db, keys, alongside) {
      await alongside;
      for (const k of keys.clear) windows.delete(k);
      for (const k of keys.release) {
        const w = windows.get(k);
        if (w) windows.set(k, { ...w, count: Math.max(0, w.count - 1) });
      }
    },
    sessionUserStatement: () => null,
    readStatement: () => null,
  };
}

/** The sign-up window per address. */
export const REGISTER_WINDOW_MS = 60 * 60_000;
/** The answer window per learner. */
export const ANSWER_WINDOW_MS = 60_000;

/** The longest window any counter uses: a counter older than this counts for nothing. */
export function longestWindowMs(config: { LOGIN_WINDOW_MINUTES: number }): number {
  return Math.max(config.LOGIN_WINDOW_MINUTES * 60_000, REGISTER_WINDOW_MS, ANSWER_WINDOW_MS);
}

/** The endpoints that check answers (and so can be used to brute-force them). */
const ANSWER_ENDPOINTS = [
  /^\/api\/vocabulary\/[^/]+\/practice$/,
  /^\/api\/grammar\/[^/]+\/exercise$/,
  /^\/api\/quizzes\/[^/]+\/submit$/,
  /^\/api\/quizzes\/challenge\/[^/]+\/answer$/,
  /^\/api\/translations\/check$/,
  /^\/api\/pronunciation\/check$/,
  /^\/api\/writing\/check$/,
  /^\/api\/placement\/[^/]+\/answer$/,
];

export function isAnswerEndpoint(method: string, path: string): boolean {
  return method === "POST" && ANSWER_ENDPOINTS.some((r) => r.test(path));
}

export function rateLimitedError(windowStart: Date, windowMs: number, now: Date, message: string) {
  const seconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return new ApiError("RATE_LIMITED", `${message}; try again in ${seconds} s`, undefined, {
    "Retry-After": String(seconds),
  }, { retry_after_seconds: seconds });
}
