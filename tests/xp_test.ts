/**
 * XP pays for learning: the farming an attacker would try (the same right answer
 * over and over, retries, filler text), each refused, and the rules in domain/xp.ts.
 */
import assert from "node:assert/strict";
import { grammarXp, lessonXp, repeatXp, substantiveText, writingXp } from "../domain/xp.ts";
import { lessonAnswers, signUp, type TestApp, testApp } from "./helpers.ts";
import { PaidXp } from "../db/item_credits.ts";
import { activityStatements } from "../db/learning_records.ts";

const DAY = 86_400_000;

async function totalXp(t: TestApp, userId: string) {
  const r = await t.database.client.execute({
    sql: "SELECT xp FROM users WHERE id = ?",
    args: [userId],
  });
  return Number(r.rows[0].xp);
}

Deno.test("lesson XP: first mastery by level, otherwise up to 5 by the checked score", () => {
  assert.equal(lessonXp({ level: "A1", firstMastery: true, score: 90 }), 20);
  assert.equal(lessonXp({ level: "A2", firstMastery: true, score: 100 }), 35);
  assert.equal(lessonXp({ level: "A1", firstMastery: false, score: 100 }), 5);
  assert.equal(lessonXp({ level: "A1", firstMastery: false, score: 50 }), 3);
  assert.equal(lessonXp({ level: "A1", firstMastery: false, score: 0 }), 0);
  assert.equal(lessonXp({ level: "A1", firstMastery: false }), 0);
});

Deno.test("repeat, grammar and writing XP rules", () => {
  assert.equal(repeatXp(3, 0), 3);
  assert.equal(repeatXp(3, 1), 2);
  assert.equal(repeatXp(3, 3), 0);
  assert.equal(repeatXp(1, 3), 0);
  assert.equal(grammarXp([2, 0, 2], false), 4);
  assert.equal(grammarXp([0], true), 5);
  const text = { distinct_words: 6, known_words: 3, characters: 30, spaced: true };
  assert.equal(substantiveText(text), true);
  assert.equal(substantiveText({ ...text, known_words: 2 }), false);
  assert.equal(substantiveText({ ...text, distinct_words: 4 }), false);
  assert.equal(substantiveText({ ...text, spaced: false, distinct_words: 1 }), true);
  assert.equal(substantiveText({ ...text, spaced: false, characters: 9 }), false);
  assert.equal(writingXp(false, true), 0);
  assert.equal(writingXp(true, true), 5);
  assert.equal(writingXp(true, false), 2);
});

Deno.test("the same right grammar answer six times pays once a day", async () => {
  const t = await testApp();
  const { token, user } = await signUp(t);
  const [row] = (await t.database.client.execute(
    "SELECT id, topic_id, answer FROM grammar_exercises WHERE topic_id LIKE 'es-%' ORDER BY id LIMIT 1",
  )).rows;
  const send = () =>
    t.call("POST", `/api/grammar/${row.topic_id}/exercise`, {
      token,
      body: { answers: [{ exercise_id: row.id, answer: row.answer }], time_spent: 5 },
    });
  const paid: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await send();
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.data.correct, 1);
    paid.push(r.body.data.xp_earned);
  }
  // 2 for the answer, once; one answer does not master the topic (no +5).
  assert.deepEqual(paid, [2, 0, 0, 0, 0, 0]);
  assert.equal(await totalXp(t, user.id), 2);
  t.clock.advance(DAY);
  assert.equal((await send()).body.data.xp_earned, 2, "another day: the answer pays again");
  assert.equal((await send()).body.data.xp_earned, 0);
  await t.close();
});

Deno.test("the same word answered right again before it is due pays nothing", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const practise = () =>
    t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: "hello", response_time: 1500 },
    });
  const paid: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await practise();
    assert.equal(r.body.data.correct, true);
    paid.push(r.body.data.xp_earned);
  }
  assert.ok(paid[0] > 0);
  assert.deepEqual(paid.slice(1), [0, 0, 0, 0, 0], "not due again within seconds");
  const last = await t.database.client.execute(
    "SELECT next_review FROM user_vocabulary WHERE vocabulary_id = 'es-hola'",
  );
  t.clock.set(new Date(Number(last.rows[0].next_review) + 1000).toISOString()); // due again
  assert.ok((await practise()).body.data.xp_earned > 0, "a due review pays");
  await t.close();
});

Deno.test("translation retries pay only what they add, once a day", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const [row] = (await t.database.client.execute(
    `SELECT id, accepted FROM translation_exercises
     WHERE language_id = 'es' AND direction = 'to_target' ORDER BY id LIMIT 1`,
  )).rows;
  const right = JSON.parse(String(row.accepted))[0];
  const send = (user_translation: string) =>
    t.call("POST", "/api/translations/check", {
      token,
      body: { exercise_id: row.id, user_translation },
    });
  const wrong = await send("zzz qqq");
  assert.equal(wrong.body.data.xp_earned, 0);
  const first = await send(right);
  assert.equal(first.body.data.correct, true);
  assert.equal(first.body.data.xp_earned, 8, "3 for the answer, 5 for first mastery");
  for (let i = 0; i < 4; i++) {
    assert.equal((await send(right)).body.data.xp_earned, 0, `retry ${i + 1}`);
  }
  t.clock.advance(DAY);
  assert.equal((await send(right)).body.data.xp_earned, 3, "another day: 3, no second bonus");
  await t.close();
});

