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

const WHERE: Record<Target, string> = {
  json: "Request body",
  query: "Query string",
  param: "Path",
  form: "Form data",
};

/** What names a problem with the whole part rather than one field of it. */
const WHOLE: Record<Target, string> = {
  json: "(body)",
  query: "(query)",
  param: "(path)",
  form: "(form)",
};

/**
 * Turns zod issues into the contract's `details`: each names the field, or
 * each unknown key, of the part of the request (`target`) that was checked.
 */
export function fieldProblems(
  issues: readonly z.core.$ZodIssue[],
  target: Target = "json",
): FieldProblem[] {
  return issues.flatMap((i) => {
    const at = i.path.map(String);
    if (i.code === "unrecognized_keys") {
      return i.keys.map((key) => ({
        field: [...at, key].join("."),
        message: `Unknown ${target === "query" ? "query parameter" : "field"}`,
      }));
    }
    return [{ field: at.join(".") || WHOLE[target], message: i.message }];
  });
}

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
        fieldProblems(result.error.issues, target),
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
