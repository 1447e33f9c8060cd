/**
 * The ability and difficulty model: one logistic (Rasch / 1PL) scale on which a
 * learner's ability `theta` (per language and skill) and an item's difficulty `b`
 * (a word, a grammar exercise, a quiz question) live together. The model predicts
 *
 *   P(correct) = 1 / (1 + exp(-(theta - b)))
 *
 * and is kept up to date Elo-style: after every answer, theta moves by
 * K·(observed − predicted) and b by the opposite amount with its own rate. Both
 * rates shrink as evidence accumulates (a stochastic-approximation schedule), down
 * to a floor so abilities keep following a learner who is actually learning.
 *
 * For a one-off measurement (the placement test) there is also a full posterior
 * estimate (EAP with a normal prior, and MLE) with its standard error.
 *
 * Everything here is pure: no clock, no randomness, no I/O.
 */
import { CEFR_LEVELS } from "./content_schema.ts";

export type CefrLevel = (typeof CEFR_LEVELS)[number];

/**
 * Where each CEFR level's typical item sits on the scale. One logit per level:
 * a learner at the centre of A2 (−0.5) answers a typical A1 item right 73% of
 * the time and a typical B1 item 27% of the time, roughly what level
 * descriptors suggest for adjacent levels.
 */
export const LEVEL_CENTRE: Record<CefrLevel, number> = {
  A1: -1.5,
  A2: -0.5,
  B1: 0.5,
  B2: 1.5,
  C1: 2.5,
  C2: 3.5,
};

/** The lower edge of each level's ability band: half-way between adjacent centres. */
export function levelLowerBound(level: CefrLevel): number {
  return LEVEL_CENTRE[level] - 0.5;
}

/** The CEFR level whose band holds `theta` (below A1's centre is still A1). */
export function levelForAbility(theta: number): CefrLevel {
  let level: CefrLevel = "A1";
  for (const l of CEFR_LEVELS) if (theta >= levelLowerBound(l)) level = l;
  return level;
}

/** P(correct) for ability `theta` on an item of difficulty `b`. Monotone in both. */
export function probabilityCorrect(theta: number, b: number): number {
  const z = theta - b;
  // Written both ways so exp() never overflows for extreme values.
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** The logit of a probability: the ability margin over an item that gives success rate `p`. */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
}

/** Fisher information of an item at `theta`: p(1 − p), largest where p = 0.5. */
export function itemInformation(theta: number, b: number): number {
  const p = probabilityCorrect(theta, b);
  return p * (1 - p);
}

// ---------------------------------------------------------------- initial difficulty

/** What is known about an item before anyone has answered it. */
export interface ItemPrior {
  level: string;
  /** Corpus frequency rank of a word (1 = most frequent), when known. */
  frequencyRank?: number | null;
  /** Length in characters of what must be produced (the answer or the word). */
  length?: number | null;
  /** Exercise or question type: choosing is easier than producing. */
  type?: string | null;
}

/** Adjustments by item type, in logits: recognising beats recalling. */
const TYPE_ADJUSTMENT: Record<string, number> = {
  true_false: -0.6,
  multiple_choice: -0.3,
  multiple_choice_multiple: 0,
  matching: -0.2,
  fill_blank: 0,
  translation: 0.2,
  conjugation: 0.2,
  reorder: 0.2,
  listening: 0.3,
};

/**
 * Initial difficulty from the content: the CEFR level's centre, plus up to ±0.4
 * for word frequency (rank 1 000 is neutral; each tenfold rarer adds 0.3), up to
 * ±0.3 for length (6 characters neutral, 0.04 per character), plus the type's
 * adjustment. Unknown levels count as A1. Calibration from answers takes over.
 */
