/**
 * Simulation benchmark of the adaptive model (`deno task bench:adaptive`; not a
 * test). Synthetic learners with known true abilities answer synthetic items
 * with known true difficulties, each answer drawn from the model's own law
 * P(correct) = 1/(1+exp(−(θ−b))). The app's code decides everything else: the
 * Elo updates, the adaptive selection, the placement CAT. Seeded, so the numbers
 * repeat.
 *
 * 1. Ability tracking: learners answer adaptively selected items (target 80%);
 *    item difficulties start from a noisy prior (content levels are only rough)
 *    and are calibrated from everyone's answers. Correlation of estimated with
 *    true ability after 10, 20 and 50 answers.
 * 2. Placement: fresh learners take the CAT over the calibrated bank; share placed
 *    at their true CEFR level and within one level, mean questions.
 * 3. Adaptive selection: realised success rate against targets 0.7, 0.8 and 0.9.
 *
 * Prints a table and writes bench/results/adaptive.json.
 */
import {
  initialDifficulty,
  probabilityCorrect,
  updateAfterAnswer,
} from "../domain/ability_model.ts";
import { selectByTargetSuccess } from "../domain/adaptive_selection.ts";
import { CEFR_LEVELS } from "../domain/content_schema.ts";
import {
  advancePlacement,
  type BankItem,
  placedLevel,
  type StoredResponse,
} from "../domain/placement.ts";
import { hashSeed, seededRandom } from "../domain/random.ts";

const SEED = "adaptive-simulation-v1";
const LEARNERS = 500;
const ITEMS = 600;
const ANSWERS = 50;
const CHECKPOINTS = [10, 20, 50];
const PLACEMENT_LEARNERS = 1000;
/** How wrong a content prior can be, in logits (SD), before calibration. */
const PRIOR_NOISE = 0.5;
const LEVELS = CEFR_LEVELS.slice(0, 5); // A1–C1 on offer in the synthetic curriculum

const random = seededRandom(hashSeed(SEED));

