/**
 * Property-based fuzzing of every route in the OpenAPI document: random and
 * hostile paths, query strings and bodies (wrong types, huge numbers, NaN
 * strings, deep nesting, long strings, unicode, SQL and path-traversal strings).
 * Whatever is sent: no 5xx, every error in the envelope, no stack trace or SQL.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { grantRole, type Json, signUp, testApp } from "./helpers.ts";

const hostileString = fc.oneof(
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    "../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "NaN",
    "Infinity",
    "-1",
    "1e309",
    "null",
    "undefined",
    "true",
    "<script>alert(1)</script>",
    "日本語テキスト",
    "Ελληνικά",
    "emoji 😀🎉",
    "\u0000\u0001\u0002",
    "a".repeat(5000),
    "",
    " ",
    "{}",
    "[]",
    "es",
    "es-a1",
    "A1",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, 3_600_000, 86_400_001),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

function deepNesting(depth: number): unknown {
  let v: unknown = "x";
  // A chain, not a tree: sharing `v` twice per level would grow as 2^depth when serialised.
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

/** A body shaped like the route's schema, with hostile values in its fields. */
function bodyFor(schema: Json | undefined): fc.Arbitrary<unknown> {
  const props = Object.keys(schema?.properties ?? {});
  const shaped = props.length
    ? fc.record(Object.fromEntries(props.map((p) => [p, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  return fc.oneof(shaped, hostileValue, fc.constant(deepNesting(200)), fc.constant("not json {"));
}

const FORBIDDEN_TEXT =
  /(\bat \S+\.ts:\d+|SQLITE_|sqlite_|drizzle|LibsqlError|stack|\/work\/|node_modules)/i;

Deno.test({
  name: "no route answers a hostile request with a 5xx, a stack trace or SQL",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const t = await testApp({
      ANSWER_RATE_LIMIT_PER_MINUTE: 0,
      LOGIN_MAX_FAILURES_PER_ADDRESS: 100000,
    });
    const learner = await signUp(t);
    const editor = await signUp(t);
    await grantRole(t, editor.user.id, "editor");
    await t.call("POST", "/api/courses/es-a1/enroll", { token: learner.token });
    const doc = (await t.call("GET", "/api/openapi.json")).body;
    const operations: { method: string; path: string; op: Json }[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(ops)) {
        operations.push({ method: method.toUpperCase(), path, op });
      }
    }
    assert.ok(operations.length >= 40, `${operations.length} operations`);
    let requests = 0;
    for (const { method, path, op } of operations) {
      // Destructive routes are fuzzed without a session so the run keeps its learners.
      const destructive = (method === "POST" && path === "/api/auth/logout") ||
        (method === "DELETE" && path === "/api/auth/user");
      const params = (op.parameters ?? []) as Json[];
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      await fc.assert(
        fc.asyncProperty(
          fc.array(hostileString, { minLength: 4, maxLength: 4 }),
          fc.dictionary(
            fc.constantFrom(
              ...params.filter((p) => p.in === "query").map((p) => p.name),
              "x",
              "limit",
            ),
            hostileString,
            { maxKeys: 3 },
          ),
          bodyFor(bodySchema),
          fc.constantFrom("none", "learner", "editor"),
          fc.constantFrom(
            "application/json",
            "application/json",
            "text/plain",
            "multipart/form-data; boundary=x",
          ),
          async (segments, query, body, who, contentType) => {
            let i = 0;
            const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(segments[i++] || "x")) +
              (Object.keys(query).length
                ? "?" + new URLSearchParams(query as Record<string, string>)
                : "");
            const token = destructive || who === "none"
              ? undefined
              : who === "learner"
              ? learner.token
              : editor.token;
            const init: RequestInit = {
              method,
              headers: {
                ...(token ? { authorization: `Bearer ${token}` } : {}),
                ...(method !== "GET" ? { "content-type": contentType } : {}),
              },
              ...(method !== "GET" && method !== "HEAD"
                ? { body: typeof body === "string" ? body : JSON.stringify(body) }
                : {}),
            };
            requests++;
            const res = await t.app.request(url, init, {
              remoteAddr: { hostname: "192.0.2.9", port: 1, transport: "tcp" },
            });
            const text = await res.text();
            assert.ok(res.status < 500, `${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
            assert.doesNotMatch(
              text,
              FORBIDDEN_TEXT,
              `${method} ${url} leaked internals: ${text.slice(0, 300)}`,
            );
            if (res.status >= 400) {
              const json = JSON.parse(text);
              assert.equal(
                typeof json.error?.code,
                "string",
                `${method} ${url}: ${text.slice(0, 200)}`,
              );
              assert.equal(typeof json.error?.message, "string");
            }
          },
        ),
        { numRuns: 12, seed: 20261125, endOnFailure: true },
      );
    }
    assert.ok(requests >= operations.length * 12);
    await t.close();
  },
});
