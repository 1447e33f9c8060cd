import assert from "node:assert/strict";
import type { InArgs } from "@libsql/client";
import { confusionsQuery, dueCardsQuery } from "../db/vocabulary_cards.ts";
import { learnerStatsQueries } from "../db/learner_stats.ts";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";

const DAY = 86_400_000;

async function spanishLearner(t: TestApp) {
  const learner = await signUp(t);
  assert.equal(
    (await t.call("POST", "/api/courses/es-a1/enroll", { token: learner.token })).status,
    201,
  );
  return learner;
}

async function word(t: TestApp, text: string) {
  const rows = await t.database.client.execute({
    sql: "SELECT id, translation FROM vocabulary WHERE language_id = 'es' AND word = ?",
    args: [text],
  });
  return { id: String(rows.rows[0].id), translation: JSON.parse(String(rows.rows[0].translation)) };
}

Deno.test("a correct answer schedules the word days away; a wrong one within the day", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const hola = await word(t, "hola");
  const right = await t.call("POST", `/api/vocabulary/${hola.id}/practice`, {
    token,
    body: { user_answer: " Hello! ", response_time: 2500 },
  });
  assert.equal(right.status, 200, JSON.stringify(right.body));
  const d = right.body.data;
  assert.equal(d.correct, true);
  assert.equal(d.rating, "good");
  assert.equal(d.expected_answer, hola.translation.en);
  assert.ok(d.interval_days >= 1, `interval ${d.interval_days}`);
  assert.ok(new Date(d.next_review).getTime() - t.clock.now().getTime() >= DAY);
  assert.equal(d.card.state, "review");
  assert.equal(d.card.review_count, 1);
  assert.ok(d.retrievability > 0.9);
  assert.ok(d.xp_earned > 0);

  const casa = await word(t, "casa");
  const wrong = await t.call("POST", `/api/vocabulary/${casa.id}/practice`, {
    token,
    body: { user_answer: "dog", response_time: 4000, difficulty: "easy" },
  });
  assert.equal(wrong.body.data.correct, false);
  assert.equal(
    wrong.body.data.rating,
    "again",
    "a wrong answer is again whatever the learner says",
  );
  assert.equal(wrong.body.data.xp_earned, 0);
  const due = new Date(wrong.body.data.next_review).getTime() - t.clock.now().getTime();
  assert.ok(due > 0 && due < DAY, `due in ${due} ms`);
  assert.match(wrong.body.data.feedback, /house|home/);
  await t.close();
});

Deno.test("practice names a confused word, accepts a missing accent and reports it", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const adios = await word(t, "adiós");
  const perro = await t.database.client.execute(
    "SELECT word FROM vocabulary WHERE language_id='es' AND word='gracias'",
  );
  assert.equal(perro.rows.length, 1);
  const confused = await t.call("POST", `/api/vocabulary/${adios.id}/practice`, {
    token,
    body: { user_answer: "thank you", response_time: 3000 },
  });
  assert.equal(confused.body.data.correct, false);
  assert.equal(confused.body.data.confused_with.word, "gracias");
  assert.match(confused.body.data.feedback, /gracias/);

  const reverse = await t.call("POST", `/api/vocabulary/${adios.id}/practice`, {
    token,
    body: { user_answer: "adios", response_time: 3000, direction: "to_target" },
  });
  assert.equal(reverse.body.data.correct, true);
  assert.equal(reverse.body.data.verdict, "accent");
  assert.equal(reverse.body.data.rating, "hard");
  assert.match(reverse.body.data.feedback, /accent/);
  await t.close();
});

