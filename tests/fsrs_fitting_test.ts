import assert from "node:assert/strict";
import {
  clipParameters,
  DEFAULT_PARAMETERS,
  fitAndEvaluate,
  FitError,
  fitParameters,
  forgettingCurve,
  logLoss,
  lossAndGradient,
  PARAMETER_BOUNDS,
  parametersValid,
  predictions,
  replayCard,
  type ReviewEvent,
} from "../domain/fsrs_fitting.ts";
import { randomTrueWeights, simulateLearner } from "../domain/fsrs_simulation.ts";
import { seededRandom } from "../domain/random.ts";
import { type CardState, review } from "../domain/spaced_repetition.ts";

const DAY = 86_400_000;

Deno.test("the analytic gradient matches finite differences for every weight", () => {
  const { history } = simulateLearner({ seed: 5, reviews: 1200 });
  // Off the defaults so no weight sits on a clamp (w7 defaults to its lower bound).
  const w = [...DEFAULT_PARAMETERS];
  w[7] = 0.05;
  w[17] = 0.5;
  w[18] = 0.3;
  w[19] = 0.1;
  const { gradient } = lossAndGradient(w, history);
  for (let j = 0; j < 21; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(w[j]));
    const up = [...w];
    up[j] += h;
    const down = [...w];
    down[j] -= h;
    const numeric = (lossAndGradient(up, history).loss - lossAndGradient(down, history).loss) /
      (2 * h);
    assert.ok(
      Math.abs(gradient[j] - numeric) < 1e-3 * Math.max(1, Math.abs(numeric)),
      `w${j}: analytic ${gradient[j]} vs numeric ${numeric}`,
    );
  }
});

Deno.test("the fitting model computes the same memory as the scheduler (ts-fsrs)", () => {
  const w = randomTrueWeights(seededRandom(9));
  const options = { desiredRetention: 0.9, maximumIntervalDays: 365, fuzz: false, parameters: w };
  const ratings = [3, 1, 1, 3, 2, 4, 3, 1, 3, 3] as const;
  const gaps = [0, 0, 1, 0, 3, 7, 20, 45, 0, 12];
  let card: CardState | null = null;
  let now = Date.UTC(2026, 0, 5, 9);
  const steps = [];
  for (let i = 0; i < ratings.length; i++) {
    now += gaps[i] * DAY + 10 * 60_000;
    card = review(card, { rating: ratings[i], correct: ratings[i] > 1 }, new Date(now), options)
      .card;
    steps.push({ stability: card.stability, difficulty: card.difficulty });
  }
  const replay = replayCard(w, ratings.map((rating, i) => ({ rating, elapsedDays: gaps[i] })));
  for (let i = 0; i < steps.length; i++) {
    assert.ok(
      Math.abs(replay[i].stability - steps[i].stability) < 1e-5 * Math.max(1, steps[i].stability),
      `review ${i}: stability ${replay[i].stability} vs scheduler ${steps[i].stability}`,
    );
    assert.ok(
      Math.abs(replay[i].difficulty - steps[i].difficulty) < 1e-5,
      `review ${i} difficulty`,
    );
  }
});

Deno.test("fitting recovers a synthetic learner's memory better than the defaults", async () => {
  const learner = simulateLearner({ seed: 101, reviews: 8000 });
  const report = await fitAndEvaluate(learner.history);
  assert.ok(report.better, `fitted ${report.fittedLogLoss} vs default ${report.defaultLogLoss}`);
  const sorted = [...learner.history].sort((a, b) => +a.reviewedAt - +b.reviewedAt);
  const boundary = sorted[Math.floor(sorted.length * 0.8)].reviewedAt;
  const trueLoss = logLoss(predictions(sorted, learner.trueWeights, boundary));
  // The fit comes close to what the true weights themselves achieve on the newer reviews.
  assert.ok(
    report.fittedLogLoss - trueLoss < 0.5 * (report.defaultLogLoss - trueLoss) + 0.002,
    `fitted ${report.fittedLogLoss}, true ${trueLoss}, default ${report.defaultLogLoss}`,
  );
  const days = [1, 7, 30];
  const truth = forgettingCurve(learner.history, learner.trueWeights, days);
  const fitted = forgettingCurve(learner.history, report.parameters, days);
  for (let i = 0; i < days.length; i++) {
    assert.ok(
      Math.abs(fitted[i] - truth[i]) / truth[i] < 0.1,
      `day ${days[i]}: ${fitted[i]} vs ${truth[i]}`,
    );
  }
});

