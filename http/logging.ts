/**
 * Request ids, one structured JSON log line per request and database timing.
 * The line has method, path (never the query string, which may carry tokens),
 * status, duration and the statements the request sent to the database.
 */
import type { MiddlewareHandler } from "hono";
import { countRoundTrips } from "../db/client.ts";
import type { AppEnv, LogFn } from "./env.ts";
import { randomId } from "../platform/tokens.ts";
import { setResponseHeader } from "./response_headers.ts";

const jsonLog: LogFn = (entry) => console.log(JSON.stringify(entry));
const silent: LogFn = () => {};

/** Assigns a request id, counts database round trips and logs the outcome. */
export function requestLogging(enabled: boolean): MiddlewareHandler<AppEnv> {
  const log = enabled ? jsonLog : silent;
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomId(9);
    c.set("requestId", requestId);
    c.set(
      "log",
      (entry) => log({ time: new Date().toISOString(), request_id: requestId, ...entry }),
    );
    const start = performance.now();
    const { result, counter } = countRoundTrips(() => next());
    await result;
    const duration = performance.now() - start;
    setResponseHeader(c, "X-Request-Id", requestId);
    setResponseHeader(c, "X-DB-Statements", String(counter.statements));
    setResponseHeader(
      c,
      "Server-Timing",
      `db;dur=${counter.ms.toFixed(1)};desc="${counter.statements} statements", total;dur=${
        duration.toFixed(1)
      }`,
    );
    log({
      time: new Date().toISOString(),
      level: c.res.status >= 500 ? "error" : "info",
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(duration * 10) / 10,
      db_statements: counter.statements,
      db_ms: Math.round(counter.ms * 10) / 10,
      user_id: c.get("user")?.id,
    });
  };
}
