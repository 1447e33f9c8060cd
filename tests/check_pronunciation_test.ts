/** The pronunciation check as an action, called directly (no HTTP), with decoded bytes. */
import assert from "node:assert/strict";
import { checkPronunciation } from "../actions/check_pronunciation.ts";
import { ApiError } from "../http/errors.ts";
import {
  actionTest,
  assertAwardedOnAttempt,
  assertOneActivity,
  assertPaid,
  learnerWrites,
  withRoundTrips,
} from "./action_harness.ts";
import { fixture, pngFile, wavFile } from "./audio_fixtures.ts";

/** "hola" said by another eSpeak voice than the models' (WebM/Opus). */
const HOLA = fixture("hola_learner.webm");
const SILENCE = wavFile(1);

actionTest(
  "a scored attempt writes its activity, XP and credit in one batch",
  async (t, { user, deps }) => {
    const { result, roundTrips } = await withRoundTrips(() =>
      checkPronunciation(deps, user, {
        recording: HOLA,
        targetWord: "Hola",
        language: "es",
        transcript: "ola",
      })
    );
    // The word, its language and today's credit in one read, then one write batch (the
    // seeded clip is not rendered in tests, so there is no file to read).
    assert.equal(roundTrips, 2);
    assert.equal(result.vocabulary_id, "es-hola");
    assert.equal(result.method, "acoustic+phonetic");
    assert.ok(result.score !== null && result.score >= 80, JSON.stringify(result.evidence));
    assert.ok(result.xp_earned > 0);
    assert.equal(result.audio.byte_length, HOLA.length);
    await assertOneActivity(t, user.id, result, {
      kind: "pronunciation",
      skill: "speaking",
      ref_id: "es-hola",
      score: result.score,
      correct: 1,
      total: 1,
      xp: result.xp_earned,
    });
    await assertPaid(t, user.id, { credits: 1, xp: result.xp_earned });
  },
);

actionTest(
  "the twentieth attempt awards 'clear-voice' at the moment of the attempt",
  async (t, { user, deps }) => {
    // Silence: logged as an attempt, with no score and no XP.
    await assertAwardedOnAttempt(
      t,
      user.id,
      { achievementId: "clear-voice", times: 20 },
      async () => {
        const result = await checkPronunciation(deps, user, {
          recording: SILENCE,
          targetWord: "hola",
          language: "es",
        });
        assert.equal(result.score, null);
        return result;
      },
    );
    assert.equal((await learnerWrites(t, user.id)).activity_log, 20);
  },
);

actionTest(
  "an attempt that awards, against a stored model not read before, stays within 3 round trips",
  async (t, { user, deps }) => {
    // A file no other test has used, so its features are not in the process's cache.
    const id = `model-${crypto.randomUUID()}`;
    await t.database.client.batch([
      {
        sql: `INSERT INTO audio_assets (id, mime_type, byte_length, sha256, data, created_at)
          VALUES (?, 'audio/webm', ?, 'test', ?, 0)`,
        args: [id, HOLA.length, HOLA],
      },
      { sql: "UPDATE vocabulary SET audio_id = ? WHERE id = 'es-hola'", args: [id] },
    ]);
    // The file comes with the word's lookup: read, write batch, award insert.
    await assertAwardedOnAttempt(
      t,
      user.id,
      { achievementId: "clear-voice", times: 20 },
      async (attempt) => {
        const result = await checkPronunciation(deps, user, {
          recording: attempt < 20 ? SILENCE : HOLA,
          targetWord: "hola",
          language: "es",
        });
        if (attempt === 20) assert.equal(result.evidence.reference, "stored");
        return result;
      },
    );
  },
);

actionTest("a refused recording or word writes nothing", async (t, { user, deps }) => {
  const before = await learnerWrites(t, user.id);
  const refused = async (
    input: Parameters<typeof checkPronunciation>[2],
    status: number,
  ) =>
    await assert.rejects(
      () => checkPronunciation(deps, user, input),
      (e) => e instanceof ApiError && e.status === status,
    );
  await refused({ recording: new Uint8Array(), targetWord: "hola", language: "es" }, 400);
  await refused({ recording: pngFile(), targetWord: "hola", language: "es" }, 415);
  await refused({ recording: wavFile(16), targetWord: "hola", language: "es" }, 400);
  await refused({ recording: HOLA, targetWord: "?!", language: "es" }, 400);
  await refused({ recording: HOLA, targetWord: "hola", language: "xx" }, 404);
  await refused({ recording: HOLA, targetWord: "zzqx" }, 404);
  assert.deepEqual(await learnerWrites(t, user.id), before);
});
