/**
 * Fits the 21 FSRS-6 weights to one learner's review history, in pure TypeScript
 * so it runs wherever the API runs (Deno Deploy included).
 *
 * It follows the reference optimiser (fsrs-rs `compute_parameters`):
 * 1. Reviews are grouped per card; the gap of each review is in whole days as
 *    the scheduler counts them (ts-fsrs's UTC calendar days). A review on the
 *    same day as the previous one is a short-term step (w17–w19), as ts-fsrs
 *    applies it; only reviews on a later day are predicted and scored, as in
 *    fsrs-rs and srs-benchmark.
 * 2. Pre-training: the initial stability of each first rating (w0–w3) is fitted
 *    to the recall observed at the card's first later-day review, then missing
 *    ratings are filled and the four made non-decreasing.
 * 3. Gradient descent: Adam (lr 0.04, cosine annealing), mini-batches of about
 *    512 scored reviews, 5 epochs, an L2 pull toward the starting weights scaled
 *    by fsrs-rs's per-weight spreads (gamma 1), weights clipped to FSRS-6's
 *    bounds after every step, and the best epoch by training loss kept.
 *
 * Differences from fsrs-rs (also in the README): gradients are exact
 * forward-mode derivatives carried along each card's whole sequence, so one pass
 * over a card scores every one of its reviews (fsrs-rs evaluates each prefix as a
 * separate item; the sum is the same loss); a batch is a set of whole cards, not
 * of prefixes; there is no recency weighting; pre-training minimises log loss
 * with a golden-section search on log-stability plus a weak pull toward the
 * default instead of fsrs-rs's fit-and-smooth rules.
 */
import { CLAMP_PARAMETERS, default_w, W17_W18_Ceiling } from "ts-fsrs";
import { seededRandom, shuffled } from "./random.ts";

export type Grade = 1 | 2 | 3 | 4;

export interface ReviewEvent {
  cardId: string;
  rating: Grade;
  reviewedAt: Date;
}

export const PARAMETER_COUNT = 21;
export const DEFAULT_PARAMETERS: readonly number[] = Object.freeze([...default_w]);
/** FSRS-6's bounds for each weight (ts-fsrs, short-term steps on, one relearning step). */
export const PARAMETER_BOUNDS: readonly (readonly [number, number])[] = CLAMP_PARAMETERS(
  W17_W18_Ceiling,
  true,
).map(([lo, hi]) => [lo, hi] as const);
/** fsrs-rs's spread of each weight across users: how hard the L2 pull holds each one. */
export const PARAMS_STDDEV: readonly number[] = [
  6.43,
  9.66,
  17.58,
  27.85,
  0.57,
  0.28,
  0.6,
  0.12,
  0.39,
  0.18,
  0.33,
  0.3,
  0.09,
  0.16,
  0.57,
  0.25,
  1.03,
  0.31,
  0.32,
  0.14,
  0.27,
];
const S_MIN = 0.001;
const S_MAX = 36500;
const R_EPS = 1e-4;
const LN_09 = Math.log(0.9);

export interface FitOptions {
  /** Passes over the history; default 5, or more to make `minSteps` steps. */
  epochs?: number;
  /** Fewest gradient steps when `epochs` is not given (100). */
  minSteps?: number;
  /** Scored reviews per gradient step (whole cards are kept together). */
  batchSize?: number;
  learningRate?: number;
  /** Strength of the pull toward the starting weights (fsrs-rs's gamma). */
  gamma?: number;
  /** Fewer scored (later-day) reviews than this: no fit. */
  minScoredReviews?: number;
  /** Seed for the batch order, so a fit repeats exactly. */
  seed?: number;
  /**
   * Called between batches; a fit that runs in the server awaits a macrotask
   * here so other requests are served in between.
   */
  yieldControl?: () => Promise<void>;
}

export class FitError extends Error {
  constructor(
    readonly reason: "insufficient" | "diverged",
    message: string,
    readonly details: Record<string, number> = {},
  ) {
    super(message);
  }
}

