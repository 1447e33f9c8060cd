import assert from "node:assert/strict";
import { DEFAULT_PARAMETERS } from "../domain/fsrs_fitting.ts";
import {
  CURVE_DAYS,
  forgettingCurvePoints,
  logLossView,
  modelImprovement,
  modelMessage,
  retentionSummary,
  reviewForecast,
  wordMemoryReplay,
} from "../domain/memory_report.ts";

const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 86_400_000;

Deno.test("reviewForecast: due counts land on the learner's local days; beyond the range is dropped", () => {
  const forecast = reviewForecast(
    [{ day: 0, n: 2 }, { day: 2, n: 3 }, { day: 2, n: 1 }, { day: 9, n: 5 }],
    7,
    NOW,
    "Pacific/Auckland",
  );
  assert.equal(forecast.length, 7);
  assert.equal(forecast[0].date, "2026-03-11"); // already tomorrow in Auckland
  assert.deepEqual(forecast.map((d) => d.due), [2, 0, 4, 0, 0, 0, 0]);
});

Deno.test("retentionSummary: true retention counts cards in review only; accuracy counts all", () => {
  const summary = retentionSummary([
    { stateBefore: 1, reviews: 10, correct: 4 },
    { stateBefore: 2, reviews: 8, correct: "6" },
  ]);
  assert.deepEqual(summary, {
    trueRetention: 0.75,
    matureReviews: 8,
    accuracy: 0.556,
    reviews: 18,
  });
  assert.deepEqual(retentionSummary([]), {
    trueRetention: null,
    matureReviews: 0,
    accuracy: null,
    reviews: 0,
  });
});

Deno.test("forgettingCurvePoints: recall falls over the reported days; none without reviews", () => {
  const points = forgettingCurvePoints([3, 10], DEFAULT_PARAMETERS);
  assert.deepEqual(points.map((p) => p.days), CURVE_DAYS);
  for (let i = 1; i < points.length; i++) assert.ok(points[i].recall < points[i - 1].recall);
  assert.deepEqual(forgettingCurvePoints([], DEFAULT_PARAMETERS), []);
});

Deno.test("model fit: improvement, rounded losses and the message the learner reads", () => {
  const fit = {
    status: "fitted",
    active: true,
    defaultLogLoss: 0.5,
    fittedLogLoss: 0.4,
    testReviews: 80,
  };
  assert.equal(modelImprovement(fit), 0.19999999999999996);
  assert.deepEqual(logLossView(fit), { default: 0.5, fitted: 0.4, recent_reviews_compared: 80 });
  assert.equal(modelImprovement(null), null);
  assert.equal(logLossView({ ...fit, fittedLogLoss: null }), null);
  assert.match(modelMessage(fit, { reviews: 0, words: 0 }, 0.2), /20% better/);
  assert.match(
    modelMessage(null, { reviews: 12, words: 3 }, null),
    /After 12 more reviews and reviews of 3 more words/,
  );
  assert.match(
    modelMessage({ ...fit, status: "failed", active: false }, { reviews: 0, words: 0 }, null),
    /did not work out/,
  );
  assert.match(
    modelMessage({ ...fit, active: false }, { reviews: 0, words: 0 }, -0.1),
    /stay on the standard model/,
  );
});

Deno.test("wordMemoryReplay: a history per graded review and a falling recall forecast", () => {
  const replay = wordMemoryReplay(
    DEFAULT_PARAMETERS,
    [
      { rating: 3, reviewedAt: new Date(NOW.getTime() - 10 * DAY) },
      { rating: 0, reviewedAt: new Date(NOW.getTime() - 9 * DAY) }, // not a graded review
      { rating: 1, reviewedAt: new Date(NOW.getTime() - 4 * DAY) },
      { rating: 3, reviewedAt: new Date(NOW.getTime() - 1 * DAY) },
    ],
    { now: NOW, days: 5, timezone: "UTC" },
  );
  assert.deepEqual(replay.history.map((h) => [h.rating, h.elapsed_days]), [
    ["good", 0],
    ["again", 6],
    ["good", 3],
  ]);
  assert.equal(replay.history[0].predicted_recall, null);
  assert.ok(replay.history[1].stability_days < replay.history[0].stability_days);
  assert.equal(replay.forecast.length, 6);
  assert.deepEqual(replay.forecast.map((f) => f.days_from_now), [0, 1, 2, 3, 4, 5]);
  assert.equal(replay.forecast[0].date, "2026-03-10");
  for (let i = 1; i < replay.forecast.length; i++) {
    assert.ok(replay.forecast[i].recall <= replay.forecast[i - 1].recall);
  }
  assert.deepEqual(
    wordMemoryReplay(DEFAULT_PARAMETERS, [], { now: NOW, days: 5, timezone: "UTC" }),
    {
      history: [],
      forecast: [],
    },
  );
});
