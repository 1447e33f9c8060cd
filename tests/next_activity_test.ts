import assert from "node:assert/strict";
import { answerGrammar } from "../actions/answer_grammar.ts";
import { suggestNextActivity } from "../actions/next_activity.ts";
import { withRoundTrips } from "./action_harness.ts";
import { learnerDeps, signUp, type TestApp, testApp } from "./helpers.ts";

async function learner(t: TestApp) {
  const { token, user } = await signUp(t);
  return { token, ...await learnerDeps(t, user.id) };
}

Deno.test("suggestNextActivity: with no course, the grammar topic of recent mistakes comes first, in one round trip", async () => {
  const t = await testApp();
  const { deps, user } = await learner(t);
  const { rows } = await t.database.client.execute(
    `SELECT e.id, e.topic_id FROM grammar_exercises e JOIN grammar_topics g ON g.id = e.topic_id
     WHERE g.language_id = 'es' AND g.status = 'published' ORDER BY e.id LIMIT 2`,
  );
  const topicId = String(rows[0].topic_id);
  const exercises = rows.filter((r) => r.topic_id === rows[0].topic_id);
  await answerGrammar(deps, user, {
    topicId,
    answers: exercises.map((r) => ({ exerciseId: String(r.id), answer: "zzz wrong" })),
    timeSpentSeconds: 30,
  });
  const { result, roundTrips } = await withRoundTrips(() => suggestNextActivity(deps, user));
  assert.equal(roundTrips, 1);
  assert.equal(result.kind, "grammar");
  assert.equal(result.reason, "weak_grammar_topic");
  assert.ok(result.kind === "grammar" && result.topic_id === topicId);
  assert.ok(result.kind === "grammar" && result.errors === exercises.length);
  assert.match(result.message, /^Practise /);
  await t.close();
});

Deno.test("suggestNextActivity: a target language and no course suggests its first course, in the learner's locale", async () => {
  const t = await testApp();
  const { token, user: signed } = await learner(t);
  const patch = await t.call("PATCH", "/api/auth/user", {
    token,
    body: { target_languages: ["es"] },
  });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  const { deps, user } = await learnerDeps(t, signed.id, "es");
  const result = await suggestNextActivity(deps, user);
  assert.equal(result.kind, "course");
  assert.equal(result.reason, "enrol_suggestion");
  assert.ok(result.kind === "course" && result.course_id === "es-a1");
  assert.match(result.message, /^Empieza con .*prueba de nivel/);
  await t.close();
});