/** One card's reviews, ordered, as grades and whole-day gaps (0 for the first). */
interface CardHistory {
  ratings: Uint8Array;
  gaps: Float64Array;
  /** Epoch ms of each review. */
  times: Float64Array;
}

const DAY_MS = 86_400_000;
/** The UTC calendar day of an instant: gaps count days as ts-fsrs's `dateDiffInDays` does. */
const utcDay = (ms: number) => Math.floor(ms / DAY_MS);

/** Groups reviews by card and orders each card's reviews in time. */
export function cardHistories(history: readonly ReviewEvent[]): CardHistory[] {
  const byCard = new Map<string, ReviewEvent[]>();
  for (const r of history) {
    const list = byCard.get(r.cardId);
    if (list) list.push(r);
    else byCard.set(r.cardId, [r]);
  }
  const cards: CardHistory[] = [];
  for (const reviews of byCard.values()) {
    reviews.sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
    const ratings = new Uint8Array(reviews.length);
    const gaps = new Float64Array(reviews.length);
    const times = new Float64Array(reviews.length);
    for (let i = 0; i < reviews.length; i++) {
      ratings[i] = reviews[i].rating;
      times[i] = reviews[i].reviewedAt.getTime();
      gaps[i] = i === 0 ? 0 : Math.max(0, utcDay(times[i]) - utcDay(times[i - 1]));
    }
    cards.push({ ratings, gaps, times });
  }
  return cards;
}

/** Reviews a fit can be scored on: those on a later day than the card's previous review. */
export function scoredReviews(history: readonly ReviewEvent[]): number {
  return cardHistories(history).reduce((n, c) => n + scoredCount(c), 0);
}

