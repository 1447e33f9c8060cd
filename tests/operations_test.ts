import assert from "node:assert/strict";
import { memoryRateLimiter } from "../http/rate_limit.ts";
import { type Json, signUp, testApp } from "./helpers.ts";

Deno.test("a learner exports all their data and deletes the account with the password", async () => {
  const t = await testApp();
  const { token, user, password } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  await t.call("POST", "/api/vocabulary/es-hola/practice", {
    token,
    body: { user_answer: "hello", response_time: 900 },
  });
  const exported = await t.call("GET", "/api/auth/user/export", { token });
  assert.equal(exported.status, 200);
  const d = exported.body.data;
  assert.equal(d.profile.id, user.id);
  assert.equal(d.course_progress.length, 1);
  assert.equal(d.vocabulary_cards.length, 1);
  assert.equal(d.review_log.length, 1);
  assert.ok(d.activity_log.length >= 1);
  assert.match(exported.headers.get("content-disposition") ?? "", /attachment/);
  const text = JSON.stringify(exported.body);
  assert.ok(!text.includes("password_hash") && !text.includes("$argon2"), "no secrets");
  const sessionRow = await t.database.client.execute("SELECT id FROM sessions LIMIT 1");
  assert.ok(!text.includes(String(sessionRow.rows[0].id)), "no token hashes");

  assert.equal(
    (await t.call("DELETE", "/api/auth/user", { token, body: { password: "wrong password" } }))
      .status,
    401,
  );
  assert.equal((await t.call("DELETE", "/api/auth/user", { token, body: {} })).status, 400);
  const deleted = await t.call("DELETE", "/api/auth/user", { token, body: { password } });
  assert.equal(deleted.status, 200);
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 401);
  for (
    const table of [
      "users",
      "sessions",
      "user_vocabulary",
      "review_logs",
      "activity_log",
      "user_progress",
      "daily_activity",
    ]
  ) {
    const rows = await t.database.client.execute(`SELECT count(*) AS n FROM ${table}`);
    assert.equal(Number(rows.rows[0].n), 0, `${table} emptied`);
  }
  await t.close();
});

Deno.test("answer-checking endpoints are rate limited per session with Retry-After", async () => {
  const t = await testApp({ ANSWER_RATE_LIMIT_PER_MINUTE: 3 });
  const { token } = await signUp(t);
  const body = { user_answer: "hello", response_time: 900 };
  for (let i = 0; i < 3; i++) {
    assert.equal(
      (await t.call("POST", "/api/vocabulary/es-hola/practice", { token, body })).status,
      200,
    );
  }
  const limited = await t.call("POST", "/api/vocabulary/es-hola/practice", { token, body });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.code, "RATE_LIMITED");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  assert.equal(
    (await t.call("GET", "/api/vocabulary/review", { token })).status,
    200,
    "reads are not limited",
  );
  t.clock.advance(61_000);
  assert.equal(
    (await t.call("POST", "/api/vocabulary/es-hola/practice", { token, body })).status,
    200,
  );
  await t.close();
});

Deno.test("RATE_LIMIT_STORE=memory keeps limits in the process, without database writes", async () => {
  const t = await testApp({ RATE_LIMIT_STORE: "memory", LOGIN_MAX_FAILURES_PER_ACCOUNT: 2 });
  const { user } = await signUp(t);
  for (let i = 0; i < 2; i++) {
    await t.call("POST", "/api/auth/login", {
      body: { username: user.username, password: "wrong password" },
    });
  }
  const limited = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password: "wrong password" },
  });
  assert.equal(limited.status, 429);
  const rows = await t.database.client.execute("SELECT count(*) AS n FROM rate_limits");
  assert.equal(Number(rows.rows[0].n), 0);
  const limiter = memoryRateLimiter();
  const now = new Date("2026-01-01T00:00:00Z");
  // deno-lint-ignore no-explicit-any
  const db = null as any;
  assert.equal((await limiter.hit(db, "k", 1000, now)).count, 1);
  assert.equal((await limiter.hit(db, "k", 1000, now)).count, 2);
  assert.equal((await limiter.hit(db, "k", 1000, new Date(now.getTime() + 1001))).count, 1);
  await t.close();
});

Deno.test("health reports readiness with migrations and a Server-Timing header", async () => {
  const t = await testApp();
  const ready = await t.call("GET", "/api/health/ready");
  assert.equal(ready.status, 200);
  assert.equal(ready.body.data.migrations.applied, ready.body.data.migrations.expected);
  assert.ok(ready.body.data.migrations.expected >= 3);
  assert.match(ready.headers.get("server-timing") ?? "", /db;dur=[\d.]+;desc="\d+ round trips"/);
  await t.close();
});

export type { Json };
