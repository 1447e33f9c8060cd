import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { reviewQueue } from "../actions/review_queue.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";

const DAY = 86_400_000;

actionTest(
  "reviewQueue: due words most at risk first, then new words in the room left",
  async (t, { deps, user }) => {
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const first = await reviewQueue(deps, user, { limit: 20 });
    assert.equal(first.meta.language_id, "es");
    assert.equal(first.meta.due, 0);
    assert.equal(first.meta.new, 10); // the default daily allowance
    const [a, b] = first.data.map((w) => w.vocabulary_id);
    await practiseWord(deps, user, {
      vocabularyId: a,
      userAnswer: "wrong",
      direction: "to_native",
      responseTimeMs: 2000,
    });
    await practiseWord(deps, user, {
      vocabularyId: b,
      userAnswer: "x",
      difficulty: "easy",
      direction: "to_native",
      responseTimeMs: 2000,
    });
    t.clock.advance(40 * DAY);
    const { result, roundTrips } = await withRoundTrips(() =>
      reviewQueue(deps, user, { limit: 3 })
    );
    assert.ok(roundTrips <= 3);
    assert.deepEqual(result.data.map((w) => [w.vocabulary_id, w.kind]).slice(0, 2), [
      [a, "review"], // the word answered wrong is the most at risk
      [b, "review"],
    ]);
    assert.ok(result.data[0].overdue_days >= 39);
    assert.equal(result.data[2].kind, "new");
    assert.equal(result.data[2].memory, null);
    assert.deepEqual(
      [result.meta.total, result.meta.due, result.meta.new, result.meta.new_remaining_today],
      [3, 2, 1, 10],
    );
    assert.ok(!JSON.stringify(result).includes('"translation"'));
  },
);

actionTest("reviewQueue: an unknown language is a 404", async (_t, { deps, user }) => {
  await assert.rejects(
    () => reviewQueue(deps, user, { language: "xx", limit: 20 }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
});
