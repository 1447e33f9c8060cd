/**
 * Request ids, one structured JSON log line per request and database timing.
 * The line has method, path (never the query string, which may carry tokens),
 * status, duration and the statements the request sent to the database.
 */
import { DrizzleQueryError } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { countRoundTrips } from "../db/client.ts";
import type { AppEnv, LogFn } from "./env.ts";
import { randomId } from "../platform/tokens.ts";
import { setResponseHeader } from "./response_headers.ts";

const jsonLog: LogFn = (entry) => console.log(JSON.stringify(entry));
const silent: LogFn = () => {};

/**
 * Request ids: a random prefix per process and a counter, unique across
 * instances without drawing random bytes on every request.
 */
const processPrefix = randomId(6);
let sequence = 0;
function nextRequestId(): string {
  return `${processPrefix}-${(++sequence).toString(36)}`;
}

/** Assigns a request id, counts database round trips and logs the outcome. */
export function requestLogging(enabled: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : nextRequestId();
    c.set("requestId", requestId);
    c.set(
      "log",
      enabled
        ? (entry) => jsonLog({ time: new Date().toISOString(), request_id: requestId, ...entry })
        : silent,
    );
    const start = performance.now();
    const { result, counter } = countRoundTrips(() => next());
    await result;
    const duration = performance.now() - start;
    setResponseHeader(c, "X-Request-Id", requestId);
    setResponseHeader(
      c,
      "Server-Timing",
      `db;dur=${counter.ms.toFixed(1)};desc="${counter.statements} round trips", total;dur=${
        duration.toFixed(1)
      }`,
    );
    if (!enabled) return;
    jsonLog({
      time: new Date().toISOString(),
      level: c.res.status >= 500 ? "error" : "info",
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(duration * 10) / 10,
      db_round_trips: counter.statements,
      db_ms: Math.round(counter.ms * 10) / 10,
      user_id: c.get("user")?.id,
    });
  };
}

/**
 * The database round trips a response's `Server-Timing` reports (a batch counts as
 * one; tests and benchmarks read it).
 */
export function dbRoundTrips(res: { headers: Headers }): number {
  const match = res.headers.get("server-timing")?.match(/desc="(\d+) round trips"/);
  if (!match) throw new Error("the response has no database timing");
  return Number(match[1]);
}

/**
 * What an error log line says about `err`: name, message, stack and cause, with
 * a failed query's parameters left out (they can hold an email address or a
 * password hash). The SQL text and the driver's reason stay, which is what
 * finding the fault needs.
 */
export function errorLogEntry(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: typeof err };
  let { message, stack } = err;
  if (err instanceof DrizzleQueryError) {
    message = `Failed query: ${err.query}\nparams: [${err.params.length} redacted]`;
    stack = stack?.replace(err.message, message);
    if (stack?.includes(err.message)) stack = undefined; // never log what could not be cut out
  }
  return {
    error: err.name,
    message,
    stack,
    ...(err.cause !== undefined && depth < 3 ? { cause: errorLogEntry(err.cause, depth + 1) } : {}),
  };
}
