import assert from "node:assert/strict";
import { type Json, signUp, testApp } from "./helpers.ts";

const register = (over: Record<string, unknown> = {}) => ({
  username: "maria",
  email: "maria@example.com",
  password: "correct horse battery",
  native_language: "es",
  timezone: "Europe/Madrid",
  ...over,
});

function assertNoSecrets(body: Json) {
  const text = JSON.stringify(body);
  assert.ok(!text.includes("password_hash"), "no password_hash field");
  assert.ok(!text.includes("$argon2"), "no hash value");
}

Deno.test("register creates a learner, returns a token and sets an HttpOnly cookie", async () => {
  const t = await testApp();
  const res = await t.call("POST", "/api/auth/register", { body: register() });
  assert.equal(res.status, 201);
  const { user, token, expires_at } = res.body.data;
  assert.equal(user.username, "maria");
  assert.equal(user.role, "learner");
  assert.equal(user.native_language, "es");
  assert.equal(user.timezone, "Europe/Madrid");
  assert.equal(user.preferences.desired_retention, 0.9);
  assert.ok(token.length >= 22);
  assert.match(expires_at, /Z$/);
  const cookie = res.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assertNoSecrets(res.body);

  const stored = await t.database.client.execute("SELECT password_hash FROM users");
  assert.match(String(stored.rows[0].password_hash), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  const sessions = await t.database.client.execute("SELECT id FROM sessions");
  assert.equal(sessions.rows.length, 1);
  assert.notEqual(sessions.rows[0].id, token, "the raw token is never stored");
  assert.match(String(sessions.rows[0].id), /^[0-9a-f]{64}$/);
  await t.close();
});

Deno.test("register refuses taken usernames and emails case-insensitively with 409", async () => {
  const t = await testApp();
  await t.call("POST", "/api/auth/register", { body: register() });
  const sameEmail = await t.call("POST", "/api/auth/register", {
    body: register({ username: "other", email: "MARIA@Example.COM" }),
  });
  assert.equal(sameEmail.status, 409);
  assert.equal(sameEmail.body.error.code, "CONFLICT");
  assert.deepEqual(sameEmail.body.error.details.map((d: Json) => d.field), ["email"]);
  const sameName = await t.call("POST", "/api/auth/register", {
    body: register({ username: "MARIA", email: "x@example.com" }),
  });
  assert.equal(sameName.status, 409);
  assert.deepEqual(sameName.body.error.details.map((d: Json) => d.field), ["username"]);
  await t.close();
});

Deno.test("register validates every field and names it in details", async () => {
  const t = await testApp();
  const cases: [Record<string, unknown>, string][] = [
    [{ password: "short" }, "password"],
    [{ password: "x".repeat(129) }, "password"],
    [{ email: "not-an-email" }, "email"],
    [{ username: "a" }, "username"],
    [{ username: "bad name!" }, "username"],
    [{ native_language: "english" }, "native_language"],
    [{ timezone: "Mars/Olympus" }, "timezone"],
    [{ role: "admin" }, "role"],
    [{ daily_goal_xp: "lots" }, "daily_goal_xp"],
  ];
  for (const [over, field] of cases) {
    const res = await t.call("POST", "/api/auth/register", { body: register(over) });
    assert.equal(res.status, 400, JSON.stringify(over));
    assert.equal(res.body.error.code, "VALIDATION_ERROR");
    assert.ok(
      res.body.error.details.some((d: Json) => d.field === field),
      `${field} in ${JSON.stringify(res.body.error.details)}`,
    );
  }
  const missing = await t.call("POST", "/api/auth/register", { body: {} });
  assert.equal(missing.status, 400);
  assert.deepEqual(
    missing.body.error.details.map((d: Json) => d.field).sort(),
    ["email", "native_language", "password", "username"],
  );
  await t.close();
});

Deno.test("malformed JSON is 400, a wrong content type 415, a huge body 413", async () => {
  const t = await testApp({ BODY_LIMIT_BYTES: 4096 });
  const bad = await t.call("POST", "/api/auth/register", { body: "{not json" });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "VALIDATION_ERROR");
  const form = await t.call("POST", "/api/auth/register", {
    body: "username=a",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(form.status, 415);
  assert.equal(form.body.error.code, "UNSUPPORTED_MEDIA_TYPE");
  const huge = await t.call("POST", "/api/auth/register", {
    body: register({ username: "x".repeat(10_000) }),
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error.code, "PAYLOAD_TOO_LARGE");
  await t.close();
});

Deno.test("login works by username and by email, and each login is a new session", async () => {
  const t = await testApp();
  await t.call("POST", "/api/auth/register", { body: register() });
  const byName = await t.call("POST", "/api/auth/login", {
    body: { username: "Maria", password: "correct horse battery" },
  });
  assert.equal(byName.status, 200);
  assertNoSecrets(byName.body);
  const byEmail = await t.call("POST", "/api/auth/login", {
    body: { email: "maria@EXAMPLE.com", password: "correct horse battery" },
  });
  assert.equal(byEmail.status, 200);
  const emailInUsername = await t.call("POST", "/api/auth/login", {
    body: { username: "maria@example.com", password: "correct horse battery" },
  });
  assert.equal(emailInUsername.status, 200);
  assert.notEqual(byName.body.data.token, byEmail.body.data.token);
  const count = await t.database.client.execute("SELECT count(*) AS n FROM sessions");
  assert.equal(Number(count.rows[0].n), 4);
  await t.close();
});

Deno.test("unknown user and wrong password get the same 401 and message", async () => {
  const t = await testApp();
  await t.call("POST", "/api/auth/register", { body: register() });
  const wrong = await t.call("POST", "/api/auth/login", {
    body: { username: "maria", password: "wrong password" },
  });
  const unknown = await t.call("POST", "/api/auth/login", {
    body: { username: "nobody", password: "wrong password" },
  });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
  const none = await t.call("POST", "/api/auth/login", { body: { password: "x" } });
  assert.equal(none.status, 400);
  await t.close();
});

Deno.test("GET /api/auth/user accepts the bearer token and the cookie; logout revokes", async () => {
  const t = await testApp();
  const reg = await t.call("POST", "/api/auth/register", { body: register() });
  const token = reg.body.data.token;
  const bearer = await t.call("GET", "/api/auth/user", { token });
  assert.equal(bearer.status, 200);
  assert.equal(bearer.body.data.username, "maria");
  assert.equal(bearer.body.data.locale, "es");
  assert.equal(bearer.body.data.locale_source, "profile");
  assert.equal(bearer.body.data.progress_summary.level, 1);
  assertNoSecrets(bearer.body);
  const cookie = await t.call("GET", "/api/auth/user", { headers: { cookie: `session=${token}` } });
  assert.equal(cookie.status, 200);

  const out = await t.call("POST", "/api/auth/logout", { token });
  assert.equal(out.status, 200);
  assert.match(out.headers.get("set-cookie") ?? "", /session=;/);
  const after = await t.call("GET", "/api/auth/user", { token });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, "UNAUTHENTICATED");
  const anonymous = await t.call("GET", "/api/auth/user");
  assert.equal(anonymous.status, 401);
  const garbage = await t.call("GET", "/api/auth/user", { token: "x".repeat(43) });
  assert.equal(garbage.status, 401);
  await t.close();
});

Deno.test("sessions expire when idle and at their absolute age", async () => {
  const t = await testApp({ SESSION_IDLE_MINUTES: 60, SESSION_ABSOLUTE_DAYS: 1 });
  const { token } = await signUp(t);
  t.clock.advance(59 * 60_000);
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 200);
  t.clock.advance(59 * 60_000); // idle clock restarted at the last request
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 200);
  t.clock.advance(61 * 60_000);
  assert.equal((await t.call("GET", "/api/auth/user", { token })).status, 401, "idle expiry");

  const { token: busy } = await signUp(t);
  for (let i = 0; i < 26; i++) { // 26 × 55 min = 23 h 50 min: still inside the day
    t.clock.advance(55 * 60_000);
    assert.equal((await t.call("GET", "/api/auth/user", { token: busy })).status, 200);
  }
  t.clock.advance(55 * 60_000);
  const expired = await t.call("GET", "/api/auth/user", { token: busy });
  assert.equal(expired.status, 401, "absolute expiry even when active");
  await t.close();
});

