/**
 * Rate limits with a switchable store (`RATE_LIMIT_STORE`): `database` (default)
 * keeps fixed-window counters in the database so every instance behind a load
 * balancer shares them; `memory` keeps them in the process (one instance, or
 * tests of the switch). Limits: failed logins per account and per address,
 * sign-ups per address, answers per session per minute.
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
  /** Adds one to each key. */
  hitMany(db: Db, keys: string[], windowMs: number, now: Date): Promise<void>;
  /** Current counts (expired windows omitted). */
  current(
    db: Db,
    keys: string[],
    windowMs: number,
    now: Date,
  ): Promise<(WindowCount & { key: string })[]>;
  clear(db: Db, keys: string[]): Promise<void>;
  /** A statement to put in another batch (database store only), and how to read its result. */
  statement(db: Db, key: string, windowMs: number, now: Date): BatchItem<"sqlite"> | null;
  readStatement(result: unknown): WindowCount | null;
}

export function databaseRateLimiter(): RateLimiter {
  return {
    async hit(db, key, windowMs, now) {
      const [row] = await counters.increment(db, [key], windowMs, now);
      return row;
    },
    async hitMany(db, keys, windowMs, now) {
      await counters.increment(db, keys, windowMs, now);
    },
    current: (db, keys, windowMs, now) => counters.currentCounts(db, keys, windowMs, now),
    async clear(db, keys) {
      await counters.clearStatement(db, keys);
    },
    statement: (db, key, windowMs, now) => counters.incrementStatement(db, key, windowMs, now),
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
    hitMany: (_db, keys, windowMs, now) => {
      for (const k of keys) hit(k, windowMs, now);
      return Promise.resolve();
    },
    current: (_db, keys, windowMs, now) =>
      Promise.resolve(
        keys.flatMap((key) => {
          const w = live(key, windowMs, now);
          return w ? [{ key, ...w }] : [];
        }),
      ),
    clear: (_db, keys) => {
      for (const k of keys) windows.delete(k);
      return Promise.resolve();
    },
    statement: () => null,
    readStatement: () => null,
  };
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
