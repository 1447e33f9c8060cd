import assert from "node:assert/strict";
import { practiseWord } from "../actions/practise_word.ts";
import { undoLastReview } from "../actions/undo_review.ts";
import { ApiError } from "../http/errors.ts";
import { learnerDeps, signUp, type TestApp, testApp } from "./helpers.ts";
import { failInsertsInto, tableCounts } from "./action_harness.ts";

const WRITTEN = [
  "user_vocabulary",
  "review_logs",
  "error_events",
  "activity_log",
  "daily_activity",
  "learner_totals",
  "learner_abilities",
  "item_difficulties",
] as const;

async function learnerWithWord(t: TestApp) {
  const { user } = await signUp(t);
  const { deps, user: learner } = await learnerDeps(t, user.id);
  const r = await t.database.client.execute(
    "SELECT id, translation FROM vocabulary WHERE language_id = 'es' AND word = 'casa'",
  );
  const word = { id: String(r.rows[0].id), en: JSON.parse(String(r.rows[0].translation)).en };
  return { deps, learner, word };
}

async function xpOf(t: TestApp, userId: string) {
  const r = await t.database.client.execute({
    sql: "SELECT xp FROM users WHERE id = ?",
    args: [userId],
  });
  return Number(r.rows[0].xp);
}

Deno.test("practiseWord: a right answer writes card, log, activity, totals, model and XP together", async () => {
  const t = await testApp();
  const { deps, learner, word } = await learnerWithWord(t);
  const before = await tableCounts(t, WRITTEN);
  const result = await practiseWord(deps, learner, {
    vocabularyId: word.id,
    userAnswer: word.en,
    direction: "to_native",
    responseTimeMs: 2000,
  });
  assert.equal(result.correct, true);
  assert.ok(result.xp_earned > 0);
  assert.equal(await xpOf(t, learner.id), result.xp_earned);
  const after = await tableCounts(t, WRITTEN);
  for (const table of WRITTEN) {
    const grew = table === "error_events" ? 0 : 1;
    assert.equal(after[table] - before[table], grew, table);
  }
  // The first word learned earns its achievement within the same action.
  assert.deepEqual(result.new_achievements.map((a) => a.id), ["first-word"]);
  assert.equal(result.streak.current, 1);
});

Deno.test("practiseWord: a wrong answer is rated again, pays nothing and records the error", async () => {
  const t = await testApp();
  const { deps, learner, word } = await learnerWithWord(t);
  const result = await practiseWord(deps, learner, {
    vocabularyId: word.id,
    userAnswer: "perro",
    direction: "to_native",
    responseTimeMs: 2000,
  });
  assert.equal(result.correct, false);
  assert.equal(result.rating, "again");
  assert.equal(result.xp_earned, 0);
  const errors = await t.database.client.execute({
    sql: "SELECT given, expected FROM error_events WHERE user_id = ?",
    args: [learner.id],
  });
  assert.deepEqual([...errors.rows.map((r) => [r.given, r.expected])], [[
    "perro",
    result.expected_answer,
  ]]);
});

Deno.test("practiseWord: an unknown word is not found and writes nothing", async () => {
  const t = await testApp();
  const { deps, learner } = await learnerWithWord(t);
  const before = await tableCounts(t, WRITTEN);
  await assert.rejects(
    practiseWord(deps, learner, {
      vocabularyId: "no-such-word",
      userAnswer: "x",
      direction: "to_native",
      responseTimeMs: 1000,
    }),
    (e) => e instanceof ApiError && e.code === "NOT_FOUND",
  );
  assert.deepEqual(await tableCounts(t, WRITTEN), before);
});

Deno.test("practiseWord: a fault in the middle of the batch leaves nothing half-written", async () => {
  const t = await testApp();
  const { deps, learner, word } = await learnerWithWord(t);
  await failInsertsInto(t, "review_logs");
  const before = await tableCounts(t, WRITTEN);
  await assert.rejects(practiseWord(deps, learner, {
    vocabularyId: word.id,
    userAnswer: word.en,
    direction: "to_native",
    responseTimeMs: 2000,
  }));
  assert.deepEqual(await tableCounts(t, WRITTEN), before);
  assert.equal(await xpOf(t, learner.id), 0);
});

Deno.test("undoLastReview: restores the card and takes the XP back; a second undo has nothing to undo", async () => {
  const t = await testApp();
  const { deps, learner, word } = await learnerWithWord(t);
  const before = await tableCounts(t, WRITTEN);
  await practiseWord(deps, learner, {
    vocabularyId: word.id,
    userAnswer: word.en,
    direction: "to_native",
    responseTimeMs: 2000,
  });
  const undone = await undoLastReview(deps, learner, word.id);
  assert.equal(undone.card, null); // the review created the card: undo removes it
  assert.equal(await xpOf(t, learner.id), 0);
  const after = await tableCounts(t, WRITTEN);
  assert.equal(after.user_vocabulary, before.user_vocabulary);
  assert.equal(after.activity_log, before.activity_log);
  await assert.rejects(
    undoLastReview(deps, learner, word.id),
    (e) => e instanceof ApiError && e.code === "NOT_FOUND",
  );
});