Deno.test("failed logins are limited per account with 429 and Retry-After, even for the right password", async () => {
  const t = await testApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: 3, LOGIN_WINDOW_MINUTES: 15 });
  const { user, password } = await signUp(t);
  for (let i = 0; i < 3; i++) {
    const res = await t.call("POST", "/api/auth/login", {
      body: { username: user.username, password: "wrong password" },
      ip: `203.0.113.${i}`,
    });
    assert.equal(res.status, 401);
  }
  const limited = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
    ip: "203.0.113.99",
  });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.error.code, "RATE_LIMITED");
  const retry = Number(limited.headers.get("retry-after"));
  assert.ok(retry > 0 && retry <= 15 * 60, `Retry-After ${retry}`);
  t.clock.advance(15 * 60_000 + 1000);
  const later = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
  });
  assert.equal(later.status, 200);
  await t.close();
});

Deno.test("failed logins are limited per client address across accounts", async () => {
  const t = await testApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: 4 });
  const { user, password } = await signUp(t);
  for (let i = 0; i < 4; i++) {
    const res = await t.call("POST", "/api/auth/login", {
      body: { username: `ghost${i}`, password: "wrong password" },
      ip: "203.0.113.7",
    });
    assert.equal(res.status, 401);
  }
  const limited = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
    ip: "203.0.113.7",
  });
  assert.equal(limited.status, 429);
  // X-Forwarded-For is not trusted by default, so it cannot dodge the limit.
  const spoofed = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
    ip: "203.0.113.7",
    headers: { "x-forwarded-for": "10.9.9.9" },
  });
  assert.equal(spoofed.status, 429);
  const elsewhere = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
    ip: "203.0.113.8",
  });
  assert.equal(elsewhere.status, 200);
  await t.close();
});

