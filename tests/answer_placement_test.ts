import assert from "node:assert/strict";
import { answerPlacement } from "../actions/answer_placement.ts";
import { startPlacement } from "../actions/start_placement.ts";
import { PLACEMENT_RULES } from "../domain/placement.ts";
import { ApiError } from "../http/errors.ts";
import {
  type Json,
  learnerDeps,
  learningRowCounts,
  queryRows,
  signUp,
  type TestApp,
  testApp,
} from "./helpers.ts";

/** The right answer to a placement item, from the database (items never carry it). */
async function rightAnswer(t: TestApp, item: Json): Promise<string> {
  if (item.kind === "vocabulary") {
    const [row] = await queryRows(
      t,
      "SELECT translation FROM vocabulary WHERE id = ?",
      item.item_id,
    );
    return JSON.parse(String(row.translation)).en;
  }
  const [row] = await queryRows(
    t,
    "SELECT answer FROM grammar_exercises WHERE id = ?",
    item.item_id,
  );
  return String(row.answer);
}

async function startedTest(t: TestApp) {
  const { user: signedUp } = await signUp(t);
  const { deps, user } = await learnerDeps(t, signedUp.id);
  const started = await startPlacement(deps, user, { language: "es" });
  assert.equal(started.started, true);
  const resumed = await startPlacement(deps, user, { language: "es" });
  assert.equal(resumed.started, false, "a second start resumes the open test");
  assert.equal(resumed.test.id, started.test.id);
  return { deps, user, test: started.test };
}

Deno.test("a placement answer writes the test, the activity, the item's calibration and awards", async () => {
  const t = await testApp();
  const { deps, user, test } = await startedTest(t);
  const item = test.current_item!;
  const result = await answerPlacement(deps, user, {
    testId: test.id,
    itemId: item.item_id,
    answer: await rightAnswer(t, item),
  });
  assert.deepEqual(result.last_answer, { item_id: item.item_id, correct: true });
  assert.equal(result.answered, 1);
  assert.equal(result.status, "in_progress");
  assert.ok(result.current_item && result.current_item.item_id !== item.item_id);
  assert.equal(result.streak.current, 1, "awards were evaluated after the activity");

  const [stored] = await queryRows(
    t,
    "SELECT version, current_item_id, json_array_length(responses) AS answered FROM placement_tests WHERE id = ?",
    test.id,
  );
  assert.deepEqual(stored, {
    version: 1,
    current_item_id: result.current_item!.item_id,
    answered: 1,
  });
  const log = await queryRows(
    t,
    "SELECT kind, ref_id, correct, total, xp FROM activity_log WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(log, [{ kind: "placement", ref_id: test.id, correct: 1, total: 1, xp: 0 }]);
  const [day] = await queryRows(
    t,
    "SELECT actions, correct FROM daily_activity WHERE user_id = ? AND kind = 'placement'",
    user.id,
  );
  assert.deepEqual(day, { actions: 1, correct: 1 });
  const [calibrated] = await queryRows(
    t,
    "SELECT answers, correct FROM item_difficulties WHERE item_id = ?",
    item.item_id,
  );
  assert.deepEqual(calibrated, { answers: 1, correct: 1 });
  const abilities = await queryRows(
    t,
    "SELECT * FROM learner_abilities WHERE user_id = ?",
    user.id,
  );
  assert.equal(abilities.length, 0, "the ability is set once, when the test ends");
  await t.close();
});

Deno.test("the answer that ends a test places the learner and sets both abilities from the estimate", async () => {
  const t = await testApp();
  const { deps, user, test } = await startedTest(t);
  let item = test.current_item;
  let result;
  for (let n = 0; item && n < PLACEMENT_RULES.maxItems; n++) {
    result = await answerPlacement(deps, user, {
      testId: test.id,
      itemId: item.item_id,
      answer: n % 3 === 2 ? "wrong on purpose" : await rightAnswer(t, item),
    });
    item = result.current_item;
  }
  assert.ok(result);
  assert.equal(result.status, "finished");
  assert.ok(result.placement);
  assert.ok(result.stop_reason);
  const [stored] = await queryRows(
    t,
    "SELECT status, placed_level, placed_course_id, placed_lesson_id FROM placement_tests WHERE id = ?",
    test.id,
  );
  assert.deepEqual(stored, {
    status: "finished",
    placed_level: result.placement.level,
    placed_course_id: result.placement.course_id,
    placed_lesson_id: result.placement.lesson_id,
  });
  const abilities = await queryRows(
    t,
    "SELECT skill, evidence FROM learner_abilities WHERE user_id = ? ORDER BY skill",
    user.id,
  );
  assert.deepEqual(abilities, [
    { skill: "grammar", evidence: result.answered },
    { skill: "vocabulary", evidence: result.answered },
  ]);
  const [{ n }] = await queryRows(
    t,
    "SELECT count(*) AS n FROM activity_log WHERE user_id = ? AND kind = 'placement'",
    user.id,
  );
  assert.equal(n, result.answered);
  await t.close();
});

Deno.test("a refused placement answer writes nothing: not the current item, unknown test, a lost race, a finished test", async () => {
  const t = await testApp();
  const { deps, user, test } = await startedTest(t);
  const item = test.current_item!;
  const before = await learningRowCounts(t);
  await assert.rejects(
    answerPlacement(deps, user, { testId: test.id, itemId: "not-current", answer: "x" }),
    (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 409);
      assert.equal(e.extra?.current_item_id, item.item_id);
      return true;
    },
  );
  await assert.rejects(
    answerPlacement(deps, user, { testId: "nope", itemId: item.item_id, answer: "x" }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
  const other = await signUp(t);
  const stranger = await learnerDeps(t, other.user.id);
  await assert.rejects(
    answerPlacement(stranger.deps, stranger.user, {
      testId: test.id,
      itemId: item.item_id,
      answer: "x",
    }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
    "another learner's test is not found",
  );
  assert.deepEqual(await learningRowCounts(t), before);
  const [{ version }] = await queryRows(
    t,
    "SELECT version FROM placement_tests WHERE id = ?",
    test.id,
  );
  assert.equal(version, 0);

  // Two answers to the same item at once: one is recorded, the other writes nothing.
  const answer = { testId: test.id, itemId: item.item_id, answer: "x" };
  const outcomes = await Promise.allSettled([
    answerPlacement(deps, user, answer),
    answerPlacement(deps, user, answer),
  ]);
  assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
  const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
  assert.ok(lost.reason instanceof ApiError && lost.reason.status === 409);
  // Both loads are queued before either write, so the loser read the same version
  // and its conditional write (and all chained on it) found nothing to change.
  assert.match(lost.reason.message, /answered elsewhere at the same moment/);
  const [{ n }] = await queryRows(
    t,
    "SELECT count(*) AS n FROM activity_log WHERE ref_id = ?",
    test.id,
  );
  assert.equal(n, 1, "the losing answer logged nothing");

  // A finished test takes no more answers.
  await t.database.client.execute({
    sql: "UPDATE placement_tests SET status = 'finished' WHERE id = ?",
    args: [test.id],
  });
  const afterRace = await learningRowCounts(t);
  await assert.rejects(
    answerPlacement(deps, user, answer),
    (e: unknown) => e instanceof ApiError && e.status === 409 && e.extra?.reason === "finished",
  );
  assert.deepEqual(await learningRowCounts(t), afterRace);
  await t.close();
});