function scoredCount(card: CardHistory): number {
  let n = 0;
  for (let i = 1; i < card.gaps.length; i++) if (card.gaps[i] > 0) n++;
  return n;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/** Forgetting curve R(t, S) with FSRS-6's trainable decay w20. */
export function recall(w: readonly number[], elapsedDays: number, stability: number): number {
  const decay = -w[20];
  const factor = Math.exp(LN_09 / decay) - 1;
  return Math.pow(1 + (factor * elapsedDays) / stability, decay);
}

/** Memory state after each review of a card, and the prediction made before each one. */
export interface ReplayStep {
  rating: Grade;
  elapsedDays: number;
  /** Predicted recall before the review (null for the first, which has no memory yet). */
  predicted: number | null;
  stability: number;
  difficulty: number;
}

export interface Memory {
  stability: number;
  difficulty: number;
}

/**
 * The memory after one review under `w` (FSRS-6 as ts-fsrs computes it, short-term
 * steps on): `before` null for a first review; `elapsedDays` in whole days.
 */
export function nextMemory(
  w: readonly number[],
  before: Memory | null,
  rating: Grade,
  elapsedDays: number,
): Memory {
  const g = rating;
  if (!before) {
    return {
      stability: clamp(w[g - 1], S_MIN, S_MAX),
      difficulty: clamp(w[4] - Math.exp(w[5] * (g - 1)) + 1, 1, 10),
    };
  }
  const { stability: s, difficulty: d } = before;
  const t = elapsedDays;
  let next: number;
  if (t === 0) {
    let sinc = Math.exp(w[17] * (g - 3 + w[18])) * Math.pow(s, -w[19]);
    if (g >= 2) sinc = Math.max(sinc, 1);
    next = s * sinc;
  } else {
    const r = recall(w, t, s);
    if (g === 1) {
      const fail = w[11] * Math.pow(d, -w[12]) * (Math.pow(s + 1, w[13]) - 1) *
        Math.exp((1 - r) * w[14]);
      next = Math.min(Math.max(s / Math.exp(w[17] * w[18]), S_MIN), fail);
    } else {
      const bonus = g === 2 ? w[15] : g === 4 ? w[16] : 1;
      next = s * (1 + Math.exp(w[8]) * (11 - d) * Math.pow(s, -w[9]) *
          (Math.exp((1 - r) * w[10]) - 1) * bonus);
    }
  }
  const d0Easy = w[4] - Math.exp(3 * w[5]) + 1;
  const damped = d + (-w[6] * (g - 3) * (10 - d)) / 9;
  return {
    stability: clamp(next, S_MIN, S_MAX),
    difficulty: clamp(w[7] * d0Easy + (1 - w[7]) * damped, 1, 10),
  };
}

/** Replays one card's reviews under `w`. */
export function replayCard(
  w: readonly number[],
  reviews: readonly { rating: Grade; elapsedDays: number }[],
): ReplayStep[] {
  const out: ReplayStep[] = [];
  let memory: Memory | null = null;
  for (const { rating, elapsedDays } of reviews) {
    const predicted = memory && elapsedDays > 0 ? recall(w, elapsedDays, memory.stability) : null;
    const gap = memory ? elapsedDays : 0;
    memory = nextMemory(w, memory, rating, gap);
    out.push({ rating, elapsedDays: gap, predicted, ...memory });
  }
  return out;
}

/**
 * Log loss of one card under `w` and, when `grad` is given, its gradient added
 * into `grad`: forward-mode derivatives of (S, D) with respect to every weight,
 * carried along the sequence. Returns [loss sum, scored reviews].
 */
function cardLoss(
  w: readonly number[],
  card: CardHistory,
  grad: Float64Array | null,
  scratch: Float64Array,
): [number, number] {
  const n = PARAMETER_COUNT;
  // scratch: gS, gD, new gS, new gD
  const gS = scratch.subarray(0, n);
  const gD = scratch.subarray(n, 2 * n);
  const nS = scratch.subarray(2 * n, 3 * n);
  const nD = scratch.subarray(3 * n, 4 * n);
  const { ratings, gaps } = card;
  const g0 = ratings[0];
  let s = w[g0 - 1];
  let d = w[4] - Math.exp(w[5] * (g0 - 1)) + 1;
  if (grad) {
    gS.fill(0);
    gD.fill(0);
    if (s > S_MIN && s < S_MAX) gS[g0 - 1] = 1;
    if (d > 1 && d < 10) {
      gD[4] = 1;
      gD[5] = -(g0 - 1) * Math.exp(w[5] * (g0 - 1));
    }
  }
  s = clamp(s, S_MIN, S_MAX);
  d = clamp(d, 1, 10);
  const w20 = w[20];
  const factor = Math.exp(LN_09 / -w20) - 1;
  // d factor / d w20
  const dFactor = ((factor + 1) * LN_09) / (w20 * w20);
  const d0Easy = w[4] - Math.exp(3 * w[5]) + 1;
  let loss = 0;
  let scored = 0;
  for (let i = 1; i < ratings.length; i++) {
    const g = ratings[i];
    const t = gaps[i];
    // Retrievability and its partials (with respect to S and w20).
    const u = 1 + (factor * t) / s;
    let r = Math.pow(u, -w20);
    let dRdS = (r * w20 * factor * t) / (u * s * s);
    let dRdW20 = r * (-Math.log(u) - (w20 * t * dFactor) / (s * u));
    if (t > 0) {
      const y = g > 1 ? 1 : 0;
      const rc = clamp(r, R_EPS, 1 - R_EPS);
      loss -= y ? Math.log(rc) : Math.log(1 - rc);
      scored++;
      if (grad && rc === r) {
        const dLdR = y ? -1 / r : 1 / (1 - r);
        const k = dLdR * dRdS;
        for (let j = 0; j < n; j++) grad[j] += k * gS[j];
        grad[20] += dLdR * dRdW20;
      }
    } else {
      r = 1;
      dRdS = 0;
      dRdW20 = 0;
    }
    // Next stability: value, partials on S, D, R, and direct partials on weights.
    let next: number;
    let pS = 0;
    let pD = 0;
    let pR = 0;
    const direct: [number, number][] = [];
    if (t === 0) {
      const sinc = Math.exp(w[17] * (g - 3 + w[18])) * Math.pow(s, -w[19]);
      if (g >= 2 && sinc < 1) {
        next = s;
        pS = 1;
      } else {
        next = s * sinc;
        pS = sinc * (1 - w[19]);
        direct.push([17, next * (g - 3 + w[18])], [18, next * w[17]], [19, -next * Math.log(s)]);
      }
    } else if (g === 1) {
      const dPow = Math.pow(d, -w[12]);
      const sPow = Math.pow(s + 1, w[13]);
      const e = Math.exp((1 - r) * w[14]);
      const fail = w[11] * dPow * (sPow - 1) * e;
      const floor = s / Math.exp(w[17] * w[18]);
      if (fail <= Math.max(floor, S_MIN)) {
        next = fail;
        pS = w[11] * dPow * w[13] * Math.pow(s + 1, w[13] - 1) * e;
        pD = (fail * -w[12]) / d;
        pR = -w[14] * fail;
        direct.push(
          [11, fail / w[11]],
          [12, -fail * Math.log(d)],
          [13, w[11] * dPow * sPow * Math.log(s + 1) * e],
          [14, fail * (1 - r)],
        );
      } else if (floor >= S_MIN) {
        next = floor;
        pS = floor / s;
        direct.push([17, -w[18] * floor], [18, -w[17] * floor]);
      } else {
        next = S_MIN;
      }
    } else {
      const bonus = g === 2 ? w[15] : g === 4 ? w[16] : 1;
      const ew8 = Math.exp(w[8]);
      const sPow = Math.pow(s, -w[9]);
      const eR = Math.exp((1 - r) * w[10]);
      const base = ew8 * (11 - d) * sPow * (eR - 1); // the increase before the rating's factor
      const inc = base * bonus;
      next = s * (1 + inc);
      pS = 1 + inc * (1 - w[9]);
      pD = -s * ew8 * sPow * (eR - 1) * bonus;
      pR = -s * ew8 * (11 - d) * sPow * bonus * eR * w[10];
      direct.push([8, s * inc], [9, -s * inc * Math.log(s)], [
        10,
        s * ew8 * (11 - d) * sPow * bonus * eR * (1 - r),
      ]);
      if (g === 2) direct.push([15, s * base]);
      if (g === 4) direct.push([16, s * base]);
    }
    // Next difficulty.
    const delta = -w[6] * (g - 3);
    const damped = d + (delta * (10 - d)) / 9;
    const nextD = w[7] * d0Easy + (1 - w[7]) * damped;
    if (grad) {
      const sClamped = next <= S_MIN || next >= S_MAX;
      if (sClamped) nS.fill(0);
      else {
        const a = pS + pR * dRdS;
        for (let j = 0; j < n; j++) nS[j] = a * gS[j] + pD * gD[j];
        nS[20] += pR * dRdW20;
        for (const [j, v] of direct) nS[j] += v;
      }
      if (nextD <= 1 || nextD >= 10) nD.fill(0);
      else {
        const a = (1 - w[7]) * (1 - delta / 9);
        for (let j = 0; j < n; j++) nD[j] = a * gD[j];
        nD[6] += ((1 - w[7]) * -(g - 3) * (10 - d)) / 9;
        nD[7] += d0Easy - damped;
        nD[4] += w[7];
        nD[5] += w[7] * -3 * Math.exp(3 * w[5]);
      }
      gS.set(nS);
      gD.set(nD);
    }
    s = clamp(next, S_MIN, S_MAX);
    d = clamp(nextD, 1, 10);
  }
  return [loss, scored];
}

/** Mean log loss of `w` over the scored reviews of `cards`. */
function meanLoss(w: readonly number[], cards: readonly CardHistory[]): number {
  const scratch = new Float64Array(4 * PARAMETER_COUNT);
  let loss = 0;
  let n = 0;
  for (const c of cards) {
    const [l, k] = cardLoss(w, c, null, scratch);
    loss += l;
    n += k;
  }
  return n ? loss / n : NaN;
}

/** The gradient of the summed log loss over `cards` (exposed for the gradient test). */
export function lossAndGradient(
  w: readonly number[],
  history: readonly ReviewEvent[],
): { loss: number; scored: number; gradient: number[] } {
  const grad = new Float64Array(PARAMETER_COUNT);
  const scratch = new Float64Array(4 * PARAMETER_COUNT);
  let loss = 0;
  let scored = 0;
  for (const c of cardHistories(history)) {
    const [l, k] = cardLoss(w, c, grad, scratch);
    loss += l;
    scored += k;
  }
  return { loss, scored, gradient: [...grad] };
}

export function clipParameters(w: readonly number[]): number[] {
  return PARAMETER_BOUNDS.map(([lo, hi], i) => clamp(w[i], lo, hi));
}

/** True when every weight is finite and inside FSRS-6's bounds. */
export function parametersValid(w: readonly number[]): boolean {
  return w.length === PARAMETER_COUNT &&
    w.every((x, i) =>
      Number.isFinite(x) && x >= PARAMETER_BOUNDS[i][0] - 1e-9 && x <= PARAMETER_BOUNDS[i][1] + 1e-9
    );
}

/**
 * Pre-training: for each first rating, the initial stability that best explains
 * recall at the card's first later-day review (log loss, golden-section search
 * on log S, a weak pull toward the default). Ratings with fewer than 8 such
 * reviews take the default scaled by the others' mean ratio to theirs; the four
 * are then made non-decreasing.
 */
export function pretrainInitialStability(
  cards: readonly CardHistory[],
  w: readonly number[] = DEFAULT_PARAMETERS,
): number[] {
  const obs: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];
  for (const c of cards) {
    let i = 1;
    while (i < c.gaps.length && c.gaps[i] === 0) i++;
    if (i >= c.gaps.length) continue;
    const t = c.gaps[i];
    const byGap = obs[c.ratings[0] - 1];
    const cell = byGap.get(t) ?? [0, 0];
    cell[0] += c.ratings[i] > 1 ? 1 : 0;
    cell[1] += 1;
    byGap.set(t, cell);
  }
  const fitted: (number | null)[] = obs.map((byGap, g) => {
    let total = 0;
    for (const [, [, n]] of byGap) total += n;
    if (total < 8) return null;
    const prior = Math.log(w[g]);
    const f = (x: number) => {
      const s = Math.exp(x);
      let l = 0;
      for (const [t, [k, n]] of byGap) {
        const r = clamp(recall(w, t, s), R_EPS, 1 - R_EPS);
        l -= k * Math.log(r) + (n - k) * Math.log(1 - r);
      }
      return l + 0.5 * (x - prior) ** 2;
    };
    let lo = Math.log(S_MIN);
    let hi = Math.log(100);
    const phi = (Math.sqrt(5) - 1) / 2;
    let a = hi - phi * (hi - lo);
    let b = lo + phi * (hi - lo);
    let fa = f(a);
    let fb = f(b);
    for (let k = 0; k < 60; k++) {
      if (fa < fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - phi * (hi - lo);
        fa = f(a);
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + phi * (hi - lo);
        fb = f(b);
      }
    }
    return Math.exp((lo + hi) / 2);
  });
  const ratios = fitted.flatMap((s, g) => (s === null ? [] : [Math.log(s / w[g])]));
  const scale = ratios.length ? Math.exp(ratios.reduce((a, b) => a + b, 0) / ratios.length) : 1;
  const s0 = fitted.map((s, g) => clamp(s ?? w[g] * scale, S_MIN, 100));
  for (let g = 1; g < 4; g++) s0[g] = Math.max(s0[g], s0[g - 1]);
  return s0;
}