Deno.test("a fit moves initial stability toward a learner who forgets fast", async () => {
  const truth = [...DEFAULT_PARAMETERS];
  truth[2] = 0.6; // a first "good" lasts about half a day, not 2.3 days
  truth[20] = 0.5;
  const { history } = simulateLearner({ seed: 7, reviews: 5000, trueWeights: truth });
  const w = await fitParameters(history);
  assert.ok(Math.abs(w[2] - 0.6) < Math.abs(DEFAULT_PARAMETERS[2] - 0.6), `w2 = ${w[2]}`);
});

Deno.test("weights are clipped to FSRS-6's bounds, even when the data pull them beyond", async () => {
  // Every word recalled, whatever the gap: the data ask for unbounded stability.
  const history: ReviewEvent[] = [];
  for (let c = 0; c < 60; c++) {
    let t = Date.UTC(2026, 0, 1) + c * 3_600_000;
    for (const gap of [0, 60, 300, 1000, 3000]) {
      t += gap * DAY;
      history.push({ cardId: `c${c}`, rating: 4, reviewedAt: new Date(t) });
    }
  }
  // No pull toward the defaults and big steps, so the optimiser runs into the bounds.
  const w = await fitParameters(history, { gamma: 0, learningRate: 0.5, epochs: 20 });
  assert.ok(parametersValid(w));
  w.forEach((x, i) => {
    assert.ok(x >= PARAMETER_BOUNDS[i][0] && x <= PARAMETER_BOUNDS[i][1], `w${i} = ${x}`);
  });
  // Initial stability for "easy", stability's own damping and the decay sit on their bounds.
  assert.equal(w[3], PARAMETER_BOUNDS[3][1]);
  assert.equal(w[9], PARAMETER_BOUNDS[9][0]);
  assert.equal(w[20], PARAMETER_BOUNDS[20][1]);
  assert.deepEqual(clipParameters(Array(21).fill(1e9)), PARAMETER_BOUNDS.map(([, hi]) => hi));
  assert.equal(parametersValid([...DEFAULT_PARAMETERS.slice(0, 20), 5]), false);
  assert.equal(parametersValid([...DEFAULT_PARAMETERS.slice(0, 20), NaN]), false);
});

Deno.test("too little data is refused with how much is needed", async () => {
  const history: ReviewEvent[] = [];
  for (let c = 0; c < 10; c++) {
    history.push({ cardId: `c${c}`, rating: 3, reviewedAt: new Date(Date.UTC(2026, 0, 1)) });
    history.push({ cardId: `c${c}`, rating: 3, reviewedAt: new Date(Date.UTC(2026, 0, 3)) });
  }
  await assert.rejects(fitParameters(history), (e: unknown) => {
    assert.ok(e instanceof FitError);
    assert.equal(e.reason, "insufficient");
    assert.deepEqual(e.details, { scored: 10, needed: 64 });
    return true;
  });
  await assert.rejects(fitParameters([]), FitError);
});

Deno.test("a fit repeats exactly and yields control between batches", async () => {
  const { history } = simulateLearner({ seed: 3, reviews: 3000 });
  let yields = 0;
  const a = await fitParameters(history, {
    yieldControl: () => {
      yields++;
      return Promise.resolve();
    },
  });
  const b = await fitParameters(history);
  assert.deepEqual(a, b);
  assert.ok(yields >= 5, `yielded ${yields} times`);
});
