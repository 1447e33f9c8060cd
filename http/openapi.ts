/**
 * Generates the OpenAPI 3.1 document from the app itself: it walks the
 * registered routes and reads the zod schemas that `validate()` attached to its
 * middleware and the summaries `describe()` attached, so the document cannot drift
 * from what the server checks.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { z } from "zod";

export const DOC = Symbol.for("language-api.route-doc");

export interface RouteDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  /** `user`: a session is required; `optional`: personalised when signed in. */
  auth?: "none" | "optional" | "user" | "editor" | "admin";
  responses?: Record<number, string>;
  validators?: { target: string; schema: z.ZodType }[];
}

/** Attaches documentation to a route; it does nothing at request time. */
export function describe(doc: Omit<RouteDoc, "validators">): MiddlewareHandler {
  const middleware: MiddlewareHandler = (_c, next) => next();
  Object.assign(middleware, { [DOC]: doc });
  return middleware;
}

const ERROR_RESPONSE = { $ref: "#/components/responses/Error" };

/** Every documented operation of `app`, keyed by OpenAPI path then method. */
// deno-lint-ignore no-explicit-any
export function buildOpenApi(app: Hono<any>, info: { title: string; version: string }) {
  const ops = new Map<string, RouteDoc>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const key = `${route.method.toLowerCase()} ${route.path}`;
    const doc = (route.handler as unknown as Record<symbol, RouteDoc>)[DOC];
    const merged = ops.get(key) ?? { validators: [] };
    if (doc) {
      const { validators, ...rest } = doc;
      Object.assign(merged, rest);
      merged.validators!.push(...(validators ?? []));
    }
    ops.set(key, merged);
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, doc] of ops) {
    const [method, honoPath] = key.split(" ");
    const path = honoPath.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
    const parameters: unknown[] = [];
    let requestBody: unknown;
    for (const v of doc.validators ?? []) {
      const schema = z.toJSONSchema(v.schema, { io: "input", unrepresentable: "any" }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      if (v.target === "json" || v.target === "form") {
        const media = v.target === "json" ? "application/json" : "multipart/form-data";
        requestBody = { required: true, content: { [media]: { schema } } };
      } else {
        const where = v.target === "param" ? "path" : v.target;
        for (const [name, s] of Object.entries(schema.properties ?? {})) {
          parameters.push({
            name,
            in: where,
            required: where === "path" || (schema.required ?? []).includes(name),
            schema: s,
          });
        }
      }
    }
    for (const m of honoPath.matchAll(/:(\w+)/g)) {
      if (!parameters.some((p) => (p as { name: string }).name === m[1])) {
        parameters.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
      }
    }
    const secured = doc.auth && doc.auth !== "none";
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(doc.responses ?? { 200: "Success" })) {
      responses[status] = Number(status) >= 400 ? ERROR_RESPONSE : { description };
    }
    responses["4XX"] = ERROR_RESPONSE;
    paths[path] ??= {};
    paths[path][method] = {
      summary: doc.summary ?? `${method.toUpperCase()} ${path}`,
      ...(doc.description ? { description: doc.description } : {}),
      tags: doc.tags ?? [path.split("/")[2] ?? "api"],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      ...(secured
        ? {
          security: doc.auth === "optional"
            ? [{}, { bearer: [] }, { cookie: [] }]
            : [{ bearer: [] }, { cookie: [] }],
          "x-required-role": doc.auth === "editor" || doc.auth === "admin" ? doc.auth : undefined,
        }
        : {}),
      responses,
    };
  }

  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description:
        'Language-learning API. Success: `{"data": ...}`; failure: `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "session" },
      },
      responses: {
        Error: {
          description: "Error envelope",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["error"],
                properties: {
                  error: {
                    type: "object",
                    required: ["code", "message"],
                    properties: {
                      code: { type: "string" },
                      message: { type: "string" },
                      details: {
                        type: "array",
                        items: {
                          type: "object",
                          properties: { field: { type: "string" }, message: { type: "string" } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths,
  };
}
