/**
 * The edge deployment, proven here: `main.ts` runs as a separate process under
 * exactly Deno Deploy's permissions (`--allow-net --allow-env --allow-read`, no
 * prompt: no FFI, no native addon, no writes) against a remote database, the
 * libSQL HTTP server in tests/support standing in for Turso. Two such instances
 * share one database. Faults: an unreachable database and a rejected token.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../db/client.ts";
import { migrateDatabase, migrationStatus } from "../db/migrate.ts";
import { freshDatabaseFile, signUp, testApp } from "./helpers.ts";
import { type HranaServer, startHranaServer } from "./support/hrana_server.ts";
import { DEPLOY_PERMISSIONS, freePort, spawnDeno } from "./support/processes.ts";

interface Instance {
  base: string;
  logs: () => string;
  stop(): Promise<void>;
}

/** Starts `main.ts` under Deploy's permissions and waits until it answers liveness. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = freePort();
  const child = spawnDeno(["run", ...DEPLOY_PERMISSIONS, "main.ts"], {
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_REQUESTS: "false",
    FSRS_FUZZ: "false",
    ...env,
  }, "piped");
  let output = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk);
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    await child.status;
    await drained;
  };
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      await res.body?.cancel();
      if (res.ok) return { base, logs: () => output, stop };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`instance did not start:\n${output}`);
}

async function call(base: string, method: string, path: string, init: {
  token?: string;
  body?: unknown;
} = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  // deno-lint-ignore no-explicit-any
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch { /* keep text */ }
  return { status: res.status, body, headers: res.headers };
}

