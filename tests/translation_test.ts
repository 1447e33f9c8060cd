import assert from "node:assert/strict";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";

function check(t: TestApp, token: string | undefined, body: Record<string, unknown>) {
  return t.call("POST", "/api/translations/check", { token, body });
}

/** Every key anywhere in a JSON value. */
function keysOf(value: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

Deno.test("listing filters by language, difficulty and direction and never leaks answers", async () => {
  const t = await testApp();
  const res = await t.call(
    "GET",
    "/api/translations?language=es&difficulty=1&direction=to_target&limit=100",
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const list = res.body.data;
  assert.ok(list.length > 0);
  for (const e of list) {
    assert.equal(e.language.code, "es");
    assert.equal(e.difficulty, 1);
    assert.equal(e.direction, "to_target");
    assert.equal(e.answer_language, "es");
    assert.equal(typeof e.source_text, "string");
  }
  const all = await t.call("GET", "/api/translations?limit=100");
  assert.ok(all.body.meta.total >= 30);
  const learner = await signUp(t);
  const mine = await t.call("GET", "/api/translations?language=es&limit=100", {
    token: learner.token,
  });
  for (const payload of [res.body, all.body, mine.body]) {
    const keys = keysOf(payload);
    assert.ok(!keys.has("accepted") && !keys.has("accepted_translations"));
    assert.ok(!keys.has("notes"), "notes give the answer away");
  }
  // The accepted answers' text is nowhere in the payload either.
  assert.ok(!JSON.stringify(mine.body).includes("Dos cafés, por favor"));
  assert.equal(mine.body.data[0].progress.status, "not_started");

  assert.equal((await t.call("GET", "/api/translations?language=xx")).status, 404);
  assert.equal((await t.call("GET", "/api/translations?difficulty=7")).status, 400);
  assert.equal((await t.call("GET", "/api/translations?direction=sideways")).status, 400);
  await t.close();
});

Deno.test("a right translation is correct; mastering it hides it from the learner's list", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    exercise_id: "es-t-003",
    user_translation: "por favor, dos cafés",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const d = res.body.data;
  assert.equal(d.correct, true);
  assert.equal(d.score, 100);
  assert.equal(d.closest, "Por favor, dos cafés.");
  assert.deepEqual(d.corrections, []);
  assert.equal(d.mastered, true);
  assert.ok(d.xp_earned >= 8); // 3 + 5 for the first mastery
  assert.ok(dbRoundTrips(res) <= 4);

  const list = await t.call("GET", "/api/translations?language=es&limit=100", {
    token: learner.token,
  });
  assert.ok(!list.body.data.some((e: { id: string }) => e.id === "es-t-003"));
  const anonymous = await t.call("GET", "/api/translations?language=es&limit=100");
  assert.ok(anonymous.body.data.some((e: { id: string }) => e.id === "es-t-003"));

  const rows = await t.database.client.execute({
    sql: "SELECT attempts, best_score, mastered_at FROM user_translations WHERE user_id = ?",
    args: [learner.user.id],
  });
  assert.equal(rows.rows[0].attempts, 1);
  assert.equal(rows.rows[0].best_score, 100);
  assert.ok(rows.rows[0].mastered_at);
  const log = await t.database.client.execute({
    sql: "SELECT kind, skill, score FROM activity_log WHERE user_id = ?",
    args: [learner.user.id],
  });
  assert.deepEqual({ ...log.rows[0] }, { kind: "translation", skill: "writing", score: 100 });
  await t.close();
});

Deno.test("an accent-only mistake is accepted, scored below 100 and named", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    exercise_id: "es-t-003",
    user_translation: "Dos cafes por favor",
  });
  const d = res.body.data;
  assert.equal(d.correct, true);
  assert.ok(d.score < 100 && d.score >= 90, `score ${d.score}`);
  assert.deepEqual(d.corrections, [
    { type: "accent", given: "cafes", expected: "cafés", position: 1 },
  ]);
  assert.match(d.feedback, /accent/i);
  await t.close();
});

Deno.test("corrections name missing, extra, wrong and moved words", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const moved = await check(t, learner.token, {
    exercise_id: "es-t-002",
    user_translation: "El rojo coche",
  });
  assert.equal(moved.body.data.correct, false);
  assert.ok(
    moved.body.data.corrections.some((c: { type: string; word: string }) =>
      c.type === "word_order" && c.word === "rojo"
    ),
    JSON.stringify(moved.body.data.corrections),
  );
  const wrong = await check(t, learner.token, {
    exercise_id: "es-t-004",
    user_translation: "Estoy muy cansadu",
  });
  const types = wrong.body.data.corrections.map((c: { type: string }) => c.type).sort();
  assert.deepEqual(types, ["extra", "wrong"], JSON.stringify(wrong.body.data.corrections));
  assert.equal(wrong.body.data.closest, "Estoy cansado.");
  const missing = await check(t, learner.token, {
    exercise_id: "es-t-004",
    user_translation: "Yo cansado",
  });
  assert.ok(
    missing.body.data.corrections.some((c: { type: string; expected: string }) =>
      c.type === "missing" && c.expected === "estoy"
    ),
  );
  assert.ok(missing.body.data.score < 90);
  await t.close();
});

