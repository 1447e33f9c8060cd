/**
 * Whether the database has been prepared (migrated and seeded) for this process.
 * An edge instance starts serving before its remote database answers, so that
 * liveness holds while the database is unreachable; until preparation succeeds,
 * requests that need the database get 503 in the envelope instead of a crash.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

export interface Readiness {
  ready: boolean;
  /** Why not ready, for readiness probes and logs (never a query or a credential). */
  reason: string | null;
}

/** The state of a process whose database was prepared before it started serving. */
export function preparedReadiness(): Readiness {
  return { ready: true, reason: null };
}

/** Paths that answer without the database: health, the API document and its viewer. */
const WITHOUT_DATABASE = /^\/api\/(health(\/.*)?|openapi\.json|docs(\/.*)?)$/;

/** Answers 503 for database-backed routes until `readiness.ready`. */
export function requireReadyDatabase(readiness: Readiness): MiddlewareHandler {
  return (c, next) => {
    if (readiness.ready || WITHOUT_DATABASE.test(c.req.path)) return next();
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "The service is starting and its database is not ready yet; try again shortly",
      undefined,
      { "Retry-After": "5" },
    );
  };
}