/**
 * The FSRS-6 weights that best predict this learner's recall. Throws
 * `FitError("insufficient")` when there are too few later-day reviews to fit,
 * and `FitError("diverged")` when the loss or a weight stops being finite.
 */
export async function fitParameters(
  history: readonly ReviewEvent[],
  options: FitOptions = {},
): Promise<number[]> {
  const batchSize = options.batchSize ?? 512;
  const lr0 = options.learningRate ?? 0.04;
  const gamma = options.gamma ?? 1;
  const minScored = options.minScoredReviews ?? 64;
  const cards = cardHistories(history);
  if (options.yieldControl) await options.yieldControl();
  const counts = cards.map(scoredCount);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < minScored) {
    throw new FitError(
      "insufficient",
      `Need at least ${minScored} reviews on a later day than the previous one; have ${total}`,
      { scored: total, needed: minScored },
    );
  }
  const start = [...pretrainInitialStability(cards), ...DEFAULT_PARAMETERS.slice(4)];
  let w = clipParameters(start);
  if (options.yieldControl) await options.yieldControl();
  const training = cards.filter((_, i) => counts[i] > 0);
  const trainingCounts = counts.filter((k) => k > 0);
  let order = training.map((_, i) => i);
  const batches = Math.max(1, Math.ceil(total / batchSize));
  // fsrs-rs's 5 epochs, but at least `minSteps` Adam steps: a small history makes few
  // batches, and 5 passes over them leave a learner far from the defaults unconverged.
  const epochs = options.epochs ?? Math.max(5, Math.ceil((options.minSteps ?? 100) / batches));
  const steps = batches * epochs;
  const m = new Float64Array(PARAMETER_COUNT);
  const v = new Float64Array(PARAMETER_COUNT);
  const grad = new Float64Array(PARAMETER_COUNT);
  const scratch = new Float64Array(4 * PARAMETER_COUNT);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;
  let best = w;
  let bestLoss = Infinity;
  const penalty = (x: readonly number[], share: number) => {
    let p = 0;
    for (let j = 0; j < PARAMETER_COUNT; j++) p += ((x[j] - start[j]) / PARAMS_STDDEV[j]) ** 2;
    return p * gamma * share;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    order = shuffled(order, seededRandom((options.seed ?? 2023) + epoch));
    let cursor = 0;
    while (cursor < order.length) {
      grad.fill(0);
      let inBatch = 0;
      while (cursor < order.length && inBatch < batchSize) {
        const idx = order[cursor++];
        cardLoss(w, training[idx], grad, scratch);
        inBatch += trainingCounts[idx];
      }
      const share = inBatch / total;
      for (let j = 0; j < PARAMETER_COUNT; j++) {
        grad[j] += (2 * (w[j] - start[j]) * gamma * share) / PARAMS_STDDEV[j] ** 2;
      }
      step++;
      const lr = 0.5 * lr0 * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps));
      const next = w.slice();
      for (let j = 0; j < PARAMETER_COUNT; j++) {
        m[j] = beta1 * m[j] + (1 - beta1) * grad[j];
        v[j] = beta2 * v[j] + (1 - beta2) * grad[j] * grad[j];
        const mh = m[j] / (1 - beta1 ** step);
        const vh = v[j] / (1 - beta2 ** step);
        next[j] -= (lr * mh) / (Math.sqrt(vh) + eps);
      }
      if (next.some((x) => !Number.isFinite(x))) {
        throw new FitError("diverged", "A weight stopped being finite during the fit");
      }
      w = clipParameters(next);
      if (options.yieldControl) await options.yieldControl();
    }
    const loss = meanLoss(w, training) + penalty(w, 1) / total;
    if (options.yieldControl) await options.yieldControl();
    if (!Number.isFinite(loss)) throw new FitError("diverged", "The loss stopped being finite");
    if (loss < bestLoss) {
      bestLoss = loss;
      best = w;
    }
  }
  // As fsrs-rs does after training: a better first rating never means a shorter memory.
  best = best.slice();
  for (let g = 1; g < 4; g++) best[g] = Math.max(best[g], best[g - 1]);
  if (!parametersValid(best)) {
    throw new FitError("diverged", "The fitted weights fall outside FSRS-6's bounds");
  }
  return best;
}

