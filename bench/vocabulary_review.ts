/**
 * Benchmark: `GET /api/vocabulary/review` on a database of 1,000 learners ×
 * 1,000 cards (1,000,000 card states), measured for learners holding 10, 100 and
 * 1,000 cards, 10 of them due (the work that must grow is per due card, not per card). The due query walks the (user_id, next_review) index, so its time
 * should not grow with the number of cards a learner (or the table) holds.
 *
 *   deno task bench:vocabulary
 */
import { createApp } from "../app.ts";
import { defaultConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { ManualClock } from "../platform/clock.ts";
import { createPasswordHasher } from "../platform/password_hasher.ts";
import { seedContent } from "../seed.ts";
import { dbRoundTrips } from "../http/logging.ts";
import { dueCardsQuery } from "../db/vocabulary_cards.ts";
import type { InArgs } from "@libsql/client";

const LEARNERS = 1000;
/** Each probe learner has the same number of due cards, so only the total varies. */
const DUE_PER_PROBE = 10;
const CARDS = 1000;
const DAY = 86_400_000;
const dir = await Deno.makeTempDir({ prefix: "bench-vocab-" });
const database = await openDatabase(`file:${dir}/bench.db`);
const { client } = database;
await migrateDatabase(database.db);
await seedContent(database.db);
const clock = new ManualClock("2026-06-01T12:00:00Z");
const now = clock.now().getTime();

let t0 = performance.now();
await client.execute(
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CARDS})
  INSERT INTO vocabulary (id, language_id, word, search_key, translation, alternatives, part_of_speech,
    ipa, example, level, category, sequence)
  SELECT 'bench-' || i, 'es', 'palabra' || i, 'palabra' || i, json_object('en', 'word ' || i), '{}', 'noun',
    'pa.ˈla.βɾa', json_object('text', 'x', 'translation', json_object('en', 'x')), 'B1', 'basics', 500000 + i FROM n`,
);
await client.execute(
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${LEARNERS})
  INSERT INTO users (id, username, username_key, email, email_key, password_hash, native_language,
    target_languages, preferences)
  SELECT 'bench-user-' || i, 'bench' || i, 'bench' || i, 'bench' || i || '@example.com',
    'bench' || i || '@example.com', 'x', 'en', '["es"]', '{}' FROM n`,
);
// Cards spread from 5 days overdue to 60 days ahead: about 8% due at any time.
await client.execute(
  `INSERT INTO user_vocabulary (user_id, vocabulary_id, next_review, introduced_at,
    last_reviewed, state, stability, difficulty, reps, review_count, correct_count, familiarity_level, scheduled_days)
  SELECT u.id, w.id, ${now} + ((abs(random()) % 65) - 5) * ${DAY}, ${now - 90 * DAY}, ${
    now - 10 * DAY
  },
    2, 1 + abs(random()) % 60, 1 + abs(random()) % 9, 5, 5, 4, 3, 10
  FROM users u CROSS JOIN (SELECT id FROM vocabulary WHERE id LIKE 'bench-%') w
  WHERE u.id LIKE 'bench-user-%'`,
);
const fillSeconds = (performance.now() - t0) / 1000;
const [{ n: cardCount }] = (await client.execute("SELECT count(*) AS n FROM user_vocabulary"))
  .rows as unknown as {
    n: number;
  }[];

const hasher = await createPasswordHasher("native", 2);
const app = createApp({
  database,
  config: defaultConfig({ LOG_REQUESTS: false, FSRS_FUZZ: false }),
  clock,
  hasher,
});

async function probe(cards: number) {
  const res = await app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      username: `probe${cards}`,
      email: `probe${cards}@example.com`,
      password: "benchmark password",
      native_language: "en",
      target_languages: ["es"],
    }),
  });
  const { data } = await res.json();
  await client.execute(
    `INSERT INTO user_vocabulary (user_id, vocabulary_id, next_review, introduced_at,
      last_reviewed, state, stability, difficulty, reps, review_count, correct_count, familiarity_level, scheduled_days)
    SELECT '${data.user.id}', id,
      CASE WHEN rowid % ${cards / DUE_PER_PROBE} = 0 THEN ${
      now - DAY
    } ELSE ${now} + (1 + abs(random()) % 60) * ${DAY} END,
      ${now - 90 * DAY}, ${
      now - 10 * DAY
    }, 2, 1 + abs(random()) % 60, 1 + abs(random()) % 9, 5, 5, 4, 3, 10
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS rowid FROM vocabulary WHERE id LIKE 'bench-%' LIMIT ${cards})`,
  );
  const headers = { authorization: `Bearer ${data.token}` };
  for (let i = 0; i < 20; i++) {
    await (await app.request("/api/vocabulary/review", { headers })).arrayBuffer();
  }
  const times: number[] = [];
  let statements = 0;
  let due = 0;
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const r = await app.request("/api/vocabulary/review", { headers });
    const body = await r.json();
    times.push(performance.now() - start);
    statements = dbRoundTrips(r);
    due = body.meta.due;
  }
  times.sort((a, b) => a - b);
  return {
    cards,
    due,
    p50_ms: round(times[100]),
    p95_ms: round(times[190]),
    max_ms: round(times[199]),
    db_round_trips: statements,
  };
}

function round(x: number) {
  return Math.round(x * 100) / 100;
}

t0 = performance.now();
const results = [];
for (const cards of [10, 100, 1000]) results.push(await probe(cards));
// The plan of the queue's own query (most at-risk due cards first), as the route builds it.
const dueQuery = dueCardsQuery(database.db, "bench-user-1", new Date(now), 20).toSQL();
const plan = await client.execute({
  sql: `EXPLAIN QUERY PLAN ${dueQuery.sql}`,
  args: dueQuery.params as InArgs,
});
console.log(
  `database: ${LEARNERS} learners × ${CARDS} cards = ${cardCount} card states (filled in ${
    fillSeconds.toFixed(1)
  } s)`,
);
console.log("GET /api/vocabulary/review, 200 requests per learner, in-process:");
console.table(results);
console.log("query plan:", plan.rows.map((r) => r.detail).join(" | "));
const out = { date: new Date().toISOString(), card_states: cardCount, results };
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("./results/vocabulary_review.json", import.meta.url),
  JSON.stringify(out, null, 2),
);
database.close();
await Deno.remove(dir, { recursive: true });
