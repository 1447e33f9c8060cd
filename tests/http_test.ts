import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { signUp, testApp } from "./helpers.ts";

Deno.test("unknown routes get 404 in the envelope with a request id", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/does-not-exist");
  assert.equal(res.status, 404);
  assert.deepEqual(Object.keys(res.body), ["error"]);
  assert.equal(res.body.error.code, "NOT_FOUND");
  assert.ok(res.headers.get("x-request-id"));
  const echoed = await t.call("GET", "/api/health", { headers: { "x-request-id": "abc-123" } });
  assert.equal(echoed.headers.get("x-request-id"), "abc-123");
  await t.close();
});

Deno.test("responses carry security headers with a year of HSTS and database timing", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/health");
  assert.equal(res.status, 200);
  assert.equal(res.body.data.status, "ok");
  assert.equal(res.body.data.database, undefined, "liveness does not depend on the database");
  const hsts = res.headers.get("strict-transport-security") ?? "";
  assert.ok(Number(hsts.match(/max-age=(\d+)/)?.[1]) >= 31536000, hsts);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("x-frame-options"), "DENY");
  assert.match(res.headers.get("server-timing") ?? "", /total;dur=/);
  const ready = await t.call("GET", "/api/health/ready");
  assert.equal(ready.status, 200);
  assert.equal(ready.body.data.status, "ready");
  assert.equal(ready.body.data.database, "ok");
  assert.match(ready.headers.get("server-timing") ?? "", /db;dur=/);
  await t.close();
});

Deno.test("CORS allows credentials for listed origins only, never with *", async () => {
  const t = await testApp({ CORS_ORIGINS: ["http://localhost:5173"] });
  const preflight = await t.call("OPTIONS", "/api/auth/login", {
    headers: {
      origin: "http://localhost:5173",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:5173");
  assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
  const foreign = await t.call("OPTIONS", "/api/auth/login", {
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  assert.equal(foreign.headers.get("access-control-allow-origin"), null);
  await t.close();
});

Deno.test("state-changing requests from a foreign Origin are refused with 403", async () => {
  const t = await testApp({ CORS_ORIGINS: ["http://localhost:5173"] });
  const { token } = await signUp(t);
  const cookie = { cookie: `session=${token}` };
  const evil = await t.call("POST", "/api/auth/logout", {
    headers: { ...cookie, origin: "https://evil.example" },
  });
  assert.equal(evil.status, 403);
  assert.equal(evil.body.error.code, "FORBIDDEN");
  const crossSite = await t.call("POST", "/api/auth/logout", {
    headers: { ...cookie, "sec-fetch-site": "cross-site" },
  });
  assert.equal(crossSite.status, 403);
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 200, "still signed in");
  const friendly = await t.call("POST", "/api/auth/logout", {
    headers: { ...cookie, origin: "http://localhost:5173" },
  });
  assert.equal(friendly.status, 200);
  await t.close();
});

Deno.test("the OpenAPI document lists every route with its request schemas", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/openapi.json");
  assert.equal(res.status, 200);
  const doc = res.body;
  assert.equal(doc.openapi, "3.1.0");
  const documented = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
  }
  const routes = t.app.routes.filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
  assert.ok(routes.length >= 8);
  for (const r of routes) assert.ok(documented.has(r), `${r} is documented`);
  for (
    const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { summary: string }>>,
    )
  ) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(!op.summary.startsWith(method.toUpperCase()), `${method} ${path} has a summary`);
    }
  }
  const register = doc.paths["/api/auth/register"].post;
  const schema = register.requestBody.content["application/json"].schema;
  assert.deepEqual(
    [...schema.required].sort(),
    ["email", "native_language", "password", "username"],
  );
  assert.equal(schema.properties.password.minLength, 8);
  const docsPage = await t.app.request("/api/docs");
  assert.equal(docsPage.status, 200);
  // The viewer comes from this origin only, under a CSP with no inline code or eval.
  const csp = docsPage.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  const html = await docsPage.text();
  assert.doesNotMatch(html, /https?:\/\//, "nothing fetched from elsewhere");
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(assets.length, 3);
  for (const asset of assets) {
    const res = await t.app.request(asset);
    assert.equal(res.status, 200, asset);
    assert.match(res.headers.get("content-type") ?? "", /^text\/(css|javascript)/);
    assert.ok((await res.arrayBuffer()).byteLength > 100, asset);
  }
  const init = await (await t.app.request(assets[2])).text();
  assert.match(init, /\/api\/openapi\.json/);
  assert.equal((await t.app.request("/api/docs/assets/0.0.1/swagger-ui.css")).status, 404);
  await t.close();
});

Deno.test("loadConfig() names each bad variable", () => {
  assert.throws(() => loadConfig({ PORT: "http" }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: "postgres://x" }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ CORS_ORIGINS: "localhost" }), /CORS_ORIGINS/);
  assert.throws(() => loadConfig({ COOKIE_SAMESITE: "lax" }), /COOKIE_SAMESITE/);
  const ok = loadConfig({ PORT: "9000", CORS_ORIGINS: "https://app.example.com" });
  assert.equal(ok.PORT, 9000);
  assert.deepEqual(ok.CORS_ORIGINS, ["https://app.example.com"]);
  assert.equal(loadConfig({}).DATABASE_URL, "file:data/app.db");
});

Deno.test("SameSite=None forces the Secure cookie flag", async () => {
  const t = await testApp({ COOKIE_SAMESITE: "None" });
  const res = await t.call("POST", "/api/auth/register", {
    body: {
      username: "nina",
      email: "nina@example.com",
      password: "12345678x",
      native_language: "en",
    },
  });
  const cookie = res.headers.get("set-cookie") ?? "";
  assert.match(cookie, /SameSite=None/);
  assert.match(cookie, /Secure/);
  await t.close();
});

Deno.test("public catalogue reads are cached and a content write clears the cache", async () => {
  const t = await testApp();
  const first = await t.call("GET", "/api/courses?language=it");
  assert.equal(first.headers.get("x-cache"), "miss");
  const second = await t.call("GET", "/api/courses?language=it");
  assert.equal(second.headers.get("x-cache"), "hit");
  assert.deepEqual(second.body, first.body);
  const { token, user } = await signUp(t);
  const mine = await t.call("GET", "/api/courses?language=it", { token });
  assert.equal(mine.headers.get("x-cache"), null, "signed-in reads are personal, never cached");
  await t.database.client.execute({
    sql: "UPDATE users SET role = 'editor' WHERE id = ?",
    args: [user.id],
  });
  const created = await t.call("POST", "/api/courses", {
    token,
    body: {
      language: "it",
      slug: "it-b1-cache",
      level: "B1",
      title: { en: "Italian B1", es: "Italiano B1" },
      description: { en: "d", es: "d" },
      objectives: [{ en: "a", es: "a" }, { en: "b", es: "b" }, { en: "c", es: "c" }],
      estimated_hours: 40,
      prerequisite: "it-a2",
    },
  });
  assert.equal(created.status, 201);
  const after = await t.call("GET", "/api/courses?language=it");
  assert.equal(after.headers.get("x-cache"), "miss");
  assert.ok(after.body.data.some((c: { id: string }) => c.id === "it-b1-cache"));
  await t.close();
});
