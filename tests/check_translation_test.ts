/** The translation check as an action, called directly (no HTTP). */
import assert from "node:assert/strict";
import { checkTranslationAnswer } from "../actions/check_translation.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, earnedAt, learnerWrites, withRoundTrips } from "./action_harness.ts";
import { assertTotalsAgree } from "./totals_check.ts";

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
    assert.deepEqual(result.new_achievements, []);
    assert.deepEqual(result.streak, { current: 1, active_today: true });
    const [log] = (await t.database.client.execute({
      sql: "SELECT kind, skill, ref_id, score, xp, duration_seconds FROM activity_log " +
        "WHERE user_id = ?",
      args: [user.id],
    })).rows;
    assert.deepEqual({ ...log }, {
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
    const writes = await learnerWrites(t, user.id);
    assert.equal(writes.item_credits, 2, "the day's credit and the mastery bonus");
    assert.equal(writes["users.xp"], result.xp_earned);
    await assertTotalsAgree(t, user.id, 50);
  },
);

actionTest(
  "the twentieth translation awards 'translator' at the moment of the attempt",
  async (t, { user, deps }) => {
    for (let i = 1; i <= 20; i++) {
      const { result, roundTrips } = await withRoundTrips(() =>
        checkTranslationAnswer(deps, user, { exerciseId: "es-t-003", userTranslation: "dos" })
      );
      const ids = result.new_achievements.map((a) => a.id);
      assert.equal(ids.includes("translator"), i === 20, `attempt ${i}: ${ids}`);
      // The award's insert is the one extra round trip, only when something is earned.
      assert.equal(roundTrips, ids.length ? 3 : 2);
    }
    assert.equal(await earnedAt(t, user.id, "translator"), t.clock.now().getTime());
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