Deno.test("an answer in the wrong language is named as such", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    exercise_id: "es-t-004",
    user_translation: "I am really very tired today",
  });
  const d = res.body.data;
  assert.equal(d.correct, false);
  assert.equal(d.wrong_language, true);
  assert.equal(d.language_detection.detected, "en");
  assert.equal(d.language_detection.expected, "es");
  assert.match(d.feedback, /English/);
  // Too short to judge: no detection claimed.
  const short = await check(t, learner.token, {
    exercise_id: "es-t-004",
    user_translation: "tired",
  });
  assert.equal(short.body.data.language_detection.reliable, false);
  assert.equal(short.body.data.wrong_language, false);
  // Answering in the target language is not flagged.
  const right = await check(t, learner.token, {
    exercise_id: "es-t-004",
    user_translation: "Yo estoy cansado hoy",
  });
  assert.equal(right.body.data.wrong_language, false);
  await t.close();
});

Deno.test("from_target is answered in the learner's language and logged as reading", async () => {
  const t = await testApp();
  const spanish = await signUp(t, { native_language: "es" });
  const list = await t.call("GET", "/api/translations?language=fr&direction=from_target", {
    token: spanish.token,
  });
  assert.equal(list.body.data[0].answer_language, "es");
  const res = await check(t, spanish.token, {
    exercise_id: "fr-t-021",
    user_translation: "¡Muchas gracias!",
  });
  assert.equal(res.body.data.correct, true);
  const log = await t.database.client.execute({
    sql: "SELECT skill FROM activity_log WHERE user_id = ?",
    args: [spanish.user.id],
  });
  assert.equal(log.rows[0].skill, "reading");
  await t.close();
});

Deno.test("an exercise is found by its source text; unknown ones 404, missing fields 400", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const bySource = await check(t, learner.token, {
    source_text: "two coffees, please.",
    user_translation: "Dos cafés, por favor",
  });
  assert.equal(bySource.status, 200, JSON.stringify(bySource.body));
  assert.equal(bySource.body.data.exercise_id, "es-t-003");
  const unknown = await check(t, learner.token, { exercise_id: "es-t-999", user_translation: "x" });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "NOT_FOUND");
  const unknownText = await check(t, learner.token, {
    source_text: "Not an exercise at all",
    user_translation: "x",
  });
  assert.equal(unknownText.status, 404);
  const neither = await check(t, learner.token, { user_translation: "Hola" });
  assert.equal(neither.status, 400);
  assert.equal(neither.body.error.code, "VALIDATION_ERROR");
  const noAnswer = await check(t, learner.token, { exercise_id: "es-t-003" });
  assert.equal(noAnswer.status, 400);
  const noWords = await check(t, learner.token, {
    exercise_id: "es-t-003",
    user_translation: "!!",
  });
  assert.equal(noWords.status, 400);
  const anonymous = await check(t, undefined, { exercise_id: "es-t-003", user_translation: "x" });
  assert.equal(anonymous.status, 401);
  await t.close();
});

Deno.test("seeding practice content is idempotent and repairs a changed exercise", async () => {
  const { seedPracticeContent } = await import("../db/practice_content_store.ts");
  const t = await testApp();
  const db = t.database.db;
  const warnings: string[] = [];
  assert.deepEqual(await seedPracticeContent(db, { warn: (m) => warnings.push(m) }), []);
  await t.database.client.execute(
    "UPDATE translation_exercises SET accepted = '[\"x\"]' WHERE id = 'es-t-003'",
  );
  await t.database.client.execute("UPDATE pronunciation_guides SET content_hash = 'old'");
  const written = await seedPracticeContent(db, { warn: (m) => warnings.push(m) });
  assert.ok(written.includes("translations/es"), JSON.stringify(written));
  assert.ok(written.includes("pronunciation/es"));
  assert.ok(!written.includes("translations/fr"), "unchanged languages are skipped");
  const row = await t.database.client.execute(
    "SELECT accepted FROM translation_exercises WHERE id = 'es-t-003'",
  );
  assert.ok(String(row.rows[0].accepted).includes("Dos cafés"));
  assert.deepEqual(await seedPracticeContent(db, { warn: (m) => warnings.push(m) }), []);
  await t.close();
});
