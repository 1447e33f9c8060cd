/** The translation check as an action, called directly (no HTTP). */
import assert from "node:assert/strict";
import { checkTranslationAnswer } from "../actions/check_translation.ts";
import { ApiError } from "../http/errors.ts";
import {
  actionTest,
  assertAwardedOnAttempt,
  assertOneActivity,
  assertPaid,
  learnerWrites,
  withRoundTrips,
} from "./action_harness.ts";

actionTest(
  "a right translation writes the attempt, activity, XP and credits in one batch",
  async (t, { user, deps }) => {
    const { result, roundTrips } = await withRoundTrips(() =>
      checkTranslationAnswer(deps, user, {
        exerciseId: "es-t-003",
        userTranslation: "por favor, dos cafés",
        timeSpentSeconds: 12,
      })
    );
    // The exercise read, then one write batch (nothing earned: no award insert).
    assert.equal(roundTrips, 2);
    assert.equal(result.correct, true);
    assert.equal(result.mastered, true);
    assert.equal(result.progress.attempts, 1);
    await assertOneActivity(t, user.id, result, {
      kind: "translation",
      skill: "writing",
      ref_id: "es-t-003",
      score: 100,
      xp: result.xp_earned,
      duration_seconds: 12,
    });
    const [progress] = (await t.database.client.execute({
      sql: "SELECT attempts, best_score, mastered_at FROM user_translations WHERE user_id = ?",
      args: [user.id],
    })).rows;
    assert.equal(progress.attempts, 1);
    assert.equal(progress.best_score, 100);
    assert.equal(progress.mastered_at, t.clock.now().getTime());
    // The day's credit and the mastery bonus.
    await assertPaid(t, user.id, { credits: 2, xp: result.xp_earned });
  },
);

actionTest(
  "the twentieth translation awards 'translator' at the moment of the attempt",
  async (t, { user, deps }) => {
    await assertAwardedOnAttempt(
      t,
      user.id,
      { achievementId: "translator", times: 20 },
      () => checkTranslationAnswer(deps, user, { exerciseId: "es-t-003", userTranslation: "dos" }),
    );
  },
);

actionTest("a refused translation check writes nothing", async (t, { user, deps }) => {
  const before = await learnerWrites(t, user.id);
  await assert.rejects(
    () => checkTranslationAnswer(deps, user, { exerciseId: "es-t-003", userTranslation: "?!" }),
    (e) => e instanceof ApiError && e.status === 400,
  );
  await assert.rejects(
    () => checkTranslationAnswer(deps, user, { exerciseId: "nope", userTranslation: "dos" }),
    (e) => e instanceof ApiError && e.status === 404,
  );
  assert.deepEqual(await learnerWrites(t, user.id), before);
});
