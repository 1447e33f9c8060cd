/**
 * `deno task start` serves on several worker threads sharing the port, each with its
 * own connection to the one WAL-mode file. One learner's cards hammered through
 * both workers at once: no request fails with SQLITE_BUSY (or anything else), no
 * update is lost, and both workers served.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { freePort, LOCAL_SERVER_ARGS, spawnDeno, waitUntilOk } from "./support/processes.ts";

Deno.test({
  name: "two workers writing one learner's cards at once never fail and lose nothing",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "workers-test-" });
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    // As `deno task start` runs it, with two workers.
    const child = spawnDeno(LOCAL_SERVER_ARGS, {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dir}/app.db`,
      WORKERS: "2",
      LOG_REQUESTS: "false",
      ANSWER_RATE_LIMIT_PER_MINUTE: "100000",
    }, "piped");
    try {
      assert.ok(await waitUntilOk(`${base}/api/health`, 60_000), "the server started");
      // Fresh connections, so the kernel spreads requests over both workers' listeners.
      const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      const call = async (method: string, path: string, token?: string, body?: unknown) => {
        const res = await fetch(base + path, {
          method,
          client,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        return { status: res.status, body: await res.json() };
      };
      const reg = await call("POST", "/api/auth/register", undefined, {
        username: "hammer",
        email: "hammer@example.com",
        password: "correct horse battery",
        native_language: "en",
      });
      assert.equal(reg.status, 201);
      const token = reg.body.data.token;
      assert.equal((await call("POST", "/api/courses/es-a1/enroll", token)).status, 201);
      const words: string[] = (await call("GET", "/api/vocabulary/review", token)).body.data
        .map((w: { vocabulary_id: string }) => w.vocabulary_id).slice(0, 4);

      const TOTAL = 120;
      const results = await Promise.all(
        Array.from(
          { length: TOTAL },
          (_, i) =>
            call("POST", `/api/vocabulary/${words[i % words.length]}/practice`, token, {
              user_answer: i % 3 ? "hello" : "nope",
              response_time: 1500,
            }),
        ),
      );
      const statuses = results.map((r) => r.status);
      assert.deepEqual(
        statuses,
        Array(TOTAL).fill(200),
        JSON.stringify(results.find((r) => r.status !== 200)),
      );

      const served = new Set<string>();
      for (let i = 0; i < 40; i++) served.add((await call("GET", "/api/health")).body.data.worker);
      assert.deepEqual([...served].sort(), ["worker-1", "worker-2"], "both workers served");
      client.close();

      const db = createClient({ url: `file:${dir}/app.db` });
      const cards = await db.execute("SELECT sum(review_count) AS n FROM user_vocabulary");
      assert.equal(Number(cards.rows[0].n), TOTAL, "every practice counted on its card");
      const logs = await db.execute("SELECT count(*) AS n FROM review_logs");
      assert.equal(Number(logs.rows[0].n), TOTAL);
      const xp = await db.execute(
        "SELECT (SELECT xp FROM users) AS user_xp, (SELECT sum(xp) FROM activity_log) AS log_xp",
      );
      assert.equal(Number(xp.rows[0].user_xp), Number(xp.rows[0].log_xp));
      db.close();
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
