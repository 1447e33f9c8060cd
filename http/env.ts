/** The types every route and middleware share through Hono's context. */
import type { Config } from "../config.ts";
import type { Database, Db } from "../db/client.ts";
import type { Clock } from "../platform/clock.ts";
import type { PasswordHasher } from "../platform/password_hasher.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { Readiness } from "./readiness.ts";
import type { Locale } from "../domain/content_schema.ts";
import type { sessions, users } from "../db/schema.ts";

export type UserRow = typeof users.$inferSelect;

/** What the app is built from; tests pass their own clock and database. */
export interface AppDeps {
  database: Database;
  config: Config;
  clock: Clock;
  hasher: PasswordHasher;
  /** Where rate-limit counters live (see http/rate_limit.ts). */
  limiter: RateLimiter;
  /** Whether the database is prepared; see http/readiness.ts. */
  readiness: Readiness;
  /** This serving worker's name when the process runs several (see server.ts). */
  worker?: string;
}

export type LogFn = (entry: Record<string, unknown>) => void;

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    db: Db;
    clock: Clock;
    config: Config;
    requestId: string;
    log: LogFn;
    /** The signed-in user, when the request carries a valid session. */
    user?: UserRow;
    sessionId?: string;
    session?: typeof sessions.$inferSelect;
    /** How the session arrived: decides whether the Origin check applies. */
    authVia?: "cookie" | "bearer";
    /** Learner language for explanations (see http/locale.ts). */
    locale: Locale;
    localeSource: "profile" | "accept-language" | "default";
  };
}