Deno.test("24 parallel wrong logins alternating username and email reach the hasher at most 5 times", async () => {
  let verifications = 0;
  const t = await testApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: 5 }, {
    wrapHasher: (real) => ({
      hash: (p) => real.hash(p),
      verify: (phc, p) => (verifications++, real.verify(phc, p)),
    }),
  });
  const { user } = await signUp(t);
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      t.call("POST", "/api/auth/login", {
        body: i % 2
          ? { email: user.email.toUpperCase(), password: `wrong ${i}` }
          : { username: user.username, password: `wrong ${i}` },
        ip: `203.0.113.${i}`,
      })),
  );
  const statuses = results.map((r) => r.status);
  assert.ok(verifications <= 5, `${verifications} passwords checked`);
  assert.equal(statuses.filter((s) => s === 401).length, verifications);
  assert.equal(statuses.filter((s) => s === 429).length, 24 - verifications);
  await t.close();
});

Deno.test("one login budget per account whichever identifier is typed; unknown names get one too", async () => {
  const t = await testApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: 4 });
  const { user, password } = await signUp(t);
  for (const body of [{ username: user.username }, { email: user.email }]) {
    for (let i = 0; i < 2; i++) {
      const res = await t.call("POST", "/api/auth/login", {
        body: { ...body, password: "wrong password" },
        ip: `203.0.113.${10 + i}`,
      });
      assert.equal(res.status, 401);
    }
  }
  const limited = await t.call("POST", "/api/auth/login", {
    body: { username: user.username, password },
    ip: "203.0.113.20",
  });
  assert.equal(limited.status, 429, "two wrong by name and two by email use one budget");

  const ghost = [];
  for (let i = 0; i < 5; i++) {
    ghost.push(
      await t.call("POST", "/api/auth/login", {
        body: { username: "ghost", password: "wrong password" },
        ip: `203.0.113.${30 + i}`,
      }),
    );
  }
  assert.deepEqual(ghost.map((r) => r.status), [401, 401, 401, 401, 429]);
  assert.deepEqual(ghost[4].body.error.code, limited.body.error.code);
  await t.close();
});

