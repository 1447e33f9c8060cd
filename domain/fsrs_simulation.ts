/**
 * Synthetic learners for testing and benchmarking the FSRS fit: a learner's
 * memory follows known "true" weights, while the app's own scheduler (default
 * weights, the app's learning steps) decides when each word comes back, as it
 * would in production. Recall is drawn from the true memory; ratings are noisy
 * (a recalled word is rated hard, good or easy with learner-specific odds);
 * learners skip days, come back late, repeat words the same day, and lapse.
 */
import {
  DEFAULT_PARAMETERS,
  type Grade,
  type Memory,
  nextMemory,
  PARAMETER_BOUNDS,
  PARAMS_STDDEV,
  recall,
  type ReviewEvent,
} from "./fsrs_fitting.ts";
import { seededRandom } from "./random.ts";
import { type CardState, review, type SchedulerOptions } from "./spaced_repetition.ts";
import { dateDiffInDays } from "ts-fsrs";

const DAY = 86_400_000;

/**
 * True weights of a synthetic learner: each weight drawn around the default with
 * `spread` times the spread fsrs-rs measured between real users (PARAMS_STDDEV), kept inside
 * FSRS-6's bounds; initial stabilities vary by a factor (up to about 2 either
 * way) instead, as their spread is mostly across orders of magnitude.
 */
export function randomTrueWeights(random: () => number, spread = 1): number[] {
  const normal = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return DEFAULT_PARAMETERS.map((d, i) => {
    const [lo, hi] = PARAMETER_BOUNDS[i];
    if (i < 4) return Math.min(hi, Math.max(lo, d * Math.exp((random() * 2 - 1) * 0.7)));
    const moved = d + normal() * spread * PARAMS_STDDEV[i];
    const margin = 1e-3 * (hi - lo);
    return Math.min(hi - margin, Math.max(lo + margin, moved));
  });
}

export interface SyntheticLearner {
  trueWeights: number[];
  history: ReviewEvent[];
}

export interface SimulationOptions {
  seed: number;
  /** Stop once this many reviews are logged. */
  reviews: number;
  trueWeights?: number[];
  /** How far random true weights stray from the defaults, in real users' spreads (1). */
  spread?: number;
  newPerDay?: number;
  scheduler?: SchedulerOptions;
}

/** Simulates one learner day by day until `reviews` reviews are logged. */
export function simulateLearner(options: SimulationOptions): SyntheticLearner {
  const random = seededRandom(options.seed);
  const w = options.trueWeights ?? randomTrueWeights(random, options.spread);
  const scheduling: SchedulerOptions = options.scheduler ??
    { desiredRetention: 0.9, maximumIntervalDays: 365, fuzz: false };
  const newPerDay = options.newPerDay ?? 10 + Math.floor(random() * 15);
  // Learner habits: how often they skip a day, and their odds of rating a recall hard or easy.
  const skipDay = 0.1 + random() * 0.25;
  const hardShare = 0.05 + random() * 0.2;
  const easyShare = 0.02 + random() * 0.15;
  const extraRepeat = 0.03 + random() * 0.07;
  const cards: { id: string; card: CardState | null; memory: Memory | null; last: Date | null }[] =
    [];
  const history: ReviewEvent[] = [];
  const start = Date.UTC(2025, 0, 6);
  const answer = (c: (typeof cards)[number], now: Date) => {
    const t = c.last ? Math.max(0, dateDiffInDays(c.last, now)) : 0;
    const p = c.memory ? (t > 0 ? recall(w, t, c.memory.stability) : 0.97) : 0.75;
    const recalled = random() < p;
    let rating: Grade = 1;
    if (recalled) {
      const x = random();
      rating = x < hardShare ? 2 : x < hardShare + easyShare ? 4 : 3;
    }
    c.memory = nextMemory(w, c.memory, rating, t);
    c.card = review(c.card, { rating, correct: recalled }, now, scheduling).card;
    c.last = now;
    history.push({ cardId: c.id, rating, reviewedAt: now });
  };
  for (let day = 0; history.length < options.reviews && day < 3650; day++) {
    if (random() < skipDay) continue;
    // A session starts at a random hour; answers are about 20 s apart.
    let now = start + day * DAY + (7 + Math.floor(random() * 13)) * 3_600_000;
    const dayEnd = start + (day + 1) * DAY - 60_000;
    for (let i = 0; i < newPerDay; i++) {
      cards.push({ id: `w${cards.length}`, card: null, memory: null, last: null });
    }
    // Work through everything due (new words included), re-checking for same-day steps.
    for (let pass = 0; pass < 6 && now < dayEnd; pass++) {
      const due = cards.filter((c) => !c.card || c.card.nextReview.getTime() <= now);
      if (due.length === 0) {
        now += 10 * 60_000; // wait for the learning steps to come due
        continue;
      }
      for (const c of due) {
        if (history.length >= options.reviews || now >= dayEnd) break;
        answer(c, new Date(now));
        now += 20_000;
        if (random() < extraRepeat) {
          now += 60_000;
          answer(c, new Date(now));
        }
      }
      now += 10 * 60_000;
    }
  }
  return { trueWeights: w, history };
}
