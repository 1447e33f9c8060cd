/**
 * Background upkeep: expired sessions and rate-limit counters are deleted at
 * start and then every `PURGE_INTERVAL_MINUTES`. Each run is one round trip that
 * deletes at most `PURGE_BATCH_ROWS` rows per table, so a run holds the database
 * for a bounded time and requests never wait on it; a backlog is worked off by
 * running again soon after a full batch rather than by a longer run.
 */
import type { Config } from "../config.ts";
import { purgeSessionsStatement } from "../db/accounts.ts";
import type { Db } from "../db/client.ts";
import { purgeStatement } from "../db/rate_limits.ts";
import type { Clock } from "../platform/clock.ts";
import type { LogFn } from "./env.ts";
import { errorLogEntry } from "./logging.ts";
import { longestWindowMs } from "./rate_limit.ts";

export interface Purged {
  sessions: number;
  rateLimits: number;
}

/** One bounded purge: sessions past expiry and counters whose every window has ended. */
export async function purgeExpired(
  db: Db,
  now: Date,
  config: Pick<Config, "PURGE_BATCH_ROWS" | "LOGIN_WINDOW_MINUTES">,
): Promise<Purged> {
  const before = new Date(now.getTime() - longestWindowMs(config));
  const [sessions, rateLimits] = await db.batch([
    purgeSessionsStatement(db, now, config.PURGE_BATCH_ROWS),
    purgeStatement(db, before, config.PURGE_BATCH_ROWS),
  ]);
  return { sessions: sessions.rowsAffected, rateLimits: rateLimits.rowsAffected };
}

/** After a full batch, the next run comes this soon (a backlog drains in small steps). */
const CATCH_UP_MS = 1000;

export interface Maintenance {
  /** Resolves when the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Starts the purge: once now, then periodically (`PURGE_INTERVAL_MINUTES`, 0 =
 * only at start). Call it once per process that serves (several processes only
 * repeat cheap, idempotent deletes); `stop()` before closing the database.
 */
export function startMaintenance(
  deps: { db: Db; config: Config; clock: Clock; log: LogFn },
  timing: { intervalMs?: number; catchUpMs?: number } = {},
): Maintenance {
  const { db, config, clock, log } = deps;
  const intervalMs = timing.intervalMs ?? config.PURGE_INTERVAL_MINUTES * 60_000;
  const catchUpMs = timing.catchUpMs ?? CATCH_UP_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const run = async () => {
    timer = undefined;
    let full = false;
    try {
      const purged = await purgeExpired(db, clock.now(), config);
      full = Math.max(purged.sessions, purged.rateLimits) >= config.PURGE_BATCH_ROWS;
      if (purged.sessions || purged.rateLimits) {
        log({ level: "info", message: "purged expired rows", ...purged });
      }
    } catch (err) {
      log({ level: "error", message: "purge failed", ...errorLogEntry(err) });
    }
    if (stopped) return;
    const next = full ? catchUpMs : intervalMs;
    if (next > 0) timer = setTimeout(() => (running = run()), next);
  };
  running = run();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
