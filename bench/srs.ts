/**
 * `deno task bench:srs`: how well per-learner FSRS fitting works, on synthetic
 * learners whose true weights are known (domain/fsrs_simulation.ts: noisy
 * ratings, same-day repeats, lapses, skipped days, intervals from the app's own
 * scheduler; 2,000–20,000 reviews each). Each learner is fitted on the oldest
 * 80% of their reviews and scored on the newest 20%: log loss and srs-benchmark's
 * RMSE over bins (elapsed days × review number × lapses), defaults vs fitted
 * (and the true weights, the floor). Also: forgetting curves recovered at 1, 7
 * and 30 days, and the time to fit 10,000 reviews. Writes bench/results/srs.json
 * and prints the README's table from it.
 */
import {
  DEFAULT_PARAMETERS,
  fitAndEvaluate,
  fitParameters,
  forgettingCurve,
  logLoss,
  type Prediction,
  predictions,
} from "../domain/fsrs_fitting.ts";
import { simulateLearner } from "../domain/fsrs_simulation.ts";
import { timeSlicedYield } from "../platform/yielding.ts";

const LEARNERS = Number(Deno.env.get("SRS_LEARNERS") ?? 40);
const CURVE_DAYS = [1, 7, 30];

/** srs-benchmark's RMSE (bins): predictions grouped by binned gap, review number and lapses. */
export function rmseBins(preds: readonly Prediction[]): number {
  const bin = (x: number, a: number, b: number, digits: number) => {
    const v = a * Math.pow(b, Math.floor(Math.log(x) / Math.log(b)));
    return Math.round(v * 10 ** digits) / 10 ** digits;
  };
  const groups = new Map<string, { n: number; y: number; p: number }>();
  for (const p of preds) {
    const key = [
      bin(p.elapsedDays, 2.48, 3.62, 2),
      bin(p.reviewNumber, 1.99, 1.89, 0),
      p.lapses === 0 ? 0 : bin(p.lapses, 1.65, 1.73, 0),
    ].join("|");
    const g = groups.get(key) ?? { n: 0, y: 0, p: 0 };
    g.n++;
    g.y += p.recalled ? 1 : 0;
    g.p += p.predicted;
    groups.set(key, g);
  }
  let sum = 0;
  let n = 0;
  for (const g of groups.values()) {
    sum += g.n * (g.y / g.n - g.p / g.n) ** 2;
    n += g.n;
  }
  return Math.sqrt(sum / n);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Fits and scores `LEARNERS` synthetic learners whose weights stray `spread` from the defaults. */
async function runLearners(spread: number) {
  const rows = [];
  for (let i = 0; i < LEARNERS; i++) {
    const reviews = 2000 + Math.round((18_000 * i) / Math.max(1, LEARNERS - 1));
    const learner = simulateLearner({ seed: 1000 + i, reviews, spread });
    const history = learner.history;
    const t0 = performance.now();
    const report = await fitAndEvaluate(history);
    const fitMs = performance.now() - t0;
    const boundary = [...history].sort((a, b) => +a.reviewedAt - +b.reviewedAt)[
      Math.floor(history.length * 0.8)
    ].reviewedAt;
    const scored = (w: readonly number[]) => {
      const preds = predictions(history, w, boundary);
      return { log_loss: r4(logLoss(preds)), rmse_bins: r4(rmseBins(preds)) };
    };
    const byDefault = scored(DEFAULT_PARAMETERS);
    const byFit = scored(report.parameters);
    const curve = (w: readonly number[]) => forgettingCurve(history, w, CURVE_DAYS);
    const trueCurve = curve(learner.trueWeights);
    const relErr = (c: number[]) => c.map((x, k) => r4(Math.abs(x - trueCurve[k]) / trueCurve[k]));
    rows.push({
      learner: i,
      reviews: history.length,
      words: report.words,
      test_scored_reviews: report.testScored,
      fit_ms: Math.round(fitMs),
      default: byDefault,
      fitted: byFit,
      true_weights: scored(learner.trueWeights),
      fitted_beats_default: report.fittedLogLoss < report.defaultLogLoss,
      true_beats_default: scored(learner.trueWeights).log_loss < byDefault.log_loss,
      curve_true: trueCurve.map(r4),
      curve_rel_error_fitted: relErr(curve(report.parameters)),
      curve_rel_error_default: relErr(curve(DEFAULT_PARAMETERS)),
    });
    console.error(
      `spread ${spread}, learner ${i}: ${history.length} reviews, log loss ${byDefault.log_loss} → ${byFit.log_loss}, fit ${
        Math.round(fitMs)
      } ms`,
    );
  }
  return rows;
}

type Row = Awaited<ReturnType<typeof runLearners>>[number];

function summarize(rows: Row[]) {
  const beat = rows.filter((r) => r.fitted_beats_default).length;
  const pct = (xs: number[]) => xs.map((x) => r4(x));
  return {
    learners: rows.length,
    reviews_per_learner: [
      Math.min(...rows.map((r) => r.reviews)),
      Math.max(...rows.map((r) => r.reviews)),
    ],
    fitted_beats_default: beat,
    fitted_beats_default_share: r4(beat / rows.length),
    true_weights_beat_default: rows.filter((r) => r.true_beats_default).length,
    mean_log_loss: {
      default: r4(mean(rows.map((r) => r.default.log_loss))),
      fitted: r4(mean(rows.map((r) => r.fitted.log_loss))),
      true_weights: r4(mean(rows.map((r) => r.true_weights.log_loss))),
    },
    mean_rmse_bins: {
      default: r4(mean(rows.map((r) => r.default.rmse_bins))),
      fitted: r4(mean(rows.map((r) => r.fitted.rmse_bins))),
      true_weights: r4(mean(rows.map((r) => r.true_weights.rmse_bins))),
    },
    curve_days: CURVE_DAYS,
    curve_within_10pct_fitted: CURVE_DAYS.map((_, k) =>
      rows.filter((r) => r.curve_rel_error_fitted[k] <= 0.1).length
    ),
    curve_max_rel_error_fitted: pct(
      CURVE_DAYS.map((_, k) => Math.max(...rows.map((r) => r.curve_rel_error_fitted[k]))),
    ),
    curve_mean_rel_error_fitted: pct(
      CURVE_DAYS.map((_, k) => mean(rows.map((r) => r.curve_rel_error_fitted[k]))),
    ),
    curve_mean_rel_error_default: pct(
      CURVE_DAYS.map((_, k) => mean(rows.map((r) => r.curve_rel_error_default[k]))),
    ),
  };
}

const started = performance.now();
// Learners as spread as real users (fsrs-rs's per-weight spread), then half as spread:
// the closer learners are to the defaults, the less a fit can gain on them.
const rows = await runLearners(1);
const halfSpread = summarize(await runLearners(0.5));

// Fit time for 10,000 reviews (pre-training and all epochs), five runs: straight through,
// then as the server runs it, yielding to the event loop every 10 ms of work; the longest
// stretch without a yield is how long a fit can hold up other requests.
const tenK = simulateLearner({ seed: 77, reviews: 10_000 }).history;
const times: number[] = [];
const yielding: number[] = [];
let longestSlice = 0;
for (let k = 0; k < 5; k++) {
  let t = performance.now();
  await fitParameters(tenK);
  times.push(performance.now() - t);
  t = performance.now();
  const sliced = timeSlicedYield();
  let last = performance.now();
  await fitParameters(tenK, {
    yieldControl: async () => {
      await sliced();
      const now = performance.now();
      longestSlice = Math.max(longestSlice, now - last);
      last = now;
    },
  });
  yielding.push(performance.now() - t);
}
times.sort((a, b) => a - b);
yielding.sort((a, b) => a - b);

const summary = {
  ...summarize(rows),
  fit_10k_reviews_ms: {
    median: Math.round(times[2]),
    max: Math.round(times[4]),
    yielding_median: Math.round(yielding[2]),
    longest_slice_between_yields: Math.round(longestSlice * 10) / 10,
  },
};

const result = {
  benchmark: "bench/srs.ts",
  date: new Date().toISOString(),
  machine: {
    note: "Shared machine: 2 cores used by about six agents at once, so times are noisy " +
      "(compare within one run).",
    deno: Deno.version.deno,
    v8: Deno.version.v8,
  },
  method: "Synthetic learners from known FSRS-6 weights (domain/fsrs_simulation.ts); fit on " +
    "the oldest 80% of reviews by time, scored on the newest 20% (later-day reviews only). " +
    "RMSE (bins) as srs-benchmark's rmse_matrix. Forgetting curve: mean recall t days after " +
    "each word's last review, fitted vs true weights.",
  summary,
  half_spread_summary: halfSpread,
  learners: rows,
};
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("./results/srs.json", import.meta.url),
  JSON.stringify(result, null, 2) + "\n",
);

