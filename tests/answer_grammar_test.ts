import assert from "node:assert/strict";
import { answerGrammar } from "../actions/answer_grammar.ts";
import { ApiError } from "../http/errors.ts";
import { GRAMMAR_ANSWER_XP, GRAMMAR_MASTERY_XP } from "../domain/xp.ts";
import {
  learnerDeps,
  learningRowCounts,
  queryRows,
  signUp,
  type TestApp,
  testApp,
} from "./helpers.ts";

async function topicExercises(t: TestApp, topicId: string) {
  const rows = await t.database.client.execute({
    sql: "SELECT id, type, answer FROM grammar_exercises WHERE topic_id = ? ORDER BY position",
    args: [topicId],
  });
  return rows.rows.map((r) => ({
    id: String(r.id),
    type: String(r.type),
    answer: String(r.answer),
  }));
}

Deno.test("answering a grammar set writes progress, activity, XP, credits, errors, model and awards", async () => {
  const t = await testApp();
  const { user: signedUp } = await signUp(t);
  const { deps, user } = await learnerDeps(t, signedUp.id);
  const topicId = "es-articles-gender";
  const exercises = await topicExercises(t, topicId);
  assert.ok(exercises.length >= 5, "a topic with enough exercises to master it with one slip");
  const [wrong, ...right] = exercises;

  const result = await answerGrammar(deps, user, {
    topicId,
    answers: [
      { exerciseId: wrong.id, answer: "definitely not it" },
      ...right.map((e) => ({ exerciseId: e.id, answer: e.answer })),
    ],
    timeSpentSeconds: 75,
  });

  assert.equal(result.total, exercises.length);
  assert.equal(result.correct, right.length);
  assert.equal(result.mastered, true, "five of six right masters the topic");
  const xp = right.length * GRAMMAR_ANSWER_XP + (result.mastered ? GRAMMAR_MASTERY_XP : 0);
  assert.equal(result.xp_earned, xp);
  assert.equal(result.results[0].correct, false);
  assert.equal(result.streak.current, 1, "awards were evaluated after the activity");

  const [progress] = await queryRows(
    t,
    "SELECT attempts, last_score, mastered_at FROM user_grammar WHERE user_id = ? AND topic_id = ?",
    user.id,
    topicId,
  );
  assert.equal(progress.attempts, 1);
  assert.equal(progress.last_score, result.score);
  assert.equal(progress.mastered_at !== null, result.mastered);

  const log = await queryRows(
    t,
    "SELECT kind, skill, correct, total, xp, duration_seconds FROM activity_log WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(log, [{
    kind: "exercise",
    skill: "grammar",
    correct: right.length,
    total: exercises.length,
    xp,
    duration_seconds: 75,
  }]);
  const [{ xp: userXp }] = await queryRows(t, "SELECT xp FROM users WHERE id = ?", user.id);
  assert.equal(userXp, xp);
  const [{ xp: dayXp }] = await queryRows(
    t,
    "SELECT sum(xp) AS xp FROM daily_activity WHERE user_id = ?",
    user.id,
  );
  assert.equal(dayXp, xp);

  const credits = await queryRows(
    t,
    "SELECT item_key FROM item_credits WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(
    credits.map((r) => String(r.item_key)).sort(),
    [
      ...right.map((e) => `exercise:${e.id}`),
      ...(result.mastered ? [`mastery:topic:${topicId}`] : []),
    ].sort(),
  );

  const errors = await queryRows(
    t,
    "SELECT source, grammar_topic, given, expected FROM error_events WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(errors, [{
    source: "exercise",
    grammar_topic: topicId,
    given: "definitely not it",
    expected: wrong.answer,
  }]);

  const [ability] = await queryRows(
    t,
    "SELECT evidence FROM learner_abilities WHERE user_id = ? AND skill = 'grammar'",
    user.id,
  );
  assert.equal(ability.evidence, exercises.length);
  const [{ n: calibrated }] = await queryRows(
    t,
    `SELECT count(*) AS n FROM item_difficulties WHERE answers = 1 AND item_id IN
      (SELECT id FROM grammar_exercises WHERE topic_id = ?)`,
    topicId,
  );
  assert.equal(calibrated, exercises.length);

  const earned = await queryRows(
    t,
    "SELECT achievement_id FROM user_achievements WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(
    earned.map((r) => String(r.achievement_id)).sort(),
    result.new_achievements.map((a) => a.id).sort(),
  );
  await t.close();
});

Deno.test("a refused grammar set writes nothing", async () => {
  const t = await testApp();
  const { user: signedUp } = await signUp(t);
  const { deps, user } = await learnerDeps(t, signedUp.id);
  const [first] = await topicExercises(t, "es-articles-gender");
  const [otherTopics] = await topicExercises(t, "es-ser-estar");
  const before = await learningRowCounts(t);

  const refused = [
    // An exercise of another topic.
    { exerciseId: otherTopics.id, answer: otherTopics.answer },
    // The same exercise twice.
    { exerciseId: first.id, answer: first.answer },
  ];
  await assert.rejects(
    answerGrammar(deps, user, {
      topicId: "es-articles-gender",
      answers: [{ exerciseId: first.id, answer: first.answer }, ...refused],
      timeSpentSeconds: 10,
    }),
    (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 400);
      assert.deepEqual(e.details?.map((d) => d.field), [
        "answers.1.exercise_id",
        "answers.2.exercise_id",
      ]);
      return true;
    },
  );
  await assert.rejects(
    answerGrammar(deps, user, {
      topicId: "nope",
      answers: [{ exerciseId: first.id, answer: first.answer }],
      timeSpentSeconds: 10,
    }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
  assert.deepEqual(await learningRowCounts(t), before);
  await t.close();
});
