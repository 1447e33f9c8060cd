/**
 * 50 learners × 20 parallel practice and quiz submissions against one database
 * file: afterwards every count adds up and no request failed.
 */
import assert from "node:assert/strict";
import { type Json, signUp, testApp } from "./helpers.ts";

Deno.test({
  name: "50 learners × 20 parallel practices and quiz submissions keep every count consistent",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const words = (await t.database.client.execute(
      "SELECT id FROM vocabulary WHERE language_id = 'es' ORDER BY id LIMIT 30",
    )).rows.map((r) => String(r.id));
    const learners = await Promise.all(Array.from({ length: 50 }, async () => {
      const l = await signUp(t);
      await t.call("POST", "/api/courses/es-a1/enroll", { token: l.token });
      const attempt = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token: l.token });
      return { ...l, attemptToken: attempt.body.data.attempt.token as string };
    }));

    const requests: Promise<{ kind: string; status: number; body: Json }>[] = [];
    for (const [n, l] of learners.entries()) {
      for (let i = 0; i < 18; i++) {
        // Several learners hit the same words, and each learner repeats some words.
        const word = words[(n + i) % 12];
        requests.push(
          t.call("POST", `/api/vocabulary/${word}/practice`, {
            token: l.token,
            body: {
              user_answer: i % 4 ? "wrong answer" : "x",
              response_time: 1000 + i,
              difficulty: "good",
            },
          }).then((r) => ({ kind: "practice", status: r.status, body: r.body })),
        );
      }
      for (let i = 0; i < 2; i++) {
        requests.push(
          t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
            token: l.token,
            body: { attempt_token: l.attemptToken, answers: [], time_taken: 10 },
          }).then((r) => ({ kind: "quiz", status: r.status, body: r.body })),
        );
      }
    }
    const results = await Promise.all(requests);
    const text = JSON.stringify(results);
    assert.ok(!/SQLITE_BUSY|database is locked/i.test(text), "no busy errors");
    const practices = results.filter((r) => r.kind === "practice");
    assert.deepEqual([...new Set(practices.map((p) => p.status))], [200]);
    const quizzes = results.filter((r) => r.kind === "quiz");
    assert.equal(quizzes.filter((q) => q.status === 200).length, 50, "one submit per attempt wins");
    assert.equal(quizzes.filter((q) => q.status === 409).length, 50, "the other is refused");

    const one = async (sql: string) => Number((await t.database.client.execute(sql)).rows[0].n);
    assert.equal(await one("SELECT count(*) AS n FROM review_logs"), 900);
    assert.equal(await one("SELECT sum(review_count) AS n FROM user_vocabulary"), 900);
    assert.equal(
      await one("SELECT count(*) AS n FROM quiz_attempts WHERE submitted_at IS NOT NULL"),
      50,
    );
    assert.equal(await one("SELECT count(*) AS n FROM activity_log WHERE kind = 'practice'"), 900);
    assert.equal(await one("SELECT count(*) AS n FROM activity_log WHERE kind = 'quiz'"), 50);
    // Per learner: XP equals the log, the daily rollups and the weekly board.
    const drift = await one(`SELECT count(*) AS n FROM users u WHERE
      u.xp != coalesce((SELECT sum(xp) FROM activity_log a WHERE a.user_id = u.id), 0)
      OR u.xp != coalesce((SELECT sum(xp) FROM daily_activity d WHERE d.user_id = u.id), 0)
      OR u.xp != coalesce((SELECT sum(xp) FROM weekly_xp w WHERE w.user_id = u.id), 0)`);
    assert.equal(drift, 0);
    const cardDrift = await one(`SELECT count(*) AS n FROM user_vocabulary c WHERE c.review_count !=
      (SELECT count(*) FROM review_logs r WHERE r.user_id = c.user_id AND r.vocabulary_id = c.vocabulary_id)`);
    assert.equal(cardDrift, 0);
    await t.close();
  },
});
