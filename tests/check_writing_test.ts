/** The writing check as an action, called directly (no HTTP). */
import assert from "node:assert/strict";
import { checkWritingAnswer } from "../actions/check_writing.ts";
import { ApiError } from "../http/errors.ts";
import {
  actionTest,
  assertAwardedOnAttempt,
  assertOneActivity,
  assertPaid,
  learnerWrites,
  withRoundTrips,
} from "./action_harness.ts";
import type { TestApp } from "./helpers.ts";

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
    await assertOneActivity(t, user.id, result, {
      kind: "writing",
      skill: "writing",
      language_id: "es",
      xp: result.xp_earned,
      duration_seconds: 30,
    });
    await assertPaid(t, user.id, { credits: 1, xp: result.xp_earned });

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
    await assertAwardedOnAttempt(
      t,
      user.id,
      { achievementId: "streak-3", times: 3 },
      async (day) => {
        const result = await write();
        assert.equal(result.streak.current, day);
        return result;
      },
      () => t.clock.advance(24 * 3600_000),
    );
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