/** One scored review and what a model predicted for it. */
export interface Prediction {
  predicted: number;
  recalled: boolean;
  elapsedDays: number;
  /** Position of the review in its card's history (1 = the second review). */
  reviewNumber: number;
  /** Failed reviews of the card before this one. */
  lapses: number;
  reviewedAt: number;
}

/** Predictions of `w` for every later-day review at or after `from` (all when omitted). */
export function predictions(
  history: readonly ReviewEvent[],
  w: readonly number[],
  from?: Date,
): Prediction[] {
  const since = from?.getTime() ?? -Infinity;
  const out: Prediction[] = [];
  for (const c of cardHistories(history)) {
    const steps = replayCard(
      w,
      Array.from(c.ratings, (rating, i) => ({ rating: rating as Grade, elapsedDays: c.gaps[i] })),
    );
    let lapses = 0;
    for (let i = 1; i < steps.length; i++) {
      const p = steps[i].predicted;
      if (p !== null && c.times[i] >= since) {
        out.push({
          predicted: p,
          recalled: c.ratings[i] > 1,
          elapsedDays: c.gaps[i],
          reviewNumber: i,
          lapses,
          reviewedAt: c.times[i],
        });
      }
      if (c.ratings[i] === 1 && c.gaps[i] > 0) lapses++;
    }
  }
  return out;
}