function normal(mean = 0, sd = 1): number {
  // Box–Muller on the seeded source.
  const u = Math.max(1e-12, random());
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** True abilities spread over A1–C1: mean at A2/B1, SD 1.2 logits. */
function trueAbility(): number {
  return Math.max(-3.5, Math.min(3, normal(0, 1.2)));
}

// ---------------------------------------------------------------- the item bank

interface SimItem {
  id: string;
  trueDifficulty: number;
  difficulty: number;
  answers: number;
  level: string;
  group: string;
}

const items: SimItem[] = Array.from({ length: ITEMS }, (_, i) => {
  const level = LEVELS[i % LEVELS.length];
  // True difficulty around the level's centre; the model starts from the
  // content prior (the level's centre) plus noise, as real content would.
  const prior = initialDifficulty({ level });
  const trueDifficulty = prior + normal(0, 0.45);
  return {
    id: `item-${i}`,
    trueDifficulty,
    difficulty: trueDifficulty + normal(0, PRIOR_NOISE),
    answers: 0,
    level,
    group: `topic-${i % 23}`,
  };
});
const priorRmse = Math.sqrt(
  items.reduce((s, i) => s + (i.difficulty - i.trueDifficulty) ** 2, 0) / items.length,
);

// ---------------------------------------------------------------- 1 and 3: tracking and selection

interface TrackingResult {
  target: number;
  correlations: Record<number, number>;
  realisedSuccess: number;
  realisedSuccessAfter10: number;
}

function track(target: number, learners: number): TrackingResult {
  const truth: number[] = [];
  const estimates: Record<number, number[]> = Object.fromEntries(CHECKPOINTS.map((c) => [c, []]));
  let right = 0;
  let total = 0;
  let rightLate = 0;
  let totalLate = 0;
  for (let l = 0; l < learners; l++) {
    const theta = trueAbility();
    truth.push(theta);
    let ability = { theta: 0, evidence: 0 };
    const seen = new Set<string>();
    for (let n = 1; n <= ANSWERS; n++) {
      // The app's adaptive selection, over a random slice of the bank (a
      // practice set draws from what the learner's language offers).
      const pool = items.filter((i) => !seen.has(i.id));
      const [pick] = selectByTargetSuccess(pool, ability.theta, { target, size: 1, random });
      const item = pick.item;
      seen.add(item.id);
      const correct = random() < probabilityCorrect(theta, item.trueDifficulty);
      const update = updateAfterAnswer(ability, item, correct ? 1 : 0);
      ability = update.ability;
      item.difficulty = update.item.difficulty;
      item.answers = update.item.answers;
      total++;
      if (correct) right++;
      if (n > 10) {
        totalLate++;
        if (correct) rightLate++;
      }
      if (CHECKPOINTS.includes(n)) estimates[n].push(ability.theta);
    }
  }
  return {
    target,
    correlations: Object.fromEntries(
      CHECKPOINTS.map((c) => [c, round(correlation(estimates[c], truth))]),
    ),
    realisedSuccess: round(right / total),
    realisedSuccessAfter10: round(rightLate / totalLate),
  };
}

const started = performance.now();
const tracking80 = track(0.8, LEARNERS);
const calibratedRmse = Math.sqrt(
  items.reduce((s, i) => s + (i.difficulty - i.trueDifficulty) ** 2, 0) / items.length,
);
const tracking70 = track(0.7, LEARNERS / 2);
const tracking90 = track(0.9, LEARNERS / 2);

// ---------------------------------------------------------------- 2: placement

const bank: BankItem[] = items.map((i) => ({
  id: i.id,
  kind: "grammar_exercise",
  level: i.level,
  difficulty: i.difficulty,
  group: i.group,
}));
const trueDifficulty = new Map(items.map((i) => [i.id, i.trueDifficulty]));
let exact = 0;
let withinOne = 0;
let questions = 0;
let maxQuestions = 0;
const stops: Record<string, number> = {};
for (let l = 0; l < PLACEMENT_LEARNERS; l++) {
  const theta = trueAbility();
  const responses: StoredResponse[] = [];
  let step = advancePlacement(responses, bank, { levels: LEVELS, random });
  while (step.next) {
    const item = step.next;
    responses.push({
      item_id: item.id,
      group: item.group,
      difficulty: item.difficulty,
      correct: random() < probabilityCorrect(theta, trueDifficulty.get(item.id)!),
    });
    step = advancePlacement(responses, bank, { levels: LEVELS, random });
  }
  const truthLevel = LEVELS.indexOf(placedLevel(theta, LEVELS));
  const placed = LEVELS.indexOf(placedLevel(step.estimate.theta, LEVELS));
  if (placed === truthLevel) exact++;
  if (Math.abs(placed - truthLevel) <= 1) withinOne++;
  questions += responses.length;
  maxQuestions = Math.max(maxQuestions, responses.length);
  stops[step.stop ?? "none"] = (stops[step.stop ?? "none"] ?? 0) + 1;
}
const elapsed = performance.now() - started;

const results = {
  seed: SEED,
  learners: LEARNERS,
  items: ITEMS,
  prior_noise_logits: PRIOR_NOISE,
  ability_correlation: tracking80.correlations,
  item_calibration_rmse: { prior: round(priorRmse), after_calibration: round(calibratedRmse) },
  placement: {
    learners: PLACEMENT_LEARNERS,
    exact_level: round(exact / PLACEMENT_LEARNERS),
    within_one_level: round(withinOne / PLACEMENT_LEARNERS),
    mean_questions: round(questions / PLACEMENT_LEARNERS, 1),
    max_questions: maxQuestions,
    stop_reasons: stops,
  },
  adaptive_selection: [tracking70, tracking80, tracking90].map((t) => ({
    target: t.target,
    realised_success: t.realisedSuccess,
    realised_success_after_10_answers: t.realisedSuccessAfter10,
    within_5_points: Math.abs(t.realisedSuccess - t.target) <= 0.05,
  })),
  targets_met: {
    correlation_50_at_least_0_9: tracking80.correlations[50] >= 0.9,
    placement_within_one_level_95: withinOne / PLACEMENT_LEARNERS >= 0.95 && maxQuestions <= 20,
    // The targets are the default 0.8 and 0.7; 0.9 is reported for information
    // (weak learners run out of items easy enough, so it falls short).
    success_within_5_points_at_0_7_and_0_8: [tracking70, tracking80].every((t) =>
      Math.abs(t.realisedSuccess - t.target) <= 0.05
    ),
  },
  duration_ms: Math.round(elapsed),
};

console.log("Adaptive model simulation (seed %s)\n", SEED);
console.log("Ability: correlation of estimate with true ability (target 0.8 selection)");
console.table(
  Object.entries(tracking80.correlations).map(([n, r]) => ({ answers: Number(n), correlation: r })),
);
console.log(
  `Item difficulty RMSE: prior ${round(priorRmse)} → calibrated ${round(calibratedRmse)} logits`,
);
console.log("\nPlacement (CAT, A1–C1, max 20 items)");
console.table([{
  exact_level: results.placement.exact_level,
  within_one_level: results.placement.within_one_level,
  mean_questions: results.placement.mean_questions,
  max_questions: maxQuestions,
}]);
console.log("stop reasons", stops);
console.log("\nAdaptive selection: realised success rate");
console.table(results.adaptive_selection);
console.log("targets met", results.targets_met);

await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("./results/adaptive.json", import.meta.url),
  JSON.stringify(results, null, 2) + "\n",
);
