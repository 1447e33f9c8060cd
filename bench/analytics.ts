/**
 * Benchmark: `GET /api/progress/analytics` and `GET /api/progress` for a learner
 * with 100 activity rows and one with 100,000 (spread over a year). Both read
 * daily rollups, so for a 30-day period the cost should not follow the history.
 *
 *   deno task bench:analytics
 */
import { createApp } from "../app.ts";
import { defaultConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { ManualClock } from "../platform/clock.ts";
import { createPasswordHasher } from "../platform/password_hasher.ts";
import { seedContent } from "../seed.ts";
import { dbRoundTrips } from "../http/logging.ts";

const dir = await Deno.makeTempDir({ prefix: "bench-analytics-" });
const database = await openDatabase(`file:${dir}/bench.db`);
const { client } = database;
await migrateDatabase(database.db);
await seedContent(database.db);
const clock = new ManualClock("2026-06-01T12:00:00Z");
const now = clock.now().getTime();
const app = createApp({
  database,
  config: defaultConfig({ LOG_REQUESTS: false, FSRS_FUZZ: false }),
  clock,
  hasher: await createPasswordHasher("native", 2),
});

async function learner(name: string, rows: number, days: number) {
  const res = await app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      username: name,
      email: `${name}@example.com`,
      password: "benchmark password",
      native_language: "en",
    }),
  });
  const { data } = await res.json();
  const id = data.user.id;
  const start = performance.now();
  // Activity spread evenly over `days` days before now, over the six skills.
  await client.execute(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows - 1})
    INSERT INTO activity_log (user_id, kind, skill, language_id, ref_id, correct, total, score,
      duration_seconds, xp, occurred_at, local_date)
    SELECT '${id}', CASE i % 3 WHEN 0 THEN 'practice' WHEN 1 THEN 'exercise' ELSE 'lesson' END,
      CASE i % 6 WHEN 0 THEN 'vocabulary' WHEN 1 THEN 'grammar' WHEN 2 THEN 'listening'
        WHEN 3 THEN 'reading' WHEN 4 THEN 'writing' ELSE 'speaking' END,
      'es', 'x', i % 4 > 0, 1, 100, 30, 3, ${now} - (i % ${days}) * 86400000 - 3600000,
      date(${now} / 1000 - (i % ${days}) * 86400 - 3600, 'unixepoch') FROM n`,
  );
  await client.execute(
    `INSERT INTO daily_activity (user_id, local_date, skill, kind, actions, seconds, xp, correct, total)
    SELECT user_id, local_date, skill, kind, count(*), sum(duration_seconds), sum(xp), sum(correct), sum(total)
    FROM activity_log WHERE user_id = '${id}' GROUP BY local_date, skill, kind`,
  );
  await client.execute(
    `UPDATE users SET xp = (SELECT sum(xp) FROM activity_log WHERE user_id = '${id}') WHERE id = '${id}'`,
  );
  const fill = (performance.now() - start) / 1000;
  return { token: data.token as string, fill };
}

async function time(path: string, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 20; i++) await (await app.request(path, { headers })).arrayBuffer();
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const res = await app.request(path, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - start);
    statements = dbRoundTrips(res);
  }
  times.sort((a, b) => a - b);
  return {
    p50_ms: Math.round(times[100] * 100) / 100,
    p95_ms: Math.round(times[190] * 100) / 100,
    statements,
  };
}

const small = await learner("small", 100, 30);
const large = await learner("large", 100_000, 365);
const results = [];
for (
  const path of [
    "/api/progress/analytics?period=30",
    "/api/progress/analytics?period=all",
    "/api/progress",
  ]
) {
  for (const [label, who] of [["100 rows", small], ["100,000 rows", large]] as const) {
    results.push({ endpoint: path, history: label, ...(await time(path, who.token)) });
  }
}
console.log(
  `filled: 100 rows in ${small.fill.toFixed(2)} s, 100,000 rows in ${large.fill.toFixed(2)} s`,
);
console.table(results);
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("./results/analytics.json", import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), results }, null, 2),
);
database.close();
await Deno.remove(dir, { recursive: true });
