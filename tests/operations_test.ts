import assert from "node:assert/strict";
import { z } from "zod";
import { purgeExpired, startMaintenance } from "../http/maintenance.ts";
import { memoryRateLimiter } from "../http/rate_limit.ts";
import { fieldProblems } from "../http/validate.ts";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";

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

Deno.test("answer-checking endpoints are rate limited per learner with Retry-After", async () => {
  const t = await testApp({ ANSWER_RATE_LIMIT_PER_MINUTE: 3 });
  const { token, user, password } = await signUp(t);
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
  // A fresh login is a fresh session, not a fresh budget.
  const again = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
  });
  const fresh = again.body.data.token;
  const evaded = await t.call("POST", "/api/vocabulary/es-hola/practice", { token: fresh, body });
  assert.equal(evaded.status, 429);
  const other = await signUp(t);
  assert.equal(
    (await t.call("POST", "/api/vocabulary/es-hola/practice", { token: other.token, body }))
      .status,
    200,
    "another learner has their own budget",
  );
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
  const answers = await testApp({ RATE_LIMIT_STORE: "memory", ANSWER_RATE_LIMIT_PER_MINUTE: 1 });
  const learner = await signUp(answers);
  const body = { user_answer: "hello", response_time: 900 };
  const practice = (token: string) =>
    answers.call("POST", "/api/vocabulary/es-hola/practice", { token, body });
  assert.equal((await practice(learner.token)).status, 200);
  const second = await answers.call("POST", "/api/auth/login", {
    body: { username: learner.user.username, password: learner.password },
  });
  assert.equal((await practice(second.body.data.token)).status, 429, "per learner in memory too");
  await answers.close();
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

/** Adds `n` sessions that expired an hour ago and `n` counters whose windows all ended. */
async function addExpiredRows(t: TestApp, userId: string, n: number, tag: string) {
  const now = t.clock.now().getTime();
  const old = now - 3_600_000;
  const statements = Array.from({ length: n }, (_, i) => [
    {
      sql: "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) " +
        "VALUES (?, ?, ?, ?, ?)",
      args: [`${tag}-s${i}`, userId, old - 86_400_000, old, old],
    },
    {
      sql: "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)",
      args: [`${tag}-k${i}`, now - 25 * 3_600_000],
    },
  ]).flat();
  await t.database.client.batch(statements, "write");
}

async function countRows(t: TestApp, table: "sessions" | "rate_limits") {
  const r = await t.database.client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(r.rows[0].n);
}

Deno.test("the purge deletes expired sessions and ended counters in bounded batches", async () => {
  const t = await testApp({ PURGE_BATCH_ROWS: 500 });
  const { token, user } = await signUp(t);
  const revoked = await signUp(t);
  await t.call("POST", "/api/auth/logout", { token: revoked.token });
  // A live counter: a failed login a minute ago (its window is still open).
  await t.call("POST", "/api/auth/login", { body: { username: "nobody", password: "wrong!" } });
  await addExpiredRows(t, user.id, 1200, "old");
  const liveSessions = 1;
  const liveCounters = await countRows(t, "rate_limits") - 1200;
  assert.ok(liveCounters >= 2, "the sign-up and login counters are live");

  const runs = [];
  for (let i = 0; i < 4; i++) runs.push(await purgeExpired(t.database.db, t.clock.now(), t.config));
  assert.deepEqual(runs, [
    { sessions: 500, rateLimits: 500 },
    { sessions: 500, rateLimits: 500 },
    { sessions: 201, rateLimits: 200 },
    { sessions: 0, rateLimits: 0 },
  ], "at most one batch per table per run; the revoked session goes too");
  assert.equal(await countRows(t, "sessions"), liveSessions);
  assert.equal(await countRows(t, "rate_limits"), liveCounters);
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 200);
  await t.close();
});

Deno.test("maintenance purges at start and works off a backlog run by run, then stops", async () => {
  const t = await testApp({ PURGE_BATCH_ROWS: 100 });
  const { user } = await signUp(t);
  await addExpiredRows(t, user.id, 250, "backlog");
  const lines: Record<string, unknown>[] = [];
  const maintenance = startMaintenance(
    { db: t.database.db, config: t.config, clock: t.clock, log: (e) => lines.push(e) },
    { intervalMs: 60_000, catchUpMs: 5 },
  );
  for (let i = 0; i < 200 && (await countRows(t, "sessions")) > 1; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await maintenance.stop();
  assert.equal(await countRows(t, "sessions"), 1, "only the live session is left");
  const purges = lines.filter((l) => l.message === "purged expired rows");
  assert.deepEqual(purges.map((l) => l.sessions), [100, 100, 50]);
  assert.ok(purges.every((l) => (l.rateLimits as number) <= 100));
  await t.close();
});

Deno.test("a database error is logged without the query's parameters", async () => {
  const t = await testApp({ LOG_REQUESTS: true });
  const email = "private.person@example.com";
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await signUp(t, { email });
    // Break the table the login reads, so the query itself fails with the email bound to it.
    await t.database.client.execute("ALTER TABLE users RENAME COLUMN email_key TO email_gone");
    const res = await t.call("POST", "/api/auth/login", { body: { email, password: "whatever" } });
    assert.equal(res.status, 500);
    assert.ok(!JSON.stringify(res.body).includes(email));
  } finally {
    console.log = original;
  }
  const errors = lines.filter((l) => l.includes('"level":"error"') && l.includes("stack"));
  assert.equal(errors.length, 1, lines.join("\n"));
  assert.ok(!errors[0].includes("private.person"), errors[0]);
  assert.match(errors[0], /Failed query: select/, "the SQL stays, for finding the fault");
  assert.match(errors[0], /no such column/, "so does the driver's reason");
  await t.close();
});

Deno.test("validation errors name the query parameter or path field, not (body)", async () => {
  const t = await testApp();
  const unknown = await t.call("GET", "/api/languages?bogus=1");
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.message, "Query string is invalid");
  assert.deepEqual(unknown.body.error.details.map((d: Json) => d.field), ["bogus"]);
  const bad = await t.call("GET", "/api/languages?native_language=english");
  assert.deepEqual(bad.body.error.details.map((d: Json) => d.field), ["native_language"]);
  const { token } = await signUp(t);
  const path = await t.call("GET", "/api/lessons/not%20an%20id", { token });
  assert.equal(path.status, 400);
  assert.equal(path.body.error.message, "Path is invalid");
  assert.deepEqual(path.body.error.details.map((d: Json) => d.field), ["id"]);
  await t.close();

  // Problems with the whole part (no field path) say which part.
  const whole = z.object({ a: z.string().optional() }).refine((v) => v.a, "Give a");
  const issues = whole.safeParse({}).error!.issues;
  assert.equal(fieldProblems(issues, "query")[0].field, "(query)");
  assert.equal(fieldProblems(issues, "param")[0].field, "(path)");
  assert.equal(fieldProblems(issues, "json")[0].field, "(body)");
});

export type { Json };
