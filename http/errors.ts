/**
 * The one error path: anything thrown in a handler or middleware ends up in
 * {@link errorHandler}, which answers in the contract's envelope
 * (`{"error": {"code", "message", "details"}}`) and never leaks internals.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { databaseOutage } from "../db/client.ts";
import { errorLogEntry } from "./logging.ts";

export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RANGE_NOT_SATISFIABLE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "SERVICE_UNAVAILABLE";

export interface FieldProblem {
  field: string;
  message: string;
}

const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A `Range` that starts past the end of a file; the answer names the real length. */
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The database cannot be reached (or is still being prepared): worth retrying. */
  SERVICE_UNAVAILABLE: 503,
};

const CODE_OF_STATUS: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(STATUS_OF).map(([code, status]) => [status, code as ErrorCode]),
);

/** An error a client can act on: status, code and a sentence-case message. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers?: Record<string, string>,
    /** Extra machine-readable fields, e.g. the reason a lesson is locked. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS_OF[code];
  }
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);
export const forbidden = (message: string, extra?: Record<string, unknown>) =>
  new ApiError("FORBIDDEN", message, undefined, undefined, extra);
export const conflict = (message: string, extra?: Record<string, unknown>) =>
  new ApiError("CONFLICT", message, undefined, undefined, extra);
export const badRequest = (message: string, details?: FieldProblem[]) =>
  new ApiError("VALIDATION_ERROR", message, details);
export const unauthenticated = (message = "Sign in to continue") =>
  new ApiError("UNAUTHENTICATED", message);

/** Builds the error envelope body. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: FieldProblem[],
  extra?: Record<string, unknown>,
) {
  return { error: { code, message, ...(details?.length ? { details } : {}), ...extra } };
}

/** Root `onError`: maps every thrown value to an envelope response. */
export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.details, err.extra), err.status);
  }
  if (err instanceof HTTPException) {
    // Middleware (body limit, JSON parsing, CORS) signals with HTTPException;
    // keep its status rather than turning it into a 500.
    const status = err.status as ContentfulStatusCode;
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? "INTERNAL" : "VALIDATION_ERROR");
    const message = status === 400 && /json/i.test(err.message)
      ? "Request body is not valid JSON"
      : status >= 500
      ? "Something went wrong on our side"
      : err.message || code;
    return c.json(errorBody(code, message), status);
  }
  const outage = databaseOutage(err);
  if (outage) {
    c.get("log")?.({ level: "warn", error: "database unavailable", reason: outage });
    c.header("Retry-After", "5");
    return c.json(
      errorBody("SERVICE_UNAVAILABLE", "The database is unavailable; try again shortly"),
      503,
    );
  }
  c.get("log")?.({ level: "error", ...errorLogEntry(err) });
  return c.json(errorBody("INTERNAL", "Something went wrong on our side"), 500);
}

/** Root `notFound`. */
export function notFoundHandler(c: Context): Response {
  return c.json(errorBody("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`), 404);
}
