import assert from "node:assert/strict";
import { type AccountDeps, logIn, register } from "../actions/accounts.ts";
import { hashToken } from "../platform/tokens.ts";
import { ApiError } from "../http/errors.ts";
import { type TestApp, testApp } from "./helpers.ts";
import { memoryRateLimiter } from "../http/rate_limit.ts";
import { createPasswordHasher } from "../platform/password_hasher.ts";

const caller = { address: "203.0.113.7", userAgent: "test agent" };

async function accountDeps(t: TestApp): Promise<AccountDeps> {
  return {
    db: t.database.db,
    clock: t.clock,
    config: t.config,
    locale: "en",
    hasher: await createPasswordHasher("auto", 1),
    limiter: memoryRateLimiter(),
  };
}

async function count(t: TestApp, table: string) {
  return Number((await t.database.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
}

const ana = {
  username: "Ana_M",
  email: "Ana@Example.com ",
  password: "correct horse battery",
  nativeLanguage: "en",
};

Deno.test("register: creates the account and a session whose token is stored only as its hash", async () => {
  const t = await testApp();
  const deps = await accountDeps(t);
  const done = await register(deps, ana, caller);
  assert.equal(done.user.email, "Ana@Example.com");
  assert.equal(done.user.timezone, "UTC");
  assert.match(done.user.passwordHash, /^\$argon2id\$/);
  const rows = await t.database.client.execute({
    sql: "SELECT id, user_agent FROM sessions WHERE user_id = ?",
    args: [done.user.id],
  });
  assert.deepEqual(rows.rows.map((r) => [r.id, r.user_agent]), [[
    hashToken(done.token),
    "test agent",
  ]]);
  // The same name in another case, or the same email, is taken; nothing more is written.
  const users = await count(t, "users");
  await assert.rejects(
    register(deps, { ...ana, username: "ana_m", email: "other@example.com" }, caller),
    (e) => e instanceof ApiError && e.code === "CONFLICT" && e.details?.[0].field === "username",
  );
  await assert.rejects(
    register(deps, { ...ana, username: "someone", email: "ana@example.COM" }, caller),
    (e) => e instanceof ApiError && e.code === "CONFLICT" && e.details?.[0].field === "email",
  );
  assert.equal(await count(t, "users"), users);
});

Deno.test("logIn: by username or email; a wrong password is refused and makes no session", async () => {
  const t = await testApp();
  const deps = await accountDeps(t);
  const { user } = await register(deps, ana, caller);
  const byEmail = await logIn(deps, { login: "ANA@example.com", password: ana.password }, caller);
  assert.equal(byEmail.user.id, user.id);
  const byName = await logIn(deps, { login: "ana_m", password: ana.password }, caller);
  assert.notEqual(byName.token, byEmail.token);
  const sessions = await count(t, "sessions");
  for (const login of ["ana_m", "nobody"]) {
    await assert.rejects(
      logIn(deps, { login, password: "wrong password" }, caller),
      (e) => e instanceof ApiError && e.code === "UNAUTHENTICATED",
    );
  }
  assert.equal(await count(t, "sessions"), sessions);
});

Deno.test("logIn: failures are limited per account, and the right password then waits too", async () => {
  const t = await testApp();
  const deps = await accountDeps(t);
  await register(deps, ana, caller);
  const limit = t.config.LOGIN_MAX_FAILURES_PER_ACCOUNT;
  for (let i = 0; i < limit; i++) {
    await assert.rejects(logIn(deps, { login: "ana_m", password: "nope nope" }, caller));
  }
  await assert.rejects(
    logIn(deps, { login: "ana@example.com", password: ana.password }, caller),
    (e) => e instanceof ApiError && e.code === "RATE_LIMITED",
  );
});