Deno.test("practice validates its body and needs a session and a known word", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const hola = await word(t, "hola");
  const cases: [unknown, string][] = [
    [{ response_time: 100 }, "user_answer"],
    [{ user_answer: "hi" }, "response_time"],
    [{ user_answer: "hi", response_time: -1 }, "response_time"],
    [{ user_answer: "hi", response_time: 3_600_000 }, "response_time"],
    [{ user_answer: "hi", response_time: "fast" }, "response_time"],
    [{ user_answer: "hi", response_time: 10, difficulty: "trivial" }, "difficulty"],
    [{ user_answer: 42, response_time: 10 }, "user_answer"],
  ];
  for (const [body, field] of cases) {
    const res = await t.call("POST", `/api/vocabulary/${hola.id}/practice`, { token, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.details[0].field, field);
  }
  const ok = { user_answer: "hi", response_time: 10 };
  assert.equal(
    (await t.call("POST", `/api/vocabulary/${hola.id}/practice`, { body: ok })).status,
    401,
  );
  assert.equal(
    (await t.call("POST", "/api/vocabulary/es-nope/practice", { token, body: ok })).status,
    404,
  );
  await t.close();
});

Deno.test("undo restores the card exactly and takes back the review and its XP", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const hola = await word(t, "hola");
  const first = await t.call("POST", `/api/vocabulary/${hola.id}/practice`, {
    token,
    body: { user_answer: "hello", response_time: 2000 },
  });
  t.clock.set(first.body.data.next_review);
  const cardBefore = await t.database.client.execute({
    sql: "SELECT * FROM user_vocabulary WHERE vocabulary_id = ?",
    args: [hola.id],
  });
  const xpBefore = (await t.call("GET", "/api/auth/user", { token })).body.data.xp;
  const second = await t.call("POST", `/api/vocabulary/${hola.id}/practice`, {
    token,
    body: { user_answer: "bye", response_time: 2000 },
  });
  assert.equal(second.body.data.correct, false);
  const undo = await t.call("POST", `/api/vocabulary/${hola.id}/practice/undo`, { token });
  assert.equal(undo.status, 200, JSON.stringify(undo.body));
  assert.equal(undo.body.data.undone_review.rating, "again");
  const cardAfter = await t.database.client.execute({
    sql: "SELECT * FROM user_vocabulary WHERE vocabulary_id = ?",
    args: [hola.id],
  });
  assert.deepEqual(cardAfter.rows[0], cardBefore.rows[0], "the card is exactly as before");
  assert.equal((await t.call("GET", "/api/auth/user", { token })).body.data.xp, xpBefore);
  const logs = await t.database.client.execute(
    "SELECT count(*) AS n FROM review_logs WHERE undone_at IS NULL",
  );
  assert.equal(Number(logs.rows[0].n), 1);

  // Undoing the first review removes the card entirely; then nothing is left to undo.
  assert.equal(
    (await t.call("POST", `/api/vocabulary/${hola.id}/practice/undo`, { token })).status,
    200,
  );
  const none = await t.database.client.execute("SELECT count(*) AS n FROM user_vocabulary");
  assert.equal(Number(none.rows[0].n), 0);
  assert.equal(
    (await t.call("POST", `/api/vocabulary/${hola.id}/practice/undo`, { token })).status,
    404,
  );
  await t.close();
});

Deno.test("20 simultaneous practices of one card all count: no lost update", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const hola = await word(t, "hola");
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      t.call("POST", `/api/vocabulary/${hola.id}/practice`, {
        token,
        body: { user_answer: i % 3 ? "hello" : "nope", response_time: 1500 },
      })),
  );
  assert.deepEqual(results.map((r) => r.status), Array(20).fill(200));
  const logs = await t.database.client.execute("SELECT count(*) AS n FROM review_logs");
  assert.equal(Number(logs.rows[0].n), 20);
  const card = await t.database.client.execute("SELECT review_count, reps FROM user_vocabulary");
  assert.equal(Number(card.rows[0].review_count), 20);
  const activity = await t.database.client.execute(
    "SELECT count(*) AS n, sum(xp) AS xp FROM activity_log WHERE kind = 'practice'",
  );
  assert.equal(Number(activity.rows[0].n), 20);
  const user = await t.call("GET", "/api/auth/user", { token });
  assert.equal(user.body.data.xp, Number(activity.rows[0].xp));
  await t.close();
});