/** The README's table, from the summary just written. */
function readmeTable(s: typeof summary, h: typeof halfSpread): string {
  const pct = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(1)}%`).join(" / ");
  const n = s.learners;
  const f = s.fit_10k_reviews_ms;
  return [
    `| ${n} synthetic learners, ${s.reviews_per_learner[0].toLocaleString("en")}–${
      s.reviews_per_learner[1].toLocaleString("en")
    } reviews each | defaults | fitted | true weights |`,
    "| --- | --- | --- | --- |",
    `| log loss on the newest 20%, mean | ${s.mean_log_loss.default} | ${s.mean_log_loss.fitted} | ${s.mean_log_loss.true_weights} |`,
    `| RMSE (bins), mean | ${s.mean_rmse_bins.default} | ${s.mean_rmse_bins.fitted} | ${s.mean_rmse_bins.true_weights} |`,
    `| learners whose log loss beats the defaults' | | ${s.fitted_beats_default}/${n} | ${s.true_weights_beat_default}/${n} |`,
    `| same, learners half as far from the defaults | | ${h.fitted_beats_default}/${h.learners} | ${h.true_weights_beat_default}/${h.learners} |`,
    `| forgetting-curve error at 1 / 7 / 30 days, mean | ${pct(s.curve_mean_rel_error_default)} | ${
      pct(s.curve_mean_rel_error_fitted)
    } | 0 |`,
    `| forgetting-curve error at 1 / 7 / 30 days, worst learner | | ${
      pct(s.curve_max_rel_error_fitted)
    } | |`,
    `| learners with the fitted curve within 10% at 1 / 7 / 30 days | | ${
      s.curve_within_10pct_fitted.join(" / ")
    } of ${n} | |`,
    "",
    `Fit of 10,000 reviews: median ${f.median} ms, slowest ${f.max} ms of 5; yielding to the ` +
    `event loop every 10 ms of work (as the server does), median ${f.yielding_median} ms, ` +
    `the longest stretch without a yield ${f.longest_slice_between_yields} ms.`,
  ].join("\n");
}
console.log(readmeTable(summary, halfSpread));
console.error(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
