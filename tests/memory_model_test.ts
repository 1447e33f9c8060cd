import assert from "node:assert/strict";
import { memoryModel } from "../actions/memory_model.ts";
import { DEFAULT_PARAMETERS } from "../domain/fsrs_fitting.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";

actionTest(
  "memoryModel: a new learner keeps the defaults and is told what a fit needs",
  async (_t, { deps, user }) => {
    const { result, roundTrips } = await withRoundTrips(() => memoryModel(deps, user));
    assert.equal(roundTrips, 1);
    assert.equal(result.personalized, false);
    assert.equal(result.status, "default");
    assert.deepEqual(result.parameters, [...DEFAULT_PARAMETERS]);
    assert.deepEqual([result.reviews_needed, result.words_needed], [400, 50]);
    assert.equal(result.next_fit_at_reviews, 400);
    assert.equal(result.log_loss, null);
    assert.match(result.message, /400 more reviews/);
  },
);

actionTest(
  "memoryModel: an active fit is used and compared with the defaults; bad weights are not",
  async (t, { deps, user }) => {
    const fitted = DEFAULT_PARAMETERS.map((w, i) => (i === 0 ? w * 0.5 : w));
    const at = t.clock.now().getTime();
    await t.database.client.execute({
      sql:
        "INSERT INTO fsrs_models (user_id, parameters, active, status, fitted_at, review_count, " +
        "word_count, test_reviews, default_log_loss, fitted_log_loss, attempted_at) " +
        "VALUES (?, ?, 1, 'fitted', ?, 450, 60, 90, 0.5, 0.4, ?)",
      args: [user.id, JSON.stringify(fitted), at, at],
    });
    const model = await memoryModel(deps, user);
    assert.equal(model.personalized, true);
    assert.deepEqual(model.parameters, fitted);
    assert.deepEqual(model.log_loss, { default: 0.5, fitted: 0.4, recent_reviews_compared: 90 });
    assert.equal(model.improvement_percent, 20);
    assert.equal(model.fitted_on_reviews, 450);
    assert.equal(model.next_fit_at_reviews, 950);
    // What a fit still needs is counted from the review log, not from the stored fit.
    assert.equal(model.reviews_needed, 400);

    // Weights outside FSRS's bounds are never used, even when marked active.
    await t.database.client.execute({
      sql: "UPDATE fsrs_models SET parameters = ? WHERE user_id = ?",
      args: [JSON.stringify([...DEFAULT_PARAMETERS.slice(0, 20), 5]), user.id],
    });
    const invalid = await memoryModel(deps, user);
    assert.equal(invalid.personalized, false);
    assert.deepEqual(invalid.parameters, [...DEFAULT_PARAMETERS]);
  },
);