Deno.test("the review queue lists due words without translations, most at risk first, then new ones", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const empty = await t.call("GET", "/api/vocabulary/review", { token });
  assert.equal(empty.status, 200);
  assert.equal(empty.body.meta.due, 0);
  assert.equal(empty.body.meta.new, 10, "daily new-word limit");
  assert.ok(empty.body.data.every((i: Json) => i.kind === "new"));
  const newIds = empty.body.data.map((i: Json) => i.vocabulary_id);

  // Learn three words, one badly; six days later (inside the session's idle limit) all are due.
  const answers = ["hello", "nope", "hello"];
  for (const [i, id] of newIds.slice(0, 3).entries()) {
    const w = await t.database.client.execute({
      sql: "SELECT translation FROM vocabulary WHERE id=?",
      args: [id],
    });
    const en = JSON.parse(String(w.rows[0].translation)).en;
    await t.call("POST", `/api/vocabulary/${id}/practice`, {
      token,
      body: { user_answer: answers[i] === "nope" ? "nope" : en, response_time: 2000 },
    });
  }
  t.clock.advance(6 * DAY);
  const queue = await t.call("GET", "/api/vocabulary/review?limit=5", { token });
  assert.equal(queue.body.meta.due, 3);
  assert.equal(queue.body.meta.overdue, 3);
  const reviews = queue.body.data.filter((i: Json) => i.kind === "review");
  assert.equal(reviews.length, 3);
  const r = reviews.map((i: Json) => i.memory.retrievability);
  assert.deepEqual([...r].sort((a, b) => a - b), r, "lowest retrievability first");
  assert.equal(reviews[0].vocabulary_id, newIds[1], "the failed word is most at risk");
  assert.equal(queue.body.data.length, 5, "new words fill the rest");
  const text = JSON.stringify(queue.body.data);
  for (const item of queue.body.data) {
    assert.ok(!("translation" in item), "no translation field");
    const w = await t.database.client.execute({
      sql: "SELECT translation FROM vocabulary WHERE id=?",
      args: [item.vocabulary_id],
    });
    const en = JSON.parse(String(w.rows[0].translation)).en;
    assert.ok(!text.includes(`"${en}"`), `answer ${en} is not in the payload`);
  }
  assert.equal((await t.call("GET", "/api/vocabulary/review")).status, 401);
  assert.equal((await t.call("GET", "/api/vocabulary/review?limit=0", { token })).status, 400);
  await t.close();
});

Deno.test("the daily new-word limit follows the learner's preference and their local day", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  await t.call("PATCH", "/api/auth/user", { token, body: { preferences: { daily_new_limit: 2 } } });
  const first = await t.call("GET", "/api/vocabulary/review", { token });
  assert.equal(first.body.meta.new, 2);
  for (const item of first.body.data) {
    await t.call("POST", `/api/vocabulary/${item.vocabulary_id}/practice`, {
      token,
      body: { user_answer: "x", response_time: 1000, difficulty: "good" },
    });
  }
  t.clock.advance(30 * 60_000);
  const later = await t.call("GET", "/api/vocabulary/review", { token });
  assert.equal(later.body.meta.new_remaining_today, 0);
  assert.ok(later.body.data.every((i: Json) => i.kind === "review"));
  t.clock.advance(DAY);
  const tomorrow = await t.call("GET", "/api/vocabulary/review", { token });
  assert.equal(tomorrow.body.meta.new_remaining_today, 2);
  await t.close();
});

