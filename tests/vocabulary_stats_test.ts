import assert from "node:assert/strict";
import { practiseWord } from "../actions/practise_word.ts";
import { vocabularyStats } from "../actions/vocabulary_stats.ts";
import { actionLearner, actionTest, withRoundTrips } from "./action_harness.ts";

const DAY = 86_400_000;

actionTest(
  "vocabularyStats: forecast, accuracy and the curve follow the learner's reviews",
  async (t, { deps, user }) => {
    const empty = await vocabularyStats(deps, user, { days: 7 });
    assert.equal(empty.forecast.length, 7);
    assert.equal(empty.cards, 0);
    assert.deepEqual([empty.accuracy_30d, empty.true_retention_30d], [null, null]);
    assert.deepEqual(empty.forgetting_curve, []);

    for (const [vocabularyId, userAnswer] of [["es-hola", "hello"], ["es-casa", "nope"]]) {
      await practiseWord(deps, user, {
        vocabularyId,
        userAnswer,
        direction: "to_native",
        responseTimeMs: 2000,
      });
    }
    t.clock.advance(DAY / 2);
    const { result, roundTrips } = await withRoundTrips(() =>
      vocabularyStats(deps, user, { days: 30 })
    );
    assert.equal(roundTrips, 1);
    assert.equal(result.forecast.length, 30);
    assert.equal(result.forecast.reduce((n, d) => n + d.due, 0), 2);
    assert.equal(result.cards, 2);
    assert.deepEqual([result.reviews_30d, result.accuracy_30d], [2, 0.5]);
    assert.equal(result.true_retention_30d, null); // neither card was in review yet
    assert.equal(result.personal_model, false);
    assert.equal(result.forgetting_curve.length, 10);
    // Another learner's statistics see none of these reviews.
    const other = await actionLearner(t);
    const theirs = await vocabularyStats(other.deps, other.user, { days: 7 });
    assert.deepEqual([theirs.cards, theirs.reviews_30d, theirs.forgetting_curve], [0, 0, []]);
  },
);