/** Signs up `username` on the instance at `base` (password "correct horse battery"). */
function register(base: string, username: string) {
  return call(base, "POST", "/api/auth/register", {
    body: {
      username,
      email: `${username}@example.com`,
      password: "correct horse battery",
      native_language: "en",
    },
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A libSQL server over a copy of the migrated, seeded test database. */
async function seededRemote(options: { authToken?: string } = {}) {
  const { dir, path } = await freshDatabaseFile();
  const server = await startHranaServer({ path, authToken: options.authToken });
  return {
    server,
    async close() {
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

Deno.test("under Deploy's permissions, main.ts serves a learner end to end over the remote database", async () => {
  const remote = await seededRemote();
  const a = await startInstance({ DATABASE_URL: remote.server.url });
  try {
    await waitFor("readiness", async () => {
      const r = await call(a.base, "GET", "/api/health/ready");
      return r.status === 200;
    }, 20_000);
    assert.match(a.logs(), /"password_hasher":"wasm"/, "no FFI: the wasm hasher runs");

    const reg = await register(a.base, "edge1");
    assert.equal(reg.status, 201);
    const token = reg.body.data.token;
    assert.match(reg.body.data.user.id, /.+/);

    const enrol = await call(a.base, "POST", "/api/courses/es-a1/enroll", { token });
    assert.equal(enrol.status, 201);
    const review = await call(a.base, "GET", "/api/vocabulary/review", { token });
    assert.equal(review.status, 200);
    const word = review.body.data[0].vocabulary_id;
    const practice = await call(a.base, "POST", `/api/vocabulary/${word}/practice`, {
      token,
      body: { user_answer: "hello", response_time: 2500 },
    });
    assert.equal(practice.status, 200);
    assert.equal(practice.body.data.vocabulary_id, word);
    const progress = await call(a.base, "GET", "/api/progress", { token });
    assert.equal(progress.status, 200);
    assert.equal(progress.body.data.courses[0].course_id, "es-a1");
    assert.ok(progress.body.data.xp > 0, "the practice earned XP");

    // Passwords hashed by the wasm build verify on login (same PHC strings as native).
    const login = await call(a.base, "POST", "/api/auth/login", {
      body: { username: "edge1", password: "correct horse battery" },
    });
    assert.equal(login.status, 200);
  } finally {
    await a.stop();
    await remote.close();
  }
});

Deno.test("two instances share one remote database: sessions, login limits and content writes", async () => {
  const remote = await seededRemote();
  const env = {
    DATABASE_URL: remote.server.url,
    CATALOGUE_CACHE_SECONDS: "1",
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
  };
  const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  try {
    await waitFor("both ready", async () => {
      const [ra, rb] = await Promise.all([
        call(a.base, "GET", "/api/health/ready"),
        call(b.base, "GET", "/api/health/ready"),
      ]);
      return ra.status === 200 && rb.status === 200;
    }, 20_000);

    // A session made on A works on B; logging out on B ends it on A.
    const reg = await register(a.base, "shared");
    assert.equal(reg.status, 201);
    const token = reg.body.data.token;
    const onB = await call(b.base, "GET", "/api/auth/user", { token });
    assert.equal(onB.status, 200);
    assert.equal(onB.body.data.username, "shared");

    // The login limit counts failures on both instances together.
    const wrong = { username: "shared", password: "wrong password!" };
    const statuses = [];
    for (const base of [a.base, b.base, a.base, b.base]) {
      statuses.push((await call(base, "POST", "/api/auth/login", { body: wrong })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);

    // A content write on A reaches B within the catalogue cache's lifetime (1 s here).
    const editor = await openDatabase(remote.server.url);
    await editor.client.execute({
      sql: "UPDATE users SET role = 'editor' WHERE id = ?",
      args: [reg.body.data.user.id],
    });
    editor.close();
    const before = await call(b.base, "GET", "/api/courses/es-a1");
    assert.equal(before.status, 200);
    const patched = await call(a.base, "PATCH", "/api/courses/es-a1", {
      token,
      body: { title: { en: "Spanish A1, edited on A" } },
    });
    assert.equal(patched.status, 200);
    const writtenAt = Date.now();
    await waitFor("B to see A's write", async () => {
      const r = await call(b.base, "GET", "/api/courses/es-a1");
      return JSON.stringify(r.body).includes("edited on A");
    }, 5_000);
    assert.ok(Date.now() - writtenAt <= 1_000 + 500, "within the 1 s cache lifetime");

    const logout = await call(b.base, "POST", "/api/auth/logout", { token });
    assert.ok(logout.status === 200 || logout.status === 204);
    assert.equal((await call(a.base, "GET", "/api/auth/user", { token })).status, 401);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await remote.close();
  }
});

Deno.test("an unreachable database: liveness 200, readiness and database routes 503, recovery once it answers", async () => {
  const dbPort = freePort();
  const { dir, path } = await freshDatabaseFile();
  const a = await startInstance({ DATABASE_URL: `http://127.0.0.1:${dbPort}` });
  let server: HranaServer | undefined;
  try {
    assert.equal((await call(a.base, "GET", "/api/health")).status, 200);
    const ready = await call(a.base, "GET", "/api/health/ready");
    assert.equal(ready.status, 503);
    assert.equal(ready.body.data.status, "starting");
    assert.ok(ready.body.data.reason, "the reason is given");
    const courses = await call(a.base, "GET", "/api/courses");
    assert.equal(courses.status, 503);
    assert.equal(courses.body.error.code, "SERVICE_UNAVAILABLE");
    assert.ok(courses.headers.get("retry-after"));
    assert.doesNotMatch(JSON.stringify(courses.body), /stack|at file|SELECT/i);

    // The database comes up: the instance prepares it (retrying) and serves.
    server = await startHranaServer({ path, port: dbPort });
    await waitFor("readiness after the database came up", async () => {
      return (await call(a.base, "GET", "/api/health/ready")).status === 200;
    }, 20_000);
    assert.equal((await call(a.base, "GET", "/api/courses")).status, 200);

    // It goes away again: requests get 503 in the envelope, never a crash.
    await server.close();
    server = undefined;
    const down = await call(a.base, "GET", "/api/lessons?course_id=es-a1");
    assert.equal(down.status, 503);
    assert.equal(down.body.error.code, "SERVICE_UNAVAILABLE");
    const readyDown = await call(a.base, "GET", "/api/health/ready");
    assert.equal(readyDown.status, 503);
    assert.equal(readyDown.body.data.reason, "the database cannot be reached");
    assert.equal((await call(a.base, "GET", "/api/health")).status, 200);
  } finally {
    await a.stop();
    await server?.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a database that rejects the token: readiness 503 with the reason, requests 503", async () => {
  const remote = await seededRemote({ authToken: "the-right-token" });
  const a = await startInstance({
    DATABASE_URL: remote.server.url,
    DATABASE_AUTH_TOKEN: "a-wrong-token",
  });
  try {
    await waitFor("a failed preparation", async () => {
      const r = await call(a.base, "GET", "/api/health/ready");
      return r.body?.data?.reason === "the database rejected the credentials";
    }, 10_000);
    const courses = await call(a.base, "GET", "/api/courses");
    assert.equal(courses.status, 503);
    assert.equal(courses.body.error.code, "SERVICE_UNAVAILABLE");
    assert.equal((await call(a.base, "GET", "/api/health")).status, 200);
    assert.doesNotMatch(a.logs(), /a-wrong-token/, "the token never reaches the logs");
  } finally {
    await a.stop();
    await remote.close();
  }
});

Deno.test("migrations started by many instances at once apply exactly once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lang-api-migrate-" });
  const server = await startHranaServer({ path: `${dir}/fresh.db` });
  const clients = await Promise.all(Array.from({ length: 6 }, () => openDatabase(server.url)));
  try {
    const reports = await Promise.all(clients.map((c) => migrateDatabase(c.db)));
    const applied = reports.map((r) => r.applied);
    const expected = (await migrationStatus(clients[0].db)).expected;
    assert.equal(applied.filter((n) => n > 0).length, 1, `one instance applied: ${applied}`);
    assert.equal(applied.reduce((a, b) => a + b, 0), expected);
    assert.deepEqual(await migrationStatus(clients[0].db), { expected, applied: expected });
    // And again: nothing left to do.
    assert.equal((await migrateDatabase(clients[1].db)).applied, 0);
  } finally {
    for (const c of clients) c.close();
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("a remote fault in the middle of an answer's write batch leaves nothing half-written", async () => {
  const t = await testApp({}, { remote: true });
  try {
    const { token } = await signUp(t);
    assert.equal((await t.call("POST", "/api/courses/es-a1/enroll", { token })).status, 201);
    const count = async (sql: string) => Number((await t.database.client.execute(sql)).rows[0].n);
    const before = {
      cards: await count("SELECT count(*) AS n FROM user_vocabulary"),
      reviews: await count("SELECT count(*) AS n FROM review_logs"),
      activity: await count("SELECT count(*) AS n FROM activity_log"),
      xp: await count("SELECT xp AS n FROM users"),
    };
    // The review log insert sits in the middle of the batch: the card write before it
    // and the activity, rollups and XP after it must all be rolled back.
    t.hranaServer!.failNextStatement('insert into "review_logs"');
    const failed = await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: "hello", response_time: 2000 },
    });
    assert.equal(failed.status, 503);
    assert.equal(failed.body.error.code, "SERVICE_UNAVAILABLE");
    assert.deepEqual({
      cards: await count("SELECT count(*) AS n FROM user_vocabulary"),
      reviews: await count("SELECT count(*) AS n FROM review_logs"),
      activity: await count("SELECT count(*) AS n FROM activity_log"),
      xp: await count("SELECT xp AS n FROM users"),
    }, before);
    // The same answer goes through once the fault has passed.
    const ok = await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: "hello", response_time: 2000 },
    });
    assert.equal(ok.status, 200);
    assert.equal(await count("SELECT count(*) AS n FROM review_logs"), before.reviews + 1);
  } finally {
    await t.close();
  }
});