/** Mean log loss of predictions (probabilities clipped as in training). */
export function logLoss(preds: readonly Prediction[]): number {
  let l = 0;
  for (const p of preds) {
    const r = clamp(p.predicted, R_EPS, 1 - R_EPS);
    l -= p.recalled ? Math.log(r) : Math.log(1 - r);
  }
  return preds.length ? l / preds.length : NaN;
}

/**
 * The learner's overall forgetting curve: for each card's memory after its
 * last review under `w`, recall `t` days later, averaged over cards.
 */
export function forgettingCurve(
  history: readonly ReviewEvent[],
  w: readonly number[],
  days: readonly number[],
): number[] {
  const stabilities = cardHistories(history).map((c) => {
    const steps = replayCard(
      w,
      Array.from(c.ratings, (rating, i) => ({ rating: rating as Grade, elapsedDays: c.gaps[i] })),
    );
    return steps[steps.length - 1].stability;
  });
  return curveFromStabilities(stabilities, w, days);
}

/** Mean recall `t` days after review over memories of the given stabilities. */
export function curveFromStabilities(
  stabilities: readonly number[],
  w: readonly number[],
  days: readonly number[],
): number[] {
  return days.map((t) =>
    stabilities.length
      ? stabilities.reduce((a, s) => a + recall(w, t, Math.max(s, S_MIN)), 0) / stabilities.length
      : NaN
  );
}