export function initialDifficulty(item: ItemPrior): number {
  const level = (CEFR_LEVELS as readonly string[]).includes(item.level)
    ? item.level as CefrLevel
    : "A1";
  let b = LEVEL_CENTRE[level];
  if (item.frequencyRank && item.frequencyRank > 0) {
    b += clamp((Math.log10(item.frequencyRank) - 3) * 0.3, -0.4, 0.4);
  }
  if (item.length && item.length > 0) b += clamp((item.length - 6) * 0.04, -0.3, 0.3);
  if (item.type) b += TYPE_ADJUSTMENT[item.type] ?? 0;
  return round(b, 4);
}

/** A word's prior: its level, frequency and length in characters. */
export function wordPrior(word: { level: string; frequencyRank: number | null; word: string }) {
  return initialDifficulty({
    level: word.level,
    frequencyRank: word.frequencyRank,
    length: [...word.word].length,
  });
}

/** An exercise's prior: its topic's level, its type and the length of its answer. */
export function exercisePrior(level: string, exercise: { type: string; answer: string }) {
  return initialDifficulty({ level, type: exercise.type, length: exercise.answer.length });
}

// ---------------------------------------------------------------- online (Elo) updates

/** Learning-rate schedules; the defaults are what the app and the simulation use. */
export interface RateSchedule {
  /** Rate at zero evidence. */
  initial: number;
  /** Evidence at which the rate has halved. */
  halfAt: number;
  /** The rate never falls below this, so estimates keep tracking change. */
  floor: number;
}

/**
 * For a learner: K = 1 / (1 + n/5) is about 1/(prior information + n·0.2), the
 * step a running maximum-likelihood estimate would take with answers near 80%
 * success; the floor 0.1 lets ability follow real learning.
 */
export const ABILITY_RATE: RateSchedule = { initial: 1, halfAt: 5, floor: 0.1 };
/**
 * For an item: items are answered by many learners whose abilities are themselves
 * uncertain, so the step starts smaller and shrinks slower, to a lower floor.
 */
export const DIFFICULTY_RATE: RateSchedule = { initial: 0.4, halfAt: 20, floor: 0.02 };

/** The learning rate after `evidence` answers: initial / (1 + evidence/halfAt), floored. */
export function learningRate(evidence: number, schedule: RateSchedule): number {
  return Math.max(schedule.floor, schedule.initial / (1 + Math.max(0, evidence) / schedule.halfAt));
}

export interface AbilityState {
  theta: number;
  evidence: number;
}

export interface ItemState {
  difficulty: number;
  answers: number;
}

export interface AnswerUpdate {
  /** P(correct) the model predicted before the answer. */
  predicted: number;
  /** The change to add to theta, and to b (opposite sign). */
  thetaDelta: number;
  difficultyDelta: number;
  ability: AbilityState;
  item: ItemState;
}

/** Keeps estimates on a sane range whatever a run of answers does. */
export const SCALE_LIMIT = 6;

/**
 * One answer's update. `score` is 1 for right, 0 for wrong, or partial credit
 * in between. A surprise moves more: a right answer to a hard item (low
 * prediction) raises theta more than one to an easy item.
 */
export function updateAfterAnswer(
  ability: AbilityState,
  item: ItemState,
  score: number,
  options: { abilityRate?: RateSchedule; difficultyRate?: RateSchedule } = {},
): AnswerUpdate {
  const observed = clamp(score, 0, 1);
  const predicted = probabilityCorrect(ability.theta, item.difficulty);
  const surprise = observed - predicted;
  const kTheta = learningRate(ability.evidence, options.abilityRate ?? ABILITY_RATE);
  const kItem = learningRate(item.answers, options.difficultyRate ?? DIFFICULTY_RATE);
  const theta = clamp(ability.theta + kTheta * surprise, -SCALE_LIMIT, SCALE_LIMIT);
  const difficulty = clamp(item.difficulty - kItem * surprise, -SCALE_LIMIT, SCALE_LIMIT);
  return {
    predicted,
    thetaDelta: theta - ability.theta,
    difficultyDelta: difficulty - item.difficulty,
    ability: { theta, evidence: ability.evidence + 1 },
    item: { difficulty, answers: item.answers + 1 },
  };
}

