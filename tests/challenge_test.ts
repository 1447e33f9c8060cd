import assert from "node:assert/strict";
import { answerChallenge, startChallenge } from "../actions/challenge.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, tableCounts, withRoundTrips } from "./action_harness.ts";
import type { TestApp } from "./helpers.ts";

async function runRow(t: TestApp, id: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT correct, answered, version FROM challenge_runs WHERE id = ?",
    args: [id],
  });
  const row = rows[0];
  return {
    correct: Number(row.correct),
    answered: JSON.parse(String(row.answered)),
    version: Number(row.version),
  };
}

async function keyOf(t: TestApp, id: string, q: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT questions FROM challenge_runs WHERE id = ?",
    args: [id],
  });
  return (JSON.parse(String(rows[0].questions)) as { id: string; answer: string }[])
    .find((x) => x.id === q)!.answer;
}

actionTest(
  "challenge: a run is stored with its keys; answers score until the deadline",
  async (t, { deps, user }) => {
    const run = await startChallenge(deps, user, {
      language: "es",
      durationSeconds: 60,
      levels: ["A1"],
    });
    assert.equal(run.questions.length, 60);
    assert.equal(run.deadline, new Date(t.clock.now().getTime() + 60_000).toISOString());
    assert.ok(!JSON.stringify(run).includes('"answer"'));

    const key = await keyOf(t, run.id, "q1");
    t.clock.advance(10_000);
    const { result, roundTrips } = await withRoundTrips(() =>
      answerChallenge(deps, user, { challengeId: run.id, questionId: "q1", answer: key })
    );
    assert.equal(roundTrips, 2); // read the run, one conditional write
    assert.deepEqual(result, {
      question_id: "q1",
      correct: true,
      correct_answer: key,
      score: 1,
      seconds_left: 50,
    });
    const wrong = await answerChallenge(deps, user, {
      challengeId: run.id,
      questionId: "q2",
      answer: "nope",
    });
    assert.equal(wrong.correct, false);
    assert.equal(wrong.score, 1);
    assert.deepEqual(await runRow(t, run.id), {
      correct: 1,
      answered: { q1: true, q2: false },
      version: 2,
    });

    // Racing answers to different questions all count, each once.
    const race = await Promise.all(
      ["q3", "q4", "q5"].map(async (questionId) =>
        answerChallenge(deps, user, {
          challengeId: run.id,
          questionId,
          answer: await keyOf(t, run.id, questionId),
        })
      ),
    );
    assert.deepEqual(
      race.map((r) => r.score).sort(),
      [2, 3, 4],
    );
    assert.equal((await runRow(t, run.id)).correct, 4);
  },
);

actionTest(
  "challenge: late, repeated and unknown answers are refused and write nothing",
  async (t, { deps, user }) => {
    await assert.rejects(
      () => startChallenge(deps, user, { language: "xx", durationSeconds: 60, levels: ["A1"] }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    const run = await startChallenge(deps, user, {
      language: "es",
      durationSeconds: 30,
      levels: ["A1"],
    });
    const key = await keyOf(t, run.id, "q1");
    await answerChallenge(deps, user, { challengeId: run.id, questionId: "q1", answer: key });
    const before = await runRow(t, run.id);
    const refused = async (questionId: string, status: number) =>
      await assert.rejects(
        () => answerChallenge(deps, user, { challengeId: run.id, questionId, answer: key }),
        (e: unknown) => e instanceof ApiError && e.status === status,
      );
    await refused("q1", 409); // answered already
    await refused("q99", 400);
    await assert.rejects(
      () => answerChallenge(deps, user, { challengeId: "nope", questionId: "q1", answer: key }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    t.clock.advance(33_000);
    await assert.rejects(
      () => answerChallenge(deps, user, { challengeId: run.id, questionId: "q2", answer: key }),
      (e: unknown) =>
        e instanceof ApiError && e.status === 409 && e.extra?.reason === "deadline_passed",
    );
    assert.deepEqual(await runRow(t, run.id), before);
    assert.deepEqual(await tableCounts(t, ["challenge_runs"]), { challenge_runs: 1 });
  },
);