export interface FitReport {
  /** The weights fitted on the older part of the history. */
  parameters: number[];
  /** Held-out log loss on the newer part: defaults, then fitted. */
  defaultLogLoss: number;
  fittedLogLoss: number;
  /** Reviews in the history, distinct words, and the scored reviews of each part. */
  reviews: number;
  words: number;
  trainScored: number;
  testScored: number;
  /** Fitted weights predict the newer reviews better than the defaults. */
  better: boolean;
}

/**
 * Fits on the oldest `trainShare` of the reviews (by time) and scores defaults
 * and fit on the rest; memory states for the newer reviews come from replaying
 * the whole history, so the score is what the scheduler would have predicted.
 */
export async function fitAndEvaluate(
  history: readonly ReviewEvent[],
  options: FitOptions & { trainShare?: number } = {},
): Promise<FitReport> {
  const sorted = [...history].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
  const cut = Math.floor(sorted.length * (options.trainShare ?? 0.8));
  const older = sorted.slice(0, cut);
  const boundary = sorted[cut]?.reviewedAt ?? new Date(8.64e15);
  const parameters = await fitParameters(older, options);
  const byDefault = predictions(sorted, DEFAULT_PARAMETERS, boundary);
  if (options.yieldControl) await options.yieldControl();
  const byFit = predictions(sorted, parameters, boundary);
  if (options.yieldControl) await options.yieldControl();
  if (byDefault.length === 0) {
    throw new FitError("insufficient", "No later-day reviews left to score the fit on", {
      testScored: 0,
    });
  }
  const defaultLogLoss = logLoss(byDefault);
  const fittedLogLoss = logLoss(byFit);
  if (!Number.isFinite(fittedLogLoss)) {
    throw new FitError("diverged", "The fitted weights give a non-finite held-out loss");
  }
  return {
    parameters,
    defaultLogLoss,
    fittedLogLoss,
    reviews: history.length,
    words: new Set(history.map((r) => r.cardId)).size,
    trainScored: scoredReviews(older),
    testScored: byFit.length,
    better: fittedLogLoss < defaultLogLoss,
  };
}
