/**
 * Request validation with `@hono/zod-validator`, answering failures in the
 * envelope with one `details` entry per field. The schemas are also recorded on
 * the middleware so the OpenAPI document is generated from them (http/openapi.ts).
 */
import { zValidator } from "@hono/zod-validator";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import type { z } from "zod";
import { ApiError, type FieldProblem } from "./errors.ts";
import { DOC, type RouteDoc } from "./openapi.ts";

type Target = "json" | "query" | "param" | "form";

/** Turns zod issues into the contract's `details`. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((i) => ({
    field: i.path.map(String).join(".") || "(body)",
    message: i.message,
  }));
}

const WHERE: Record<Target, string> = {
  json: "Request body",
  query: "Query string",
  param: "Path",
  form: "Form data",
};

/**
 * Validates one part of the request. For `json`, a body with another content
 * type is refused with 415, and an empty body with no content type is treated as
 * `{}` so endpoints whose fields are all optional accept a bare POST.
 */
export function validate<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  const inner = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(
        "VALIDATION_ERROR",
        `${WHERE[target]} is invalid`,
        fieldProblems(result.error.issues),
      );
    }
  });
  const middleware: MiddlewareHandler = (c, next) => {
    if (target === "json") {
      const type = c.req.header("content-type");
      const length = c.req.header("content-length");
      const hasBody = (length !== undefined && length !== "0") ||
        c.req.header("transfer-encoding") !== undefined;
      if (type && !/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
      }
      if (!type && hasBody) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
      }
    }
    return inner(c, next);
  };
  const doc: RouteDoc = { validators: [{ target, schema }] };
  Object.assign(middleware, { [DOC]: doc });
  return middleware as unknown as MiddlewareHandler<
    AppEnv,
    string,
    { in: { [P in K]: z.input<T> }; out: { [P in K]: z.output<T> } }
  >;
}