Deno.test("good logins do not use up the address budget", async () => {
  const t = await testApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: 2 });
  const { user, password } = await signUp(t);
  for (let i = 0; i < 4; i++) {
    const res = await t.call("POST", "/api/auth/login", {
      body: { username: user.username, password },
      ip: "203.0.113.60",
    });
    assert.equal(res.status, 200);
  }
  await t.close();
});

Deno.test("behind a trusted proxy the address is the hop it appended; a forged left entry changes nothing", async () => {
  const t = await testApp({ TRUST_PROXY: true, LOGIN_MAX_FAILURES_PER_ADDRESS: 2 });
  const login = (forwarded: string) =>
    t.call("POST", "/api/auth/login", {
      body: { username: `ghost${crypto.randomUUID().slice(0, 8)}`, password: "wrong password" },
      ip: "10.0.0.1",
      headers: { "x-forwarded-for": forwarded },
    });
  assert.equal((await login("1.1.1.1, 198.51.100.77")).status, 401);
  assert.equal((await login("2.2.2.2, 198.51.100.77")).status, 401);
  assert.equal((await login("3.3.3.3, 198.51.100.77")).status, 429, "forged entries ignored");
  assert.equal((await login("198.51.100.78")).status, 401, "another client has its own budget");

  const two = await testApp({
    TRUST_PROXY: true,
    TRUST_PROXY_HOPS: 2,
    LOGIN_MAX_FAILURES_PER_ADDRESS: 1,
  });
  const viaTwo = (forwarded: string) =>
    two.call("POST", "/api/auth/login", {
      body: { username: "ghost", password: "wrong password" },
      ip: "10.0.0.2",
      headers: { "x-forwarded-for": forwarded },
    });
  assert.equal((await viaTwo("6.6.6.6, 198.51.100.5, 10.0.0.1")).status, 401);
  assert.equal((await viaTwo("7.7.7.7, 198.51.100.5, 10.0.0.1")).status, 429);
  await t.close();
  await two.close();
});

Deno.test("sign-ups are limited per address", async () => {
  const t = await testApp({ REGISTER_MAX_PER_ADDRESS_PER_HOUR: 2 });
  for (let i = 0; i < 2; i++) {
    const res = await t.call("POST", "/api/auth/register", {
      body: register({ username: `u${i}x`, email: `u${i}@example.com` }),
      ip: "203.0.113.50",
    });
    assert.equal(res.status, 201);
  }
  const third = await t.call("POST", "/api/auth/register", {
    body: register({ username: "u3x", email: "u3@example.com" }),
    ip: "203.0.113.50",
  });
  assert.equal(third.status, 429);
  assert.ok(third.headers.get("retry-after"));
  await t.close();
});

Deno.test("PATCH /api/auth/user updates preferences with validation", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const ok = await t.call("PATCH", "/api/auth/user", {
    token,
    body: {
      timezone: "America/New_York",
      preferences: { desired_retention: 0.85, daily_new_limit: 15 },
    },
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.data.timezone, "America/New_York");
  assert.equal(ok.body.data.preferences.desired_retention, 0.85);
  assert.equal(ok.body.data.preferences.daily_new_limit, 15);
  assert.equal(ok.body.data.preferences.max_interval_days, 365, "other preferences kept");
  const bad = await t.call("PATCH", "/api/auth/user", {
    token,
    body: { preferences: { desired_retention: 0.5 } },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].field, "preferences.desired_retention");
  const role = await t.call("PATCH", "/api/auth/user", { token, body: { role: "admin" } });
  assert.equal(role.status, 400);
  assert.equal((await t.call("PATCH", "/api/auth/user", { body: {} })).status, 401);
  await t.close();
});
