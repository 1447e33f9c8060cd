/**
 * The real server process: a SIGKILL in the middle of a write load leaves a
 * database that opens cleanly with nothing half-written, and SIGTERM finishes
 * in-flight requests before closing the database.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { freePort, LOCAL_SERVER_ARGS, PROJECT_ROOT } from "./support/processes.ts";

async function startServer(dbPath: string) {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    // As `deno task start` runs it: every core, workers sharing the port.
    args: LOCAL_SERVER_ARGS,
    cwd: PROJECT_ROOT,
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbPath}`,
      LOG_REQUESTS: "false",
      ANSWER_RATE_LIMIT_PER_MINUTE: "0",
      REGISTER_MAX_PER_ADDRESS_PER_HOUR: "1000",
      // One hash at a time keeps the SIGTERM test's logins in flight for a while.
      HASH_CONCURRENCY: "1",
      // Logins count against the account until they succeed, and 8 run at once here.
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "100",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      await res.body?.cancel();
      if (res.ok) return { child, base };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("server did not start");
}

// Fresh connections only: a pooled keep-alive socket that the server closes while
// draining would fail a request that never reached it, which says nothing about the server.
const httpClient = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });

async function json(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    client: httpClient,
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

Deno.test({
  name: "a server killed mid-write restarts on a clean database with nothing half-written",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "crash-test-" });
    const dbPath = `${dir}/app.db`;
    let { child, base } = await startServer(dbPath);
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await json(base, "POST", "/api/auth/register", undefined, {
        username: `crash${i}`,
        email: `crash${i}@example.com`,
        password: "correct horse battery",
        native_language: "en",
      });
      tokens.push(r.body.data.token);
      await json(base, "POST", "/api/courses/es-a1/enroll", tokens[i]);
    }
    const lessons = (await json(base, "GET", "/api/lessons?course_id=es-a1", tokens[0])).body.data
      .map((l: { id: string }) => l.id);
    // Keep writing from all learners until the server dies.
    let stop = false;
    let completed = 0;
    const load = tokens.map(async (token, n) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 3 === 0) {
            await json(
              base,
              "POST",
              `/api/lessons/${lessons[(i / 3) % lessons.length | 0]}/complete`,
              token,
              { score: 90 },
            );
          } else if (i % 3 === 1) {
            await json(base, "POST", "/api/vocabulary/es-hola/practice", token, {
              user_answer: n % 2 ? "hello" : "no",
              response_time: 900,
            });
          } else {
            const start = await json(base, "GET", "/api/quizzes/es-a1-grammar", token);
            if (start.status < 300) {
              await json(base, "POST", "/api/quizzes/es-a1-grammar/submit", token, {
                attempt_token: start.body.data.attempt.token,
                answers: [],
                time_taken: 1,
              });
            }
          }
          completed++;
        } catch {
          return; // the server is gone
        }
      }
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGKILL");
    stop = true;
    await Promise.all(load);
    await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();
    assert.ok(completed > 10, `load ran (${completed} requests)`);

    ({ child, base } = await startServer(dbPath));
    const health = await json(base, "GET", "/api/health/ready");
    assert.equal(health.status, 200);
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel();
    await child.stderr.cancel();

    const client = createClient({ url: `file:${dbPath}` });
    const one = async (sql: string) => (await client.execute(sql)).rows[0];
    assert.equal((await one("PRAGMA integrity_check")).integrity_check, "ok");
    assert.equal(Number((await one("PRAGMA foreign_key_check")) ?? 0), 0);
    const n = async (sql: string) => Number(Object.values(await one(sql))[0]);
    assert.equal(
      await n(`SELECT count(*) FROM users u WHERE u.xp !=
      coalesce((SELECT sum(xp) FROM activity_log a WHERE a.user_id = u.id), 0)
      OR u.xp != coalesce((SELECT sum(xp) FROM daily_activity d WHERE d.user_id = u.id), 0)`),
      0,
      "XP agrees",
    );
    assert.equal(
      await n(`SELECT count(*) FROM user_vocabulary c WHERE c.review_count !=
      (SELECT count(*) FROM review_logs r WHERE r.user_id = c.user_id AND r.vocabulary_id = c.vocabulary_id)`),
      0,
      "every review has its card update",
    );
    assert.equal(
      await n(`SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL
      AND (score IS NULL OR percentage IS NULL OR NOT EXISTS (SELECT 1 FROM activity_log a
        WHERE a.user_id = quiz_attempts.user_id AND a.kind = 'quiz' AND a.occurred_at = quiz_attempts.submitted_at))`),
      0,
      "every submitted attempt is whole",
    );
    assert.equal(
      await n(`SELECT count(*) FROM user_progress p WHERE p.completed_lessons !=
      (SELECT count(*) FROM user_lessons ul JOIN lessons l ON l.id = ul.lesson_id
       WHERE ul.user_id = p.user_id AND l.course_id = p.course_id AND ul.completed_at IS NOT NULL)`),
      0,
      "lesson counts agree",
    );
    assert.equal(
      await n(`SELECT count(*) FROM user_lessons ul WHERE ul.completed_at IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM activity_log a WHERE a.user_id = ul.user_id AND a.kind = 'lesson' AND a.ref_id = ul.lesson_id)`),
      0,
      "every completion has its activity",
    );
    client.close();
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "SIGTERM stops accepting, finishes in-flight requests and closes the database",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "shutdown-test-" });
    const { child, base } = await startServer(`${dir}/app.db`);
    await json(base, "POST", "/api/auth/register", undefined, {
      username: "sigterm",
      email: "sigterm@example.com",
      password: "correct horse battery",
      native_language: "en",
    });
    // Logins are slow on purpose (argon2id): several are in flight when SIGTERM arrives.
    const inFlight = Array.from(
      { length: 8 },
      () =>
        json(base, "POST", "/api/auth/login", undefined, {
          username: "sigterm",
          password: "correct horse battery",
        }),
    );
    // Long enough for every connection to be accepted (a listener that closes drops
    // connections still queued in the kernel), short of the ~8 hashes' duration.
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    const results = await Promise.all(inFlight);
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill(200),
      "in-flight requests finished",
    );
    const status = await child.status;
    assert.equal(status.code, 0);
    const out = new TextDecoder().decode(await new Response(child.stdout).arrayBuffer());
    await child.stderr.cancel();
    assert.match(out, /SIGTERM: shutting down/);
    assert.match(out, /"stopped"/);
    await assert.rejects(fetch(`${base}/api/health`), "no longer accepting");
    await Deno.remove(dir, { recursive: true });
  },
});