Deno.test("writing XP needs a substantive text, once per text and a few texts a day", async () => {
  const t = await testApp();
  const { token, user } = await signUp(t);
  const write = (text: string) =>
    t.call("POST", "/api/writing/check", { token, body: { language: "es", text } });
  for (const filler of ["a", "hola hola hola hola hola hola", "xq zv wy rt pl mn kj hg"]) {
    const r = await write(filler);
    assert.equal(r.status, 200);
    assert.equal(r.body.data.xp_earned, 0, filler);
  }
  assert.equal(await totalXp(t, user.id), 0);
  const words = (await t.database.client.execute(
    "SELECT word FROM vocabulary WHERE language_id = 'es' AND word NOT LIKE '% %' ORDER BY word LIMIT 40",
  )).rows.map((r) => String(r.word));
  const text = (i: number) => `Hoy ${words.slice(i * 5, i * 5 + 5).join(" ")} y más.`;
  const first = await write(text(0));
  assert.ok(first.body.data.xp_earned > 0, JSON.stringify(first.body.data));
  assert.equal((await write(text(0))).body.data.xp_earned, 0, "the same text again");
  assert.equal((await write(`  ${text(0).toUpperCase()}  `)).body.data.xp_earned, 0, "respelt");
  const paid: number[] = [];
  for (let i = 1; i <= 6; i++) paid.push((await write(text(i))).body.data.xp_earned);
  assert.equal(paid.filter((x: number) => x > 0).length, 4, "five paying texts a day");
  await t.close();
});

Deno.test("parallel copies of one answer pay once: grammar, translation, writing, lesson", async () => {
  const t = await testApp();
  const { token, user } = await signUp(t);
  const xpOf = async (kind: string) =>
    Number(
      (await t.database.client.execute({
        sql: "SELECT coalesce(sum(xp), 0) AS xp FROM activity_log WHERE user_id = ? AND kind = ?",
        args: [user.id, kind],
      })).rows[0].xp,
    );
  const burst = (n: number, f: () => Promise<{ status: number }>) =>
    Promise.all(Array.from({ length: n }, f)).then((rs) => rs.map((r) => r.status));

  const [ex] = (await t.database.client.execute(
    "SELECT id, topic_id, answer FROM grammar_exercises WHERE topic_id LIKE 'de-%' ORDER BY id LIMIT 1",
  )).rows;
  assert.deepEqual(
    await burst(10, () =>
      t.call("POST", `/api/grammar/${ex.topic_id}/exercise`, {
        token,
        body: { answers: [{ exercise_id: ex.id, answer: ex.answer }], time_spent: 5 },
      })),
    Array(10).fill(200),
  );
  assert.equal(await xpOf("exercise"), 2);

  const [tr] = (await t.database.client.execute(
    `SELECT id, accepted FROM translation_exercises
     WHERE language_id = 'de' AND direction = 'to_target' ORDER BY id LIMIT 1`,
  )).rows;
  const right = JSON.parse(String(tr.accepted))[0];
  await burst(10, () =>
    t.call("POST", "/api/translations/check", {
      token,
      body: { exercise_id: tr.id, user_translation: right },
    }));
  assert.equal(await xpOf("translation"), 8, "3 for the answer and 5 for mastery, once");

  const words = (await t.database.client.execute(
    "SELECT word FROM vocabulary WHERE language_id = 'de' AND word NOT LIKE '% %' ORDER BY word LIMIT 6",
  )).rows.map((r) => String(r.word));
  await burst(10, () =>
    t.call("POST", "/api/writing/check", {
      token,
      body: { language: "de", text: `Heute ${words.join(" ")} und mehr.` },
    }));
  assert.ok([2, 5].includes(await xpOf("writing")), String(await xpOf("writing")));

  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const body = await lessonAnswers(t, token, "es-a1-01-greetings");
  await burst(
    10,
    () => t.call("POST", "/api/lessons/es-a1-01-greetings/complete", { token, body }),
  );
  assert.equal(await xpOf("lesson"), 25, "first mastery once, no repeat XP the same day");
  await t.close();
});

Deno.test("XP worked out from credits is bound, not built: one SQL text whatever the credits", async () => {
  const t = await testApp();
  const db = t.database.db;
  const entry = (xp: PaidXp) => ({
    userId: "u1",
    kind: "exercise" as const,
    skill: "grammar" as const,
    languageId: "es",
    durationSeconds: 30,
    xp,
    occurredAt: t.clock.now(),
    localDate: "2026-12-06",
  });
  const sqlOf = (xp: PaidXp) =>
    activityStatements(db, entry(xp)).map((s) =>
      (s as unknown as { _prepare(): { getQuery(): { sql: string } } })._prepare().getQuery().sql
    );
  const one = sqlOf(new PaidXp([{ key: "exercise:a", xp: 2, localDate: "2026-12-06" }]));
  const three = sqlOf(
    new PaidXp(["a", "b", "c"].map((k) => ({ key: `exercise:${k}`, xp: 2, localDate: "ever" })), {
      cap: { prefix: "writing:", localDate: "2026-12-06", except: "writing:x", limit: 5 },
    }),
  );
  assert.deepEqual(one, three);
  assert.equal(one.length, 6);
});
