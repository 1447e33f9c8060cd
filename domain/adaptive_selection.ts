/**
 * Adaptive difficulty: pick what a learner practises so that the model predicts
 * success at the learner's target rate (default 80%, adjustable 70–95% with the
 * `target_success_rate` preference). Too easy wastes time, too hard discourages;
 * an item at the target is also informative enough to keep the ability estimate
 * honest. Pure: the random source breaks ties and is injected.
 */
import { probabilityCorrect } from "./ability_model.ts";

export const DEFAULT_TARGET_SUCCESS = 0.8;
export const TARGET_SUCCESS_RANGE = { min: 0.7, max: 0.95 } as const;

/** The learner's target, clamped to the allowed range (a stored value may predate the limits). */
export function targetSuccessRate(preference: number | undefined | null): number {
  if (typeof preference !== "number" || !Number.isFinite(preference)) {
    return DEFAULT_TARGET_SUCCESS;
  }
  return Math.min(TARGET_SUCCESS_RANGE.max, Math.max(TARGET_SUCCESS_RANGE.min, preference));
}

export interface Candidate {
  id: string;
  difficulty: number;
  /** Items sharing a group (a grammar topic, a word category) are spread out. */
  group?: string;
}

export interface Selected<T extends Candidate> {
  item: T;
  /** The model's P(correct) for this learner. */
  predicted: number;
}

/**
 * How much farther from the target an item the learner answered right recently
 * counts: a fresh item predicted within 20 points of the target is preferred to
 * it, so a set does not keep offering what was just mastered, yet a small bank
 * still fills its set.
 */
export const RECENTLY_RIGHT_PENALTY = 0.2;

/**
 * Up to `size` candidates whose predicted success is closest to `target`, at
 * most `perGroup` from any one group, returned easiest first (a set that warms
 * up). Items in `recent` (answered right lately) rank as if
 * {@link RECENTLY_RIGHT_PENALTY} farther from the target. Ties (items of equal
 * difficulty are common before calibration) are broken by the injected random
 * source, so learners do not all get the same items.
 */
export function selectByTargetSuccess<T extends Candidate>(
  candidates: readonly T[],
  theta: number,
  options: {
    target: number;
    size: number;
    random: () => number;
    perGroup?: number;
    recent?: ReadonlySet<string>;
  },
): Selected<T>[] {
  const perGroup = options.perGroup ?? Infinity;
  const ranked = candidates.map((item) => {
    const predicted = probabilityCorrect(theta, item.difficulty);
    const penalty = options.recent?.has(item.id) ? RECENTLY_RIGHT_PENALTY : 0;
    const gap = Math.abs(predicted - options.target) + penalty;
    return { item, predicted, gap, tie: options.random() };
  }).sort((a, b) => a.gap - b.gap || a.tie - b.tie);
  const taken: Selected<T>[] = [];
  const perGroupCount = new Map<string, number>();
  for (const r of ranked) {
    if (taken.length >= options.size) break;
    const group = r.item.group;
    if (group !== undefined) {
      const n = perGroupCount.get(group) ?? 0;
      if (n >= perGroup) continue;
      perGroupCount.set(group, n + 1);
    }
    taken.push({ item: r.item, predicted: r.predicted });
  }
  return taken.sort((a, b) => b.predicted - a.predicted);
}

/**
 * How many exercises a practice set of `size` asks for: half (rounded up), or
 * fewer when the pool has fewer; more when the words run short, so a short
 * pool leaves its share to the other. The words fill what the exercises leave.
 */
export function exerciseQuota(size: number, available: { exercises: number; words: number }) {
  const exerciseShare = Math.min(Math.ceil(size / 2), available.exercises);
  const wordShare = Math.min(size - exerciseShare, available.words);
  return Math.max(exerciseShare, size - wordShare);
}