/**
 * Several answers in order (a grammar set, a quiz): theta is carried from one
 * to the next; each item is updated once. Returns the final ability and every
 * item's update in input order.
 */
export function updateAfterAnswers(
  ability: AbilityState,
  answers: readonly { item: ItemState; score: number }[],
): { ability: AbilityState; updates: AnswerUpdate[] } {
  let current = ability;
  const updates = answers.map((a) => {
    const u = updateAfterAnswer(current, a.item, a.score);
    current = u.ability;
    return u;
  });
  return { ability: current, updates };
}

// ---------------------------------------------------------------- full estimates (CAT)

export interface Response {
  difficulty: number;
  correct: boolean;
}

export interface AbilityEstimate {
  theta: number;
  standardError: number;
}

/** The placement prior: centred between A2 and B1, wide enough to cover A1–C1. */
export const PLACEMENT_PRIOR = { mean: 0, sd: 1.5 };

const GRID = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);

/**
 * Expected a posteriori estimate with a normal prior, by quadrature on a grid
 * of 0.1 logits from −8 to 8. Unlike the MLE it exists for all-right and
 * all-wrong patterns, which the first answers of a test always are.
 */
export function eapEstimate(
  responses: readonly Response[],
  prior: { mean: number; sd: number } = PLACEMENT_PRIOR,
): AbilityEstimate {
  const logPost = GRID.map((t) => {
    let l = -0.5 * ((t - prior.mean) / prior.sd) ** 2;
    for (const r of responses) {
      const p = probabilityCorrect(t, r.difficulty);
      l += Math.log(r.correct ? p : 1 - p);
    }
    return l;
  });
  const max = Math.max(...logPost);
  let w = 0;
  let m1 = 0;
  let m2 = 0;
  GRID.forEach((t, i) => {
    const weight = Math.exp(logPost[i] - max);
    w += weight;
    m1 += weight * t;
    m2 += weight * t * t;
  });
  const mean = m1 / w;
  return { theta: mean, standardError: Math.sqrt(Math.max(0, m2 / w - mean * mean)) };
}

/**
 * Maximum-likelihood estimate by Newton–Raphson, with SE = 1/√(test
 * information). Null when it does not exist (all right or all wrong).
 */
export function mleEstimate(responses: readonly Response[]): AbilityEstimate | null {
  if (!responses.length) return null;
  const right = responses.filter((r) => r.correct).length;
  if (right === 0 || right === responses.length) return null;
  let theta = 0;
  for (let i = 0; i < 50; i++) {
    let gradient = 0;
    let information = 0;
    for (const r of responses) {
      const p = probabilityCorrect(theta, r.difficulty);
      gradient += (r.correct ? 1 : 0) - p;
      information += p * (1 - p);
    }
    const step = gradient / information;
    theta = clamp(theta + step, -SCALE_LIMIT, SCALE_LIMIT);
    if (Math.abs(step) < 1e-6) break;
  }
  const information = responses.reduce((s, r) => s + itemInformation(theta, r.difficulty), 0);
  return { theta, standardError: 1 / Math.sqrt(information) };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * One ability from two skills' abilities, each weighted by its evidence (a
 * skill never answered counts for nothing); theta 0 when neither has evidence.
 */
export function pooledAbility(a: AbilityState, b: AbilityState): AbilityState {
  const evidence = a.evidence + b.evidence;
  return {
    theta: evidence > 0 ? (a.theta * a.evidence + b.theta * b.evidence) / evidence : 0,
    evidence,
  };
}

/** The vocabulary and grammar abilities as reported to the learner: theta to 3 decimals. */
export function abilitiesReport(vocabulary: AbilityState, grammar: AbilityState) {
  const view = (a: AbilityState) => ({ theta: round(a.theta, 3), evidence: a.evidence });
  return { vocabulary: view(vocabulary), grammar: view(grammar) };
}