Deno.test("GET /api/vocabulary filters, searches, paginates and shows memory state", async () => {
  const t = await testApp();
  const anon = await t.call("GET", "/api/vocabulary?language=fr&level=A1&category=food&limit=3");
  assert.equal(anon.status, 200);
  assert.ok(anon.body.data.length > 0 && anon.body.data.length <= 3);
  assert.ok(anon.body.meta.total >= anon.body.data.length);
  for (const w of anon.body.data) {
    assert.equal(w.level, "A1");
    assert.equal(w.category, "food");
    assert.ok(w.translation && w.ipa && w.example.text && w.difficulty.score >= 0);
    assert.equal(w.memory, undefined);
  }
  const search = await t.call("GET", "/api/vocabulary?language=es&q=Hol");
  assert.ok(search.body.data.some((w: Json) => w.word === "hola"));
  const byMeaning = await t.call("GET", "/api/vocabulary?language=de&q=house");
  assert.ok(byMeaning.body.data.some((w: Json) => w.word === "Haus"));
  const { token } = await spanishLearner(t);
  const hola = await word(t, "hola");
  await t.call("POST", `/api/vocabulary/${hola.id}/practice`, {
    token,
    body: { user_answer: "hello", response_time: 900 },
  });
  const mine = await t.call("GET", "/api/vocabulary?q=hola", { token });
  assert.equal(mine.body.meta.language_id, "es", "defaults to the current course's language");
  const current = await t.call("GET", "/api/vocabulary?limit=100", { token });
  assert.equal(current.body.meta.level, "A1", "and to its level");
  assert.ok(current.body.data.every((w: Json) => w.level === "A1" && w.language_id === "es"));
  const item = mine.body.data.find((w: Json) => w.word === "hola");
  assert.equal(item.memory.review_count, 1);
  assert.ok(item.memory.next_review);
  const page2 = await t.call("GET", "/api/vocabulary?language=es&limit=10&offset=10");
  const page1 = await t.call("GET", "/api/vocabulary?language=es&limit=10");
  assert.notEqual(page1.body.data[0].id, page2.body.data[0].id);
  for (const bad of ["level=Z1", "category=spaceships", "limit=500", "offset=-1", "language=xx"]) {
    const res = await t.call("GET", `/api/vocabulary?${bad}`);
    assert.ok([400, 404].includes(res.status), bad);
  }
  await t.close();
});

Deno.test("vocabulary stats forecast due reviews and measure true retention", async () => {
  const t = await testApp();
  const { token } = await spanishLearner(t);
  const queue = await t.call("GET", "/api/vocabulary/review", { token });
  for (const item of queue.body.data.slice(0, 4)) {
    await t.call("POST", `/api/vocabulary/${item.vocabulary_id}/practice`, {
      token,
      body: { user_answer: "x", response_time: 1000, difficulty: "good" },
    });
  }
  const stats = await t.call("GET", "/api/vocabulary/stats?days=7", { token });
  assert.equal(stats.status, 200);
  assert.equal(stats.body.data.forecast.length, 7);
  assert.equal(stats.body.data.forecast.reduce((n: number, d: Json) => n + d.due, 0), 4);
  assert.equal(stats.body.data.cards, 4);
  assert.equal(stats.body.data.true_retention_30d, null, "no mature reviews yet");
  assert.equal((await t.call("GET", "/api/vocabulary/stats?days=9", { token })).status, 400);
  await t.close();
});

Deno.test("the due-review query reads only the learner's due range, by index", async () => {
  const t = await testApp();
  const query = dueCardsQuery(t.database.db, "u", new Date(), 20).toSQL();
  const plan = await t.database.client.execute({
    sql: `EXPLAIN QUERY PLAN ${query.sql}`,
    args: query.params as InArgs,
  });
  const detail = plan.rows.map((r) => String(r.detail)).join("\n");
  assert.match(
    detail,
    /SEARCH user_vocabulary USING INDEX user_vocabulary_due_idx \(user_id=\? AND next_review<\?\)/,
  );
  assert.doesNotMatch(detail, /SCAN user_vocabulary\b/);
  // The risk order needs a sort, but only of the due cards the index range yields.
  assert.match(detail, /USE TEMP B-TREE FOR ORDER BY/);
  await t.close();
});

