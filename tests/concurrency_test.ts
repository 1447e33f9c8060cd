/**
 * 50 learners × 20 parallel practice answers (right and wrong) and scored quiz
 * submissions against one database file: afterwards every count adds up, XP was
 * earned, the running totals agree with the log, no request failed, and lost races
 * were retried (not dropped).
 */
import assert from "node:assert/strict";
import { dbRoundTrips } from "../http/logging.ts";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";
import { rightAnswers } from "./quiz_keys.ts";
import { assertTotalsAgree } from "./totals_check.ts";

Deno.test({
  name: "50 learners × 20 parallel practices and quiz submissions keep every count consistent",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    try {
      await hammer(t);
    } finally {
      await t.close();
    }
  },
});

async function hammer(t: TestApp) {
  const words = (await t.database.client.execute(
    `SELECT id, json_extract(translation, '$.en') AS en FROM vocabulary
        WHERE language_id = 'es' ORDER BY id LIMIT 12`,
  )).rows.map((r) => ({ id: String(r.id), answer: String(r.en) }));
  const keys = await rightAnswers(t.database.client, "es-a1-vocabulary");
  const learners = await Promise.all(Array.from({ length: 50 }, async () => {
    const l = await signUp(t);
    await t.call("POST", "/api/courses/es-a1/enroll", { token: l.token });
    const attempt = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token: l.token });
    return {
      ...l,
      attemptToken: attempt.body.data.attempt.token as string,
      questions: attempt.body.data.questions.map((q: Json) => q.id as string),
    };
  }));

  const requests: Promise<
    { kind: string; pair: string | null; status: number; body: Json; statements: number }
  >[] = [];
  const record =
    (kind: string, pair: string | null = null) =>
    (r: { status: number; body: Json; headers: Headers }) => ({
      kind,
      pair,
      status: r.status,
      body: r.body,
      statements: dbRoundTrips(r),
    });
  for (const [n, l] of learners.entries()) {
    for (let i = 0; i < 18; i++) {
      // Several learners hit the same words, and each learner answers six words twice at
      // once (sent back to back): those pairs race for the same card version.
      // In each group of three: a word twice, then the next word once.
      const word = words[(n + 2 * Math.floor(i / 3) + (i % 3 === 2 ? 1 : 0)) % 12];
      requests.push(
        t.call("POST", `/api/vocabulary/${word.id}/practice`, {
          token: l.token,
          body: {
            user_answer: i % 3 === 2 ? "wrong answer" : word.answer,
            response_time: 1000 + i,
          },
        }).then(record("practice", i % 3 === 2 ? null : `${n}:${word.id}`)),
      );
    }
    for (let i = 0; i < 2; i++) {
      // Every other learner answers every question right; the rest answer half of them.
      const answered = l.questions.filter((_: string, q: number) => n % 2 === 0 || q % 2 === 0);
      requests.push(
        t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
          token: l.token,
          body: {
            attempt_token: l.attemptToken,
            answers: answered.map((id: string) => ({
              question_id: id,
              answer: keys.get(id)!.answer,
            })),
            time_taken: 10,
          },
        }).then(record("quiz")),
      );
    }
  }
  const results = await Promise.all(requests);
  const text = JSON.stringify(results);
  assert.ok(!/SQLITE_BUSY|database is locked/i.test(text), "no busy errors");
  const practices = results.filter((r) => r.kind === "practice");
  assert.deepEqual([...new Set(practices.map((p) => p.status))], [200]);
  const right = practices.filter((p) => p.body.data.correct);
  assert.equal(right.length, 600, "two in three answers are right");
  // A right answer to a word not due yet pays nothing (domain/xp.ts): of each learner's
  // doubled word, the answer applied first (to the new card) earns XP, the other none.
  const firsts = right.filter((p) => p.body.data.card.review_count === 1);
  assert.equal(firsts.length, 300);
  assert.ok(firsts.every((p) => p.body.data.xp_earned > 0), "a first right answer earns XP");
  assert.ok(
    right.filter((p) => p.body.data.card.review_count === 2).every((p) =>
      p.body.data.xp_earned === 0
    ),
    "the same word again before it is due earns nothing",
  );
  // Each learner's doubled word: both answers were read before either was written, so the
  // one applied second lost the version check and re-read and re-wrote the card, which
  // costs it statements its partner did not send.
  const pairs = Object.values(Object.groupBy(
    practices.filter((p) => p.pair !== null),
    (p) => p.pair!,
  ));
  assert.equal(pairs.length, 300);
  for (const pair of pairs) {
    const [first, second] = pair!.toSorted((a, b) =>
      a.body.data.card.review_count - b.body.data.card.review_count
    );
    assert.deepEqual([first.body.data.card.review_count, second.body.data.card.review_count], [
      1,
      2,
    ]);
    assert.ok(second.statements > first.statements, "the second of a pair was retried");
  }
  const quizzes = results.filter((r) => r.kind === "quiz");
  const accepted = quizzes.filter((q) => q.status === 200);
  assert.equal(accepted.length, 50, "one submit per attempt wins");
  assert.equal(quizzes.filter((q) => q.status === 409).length, 50, "the other is refused");
  const percentages = accepted.map((q) => q.body.data.percentage);
  assert.equal(percentages.filter((p) => p === 100).length, 25, "all right: 100%");
  assert.equal(percentages.filter((p) => p > 0 && p < 100).length, 25, "half answered: partial");
  assert.ok(accepted.every((q) => q.body.data.xp_earned > 0), "a scored quiz earns XP");

  const one = async (sql: string) => Number((await t.database.client.execute(sql)).rows[0].n);
  assert.equal(await one("SELECT count(*) AS n FROM review_logs"), 900);
  assert.equal(await one("SELECT sum(review_count) AS n FROM user_vocabulary"), 900);
  assert.equal(await one("SELECT sum(correct_count) AS n FROM user_vocabulary"), 600);
  assert.equal(
    await one("SELECT count(*) AS n FROM quiz_attempts WHERE submitted_at IS NOT NULL"),
    50,
  );
  assert.equal(await one("SELECT count(*) AS n FROM activity_log WHERE kind = 'practice'"), 900);
  assert.equal(await one("SELECT count(*) AS n FROM activity_log WHERE kind = 'quiz'"), 50);
  // Per learner: XP equals the log, the daily rollups and the weekly board.
  assert.ok(await one("SELECT min(xp) AS n FROM users") > 0, "every learner earned XP");
  const drift = await one(`SELECT count(*) AS n FROM users u WHERE
      u.xp != coalesce((SELECT sum(xp) FROM activity_log a WHERE a.user_id = u.id), 0)
      OR u.xp != coalesce((SELECT sum(xp) FROM daily_activity d WHERE d.user_id = u.id), 0)
      OR u.xp != coalesce((SELECT sum(xp) FROM weekly_xp w WHERE w.user_id = u.id), 0)`);
  assert.equal(drift, 0);
  const cardDrift = await one(`SELECT count(*) AS n FROM user_vocabulary c WHERE c.review_count !=
      (SELECT count(*) FROM review_logs r WHERE r.user_id = c.user_id AND r.vocabulary_id = c.vocabulary_id)`);
  assert.equal(cardDrift, 0);
  for (const l of learners) await assertTotalsAgree(t, l.user.id, 50);
}
