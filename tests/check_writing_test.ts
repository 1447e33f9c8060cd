/** The writing check as an action, called directly (no HTTP). */
import assert from "node:assert/strict";
import { checkWritingAnswer } from "../actions/check_writing.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, earnedAt, learnerWrites, withRoundTrips } from "./action_harness.ts";
import type { TestApp } from "./helpers.ts";
import { assertTotalsAgree } from "./totals_check.ts";

/** A text of five known Spanish words, substantive enough to pay XP. */
async function spanishText(t: TestApp) {
  const words = (await t.database.client.execute(
    "SELECT word FROM vocabulary WHERE language_id = 'es' AND word NOT LIKE '% %' ORDER BY word LIMIT 5",
  )).rows.map((r) => String(r.word));
  return `Hoy ${words.join(" ")} y más.`;
}

actionTest(
  "a checked text writes its activity, XP and credit in one batch",
  async (t, { user, deps }) => {
    const text = await spanishText(t);
    const { result, roundTrips } = await withRoundTrips(() =>
      checkWritingAnswer(deps, user, {
        language: "ES",
        text,
        expectedWords: [],
        timeSpentSeconds: 30,
      })
    );
    // The language, words and credits in one read, then one write batch.
    assert.equal(roundTrips, 2);
    assert.equal(result.language, "es");
    assert.ok(result.xp_earned > 0, JSON.stringify(result));
    assert.deepEqual(result.new_achievements, []);
    assert.deepEqual(result.streak, { current: 1, active_today: true });
    const [log] = (await t.database.client.execute({
      sql: "SELECT kind, skill, language_id, xp, duration_seconds FROM activity_log " +
        "WHERE user_id = ?",
      args: [user.id],
    })).rows;
    assert.deepEqual({ ...log }, {
      kind: "writing",
      skill: "writing",
      language_id: "es",
      xp: result.xp_earned,
      duration_seconds: 30,
    });
    const writes = await learnerWrites(t, user.id);
    assert.equal(writes.item_credits, 1);
    assert.equal(writes["users.xp"], result.xp_earned);
    await assertTotalsAgree(t, user.id, 50);

    // The same text again the same day: logged, but paid once.
    const again = await checkWritingAnswer(deps, user, {
      language: "es",
      text,
      expectedWords: [],
      timeSpentSeconds: 5,
    });
    assert.equal(again.xp_earned, 0);
    assert.equal((await learnerWrites(t, user.id))["users.xp"], result.xp_earned);
  },
);

actionTest(
  "writing on a third day in a row awards 'streak-3' at the moment of the text",
  async (t, { user, deps }) => {
    const write = () =>
      checkWritingAnswer(deps, user, {
        language: "es",
        text: "Yo es feliz.",
        expectedWords: [],
        timeSpentSeconds: 0,
      });
    for (let day = 1; day <= 3; day++) {
      const { result, roundTrips } = await withRoundTrips(write);
      const ids = result.new_achievements.map((a) => a.id);
      assert.equal(result.streak.current, day);
      assert.equal(ids.includes("streak-3"), day === 3, `day ${day}: ${ids}`);
      assert.equal(roundTrips, ids.length ? 3 : 2);
      t.clock.advance(24 * 3600_000);
    }
    assert.ok(await earnedAt(t, user.id, "streak-3"));
  },
);

actionTest("a text in an unknown language writes nothing", async (t, { user, deps }) => {
  const before = await learnerWrites(t, user.id);
  await assert.rejects(
    () =>
      checkWritingAnswer(deps, user, {
        language: "xx",
        text: "Hola",
        expectedWords: [],
        timeSpentSeconds: 0,
      }),
    (e) => e instanceof ApiError && e.status === 404,
  );
  assert.deepEqual(await learnerWrites(t, user.id), before);
});