Deno.test("the review queue serves the most at-risk cards first, however many are due", async () => {
  const t = await testApp();
  const { token, user } = await spanishLearner(t);
  const userId = user.id as string;
  const words = (await t.database.client.execute(
    "SELECT id FROM vocabulary WHERE language_id = 'es' ORDER BY sequence LIMIT 30",
  )).rows.map((r) => String(r.id));
  const now = t.clock.now().getTime();
  const day = 86_400_000;
  // 30 due cards; the one reviewed longest ago relative to its stability is at word 17.
  for (const [i, id] of words.entries()) {
    const lastReviewed = now - (i === 17 ? 40 : 5) * day;
    await t.database.client.execute({
      sql: `INSERT INTO user_vocabulary (user_id, vocabulary_id, next_review, introduced_at,
        last_reviewed, state, stability, difficulty, reps, review_count, correct_count,
        scheduled_days, elapsed_days) VALUES (?, ?, ?, ?, ?, 2, ?, 5, 3, 3, 3, 4, 4)`,
      args: [userId, id, now - day - i, now - 60 * day, lastReviewed, 4 + (i % 5)],
    });
  }
  const res = await t.call("GET", "/api/vocabulary/review?limit=5", { token });
  assert.equal(res.status, 200);
  const reviews = res.body.data.filter((d: Json) => d.kind === "review");
  assert.equal(reviews.length, 5);
  assert.equal(reviews[0].vocabulary_id, words[17]);
  const risks = reviews.map((d: Json) => d.memory.retrievability);
  assert.deepEqual(risks, [...risks].sort((a: number, b: number) => a - b));
  assert.equal(res.body.meta.due, 30);
  assert.equal(res.body.meta.overdue, 30);
  await t.close();
});

Deno.test("achievement card counts after each answer are answered from partial indexes", async () => {
  const t = await testApp();
  const counts = learnerStatsQueries(t.database.db, "u")[2].toSQL();
  const plan = await t.database.client.execute({
    sql: `EXPLAIN QUERY PLAN ${counts.sql}`,
    args: counts.params as InArgs,
  });
  const detail = plan.rows.map((r) => String(r.detail)).join("\n");
  assert.match(detail, /USING INDEX user_vocabulary_learned_idx/);
  assert.match(detail, /USING INDEX user_vocabulary_mature_idx/);
  await t.close();
});

Deno.test("a wrong answer's confused-word lookup uses an index for each locale", async () => {
  const t = await testApp();
  for (const locale of ["en", "es"] as const) {
    const query = confusionsQuery(t.database.db, "es-hola", "hello", locale).toSQL();
    const plan = await t.database.client.execute({
      sql: `EXPLAIN QUERY PLAN ${query.sql}`,
      args: query.params as InArgs,
    });
    const detail = plan.rows.map((r) => String(r.detail)).join("\n");
    assert.match(detail, /USING INDEX vocabulary_search_idx \(language_id=\? AND search_key=\?\)/);
    assert.match(detail, new RegExp(`USING INDEX vocabulary_translation_${locale}_idx`));
    assert.doesNotMatch(detail, /SCAN vocabulary\b/);
  }
  await t.close();
});

Deno.test("the statistics every answer re-reads come from running totals by key, not rollups", async () => {
  const t = await testApp();
  for (const query of learnerStatsQueries(t.database.db, "u")) {
    const q = query.toSQL();
    const plan = await t.database.client.execute({
      sql: `EXPLAIN QUERY PLAN ${q.sql}`,
      args: q.params as InArgs,
    });
    const detail = plan.rows.map((r) => String(r.detail)).join("\n");
    assert.doesNotMatch(detail, /daily_activity|activity_log/, detail);
    assert.doesNotMatch(detail, /SCAN (?!CONSTANT)/, detail);
  }
  await t.close();
});
