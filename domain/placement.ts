/**
 * The placement test: a computerised adaptive test (CAT) on the Rasch scale.
 * Each next item is the unasked one with maximum Fisher information at the
 * current EAP estimate (never the same group, e.g. grammar topic, twice in a
 * row); the test stops when the estimate is precise enough (SE below a
 * threshold), when the level decision can no longer change, or after a maximum
 * number of items. The result is a CEFR level, capped to the levels that have
 * courses, and the first lesson the learner is not predicted to know.
 * Pure: the random source (tie-breaking among equally informative items) is injected.
 */
import {
  type AbilityEstimate,
  type CefrLevel,
  eapEstimate,
  exercisePrior,
  itemInformation,
  levelForAbility,
  levelLowerBound,
  logit,
  probabilityCorrect,
  type Response,
  wordPrior,
} from "./ability_model.ts";
import { CEFR_LEVELS, type Locale } from "./content_schema.ts";
import { type GradableExercise, gradeExercise } from "./exercise_checking.ts";
import { hashSeed, seededRandom } from "./random.ts";
import { checkPracticeAnswer, type PracticeItem } from "./vocabulary_practice.ts";

export interface PlacementRules {
  /** Stop once the standard error is below this. */
  targetStandardError: number;
  minItems: number;
  maxItems: number;
  /** z for "the level is decided": the interval theta ± z·SE lies within one level band. */
  decisionZ: number;
}

export const PLACEMENT_RULES: PlacementRules = {
  targetStandardError: 0.4,
  minItems: 6,
  maxItems: 20,
  decisionZ: 1.64,
};

export interface PlacementItem {
  id: string;
  difficulty: number;
  /** Items of one group (a grammar topic, or vocabulary) are not asked twice in a row. */
  group: string;
}

/** Why a test ended, or null while it goes on. */
export type StopReason = "precise" | "level_decided" | "max_items" | "no_items" | null;

/** Whether the test stops after these responses, and why. */
export function stopReason(
  responses: readonly Response[],
  estimate: AbilityEstimate,
  options: { levels: readonly CefrLevel[]; remaining: number; rules?: PlacementRules },
): StopReason {
  const rules = options.rules ?? PLACEMENT_RULES;
  if (responses.length >= rules.maxItems) return "max_items";
  if (options.remaining === 0) return "no_items";
  if (responses.length < rules.minItems) return null;
  if (estimate.standardError < rules.targetStandardError) return "precise";
  const low = placedLevel(
    estimate.theta - rules.decisionZ * estimate.standardError,
    options.levels,
  );
  const high = placedLevel(
    estimate.theta + rules.decisionZ * estimate.standardError,
    options.levels,
  );
  return low === high ? "level_decided" : null;
}

/**
 * The most informative unasked item at `theta`, skipping the last item's group
 * when another group has items left. Near-ties (within 1% information) are
 * broken at random so equally good items share the exposure.
 */
export function nextItem<T extends PlacementItem>(
  items: readonly T[],
  theta: number,
  options: { asked: ReadonlySet<string>; lastGroup: string | null; random: () => number },
): T | null {
  const open = items.filter((i) => !options.asked.has(i.id));
  const pool = open.some((i) => i.group !== options.lastGroup)
    ? open.filter((i) => i.group !== options.lastGroup)
    : open;
  if (!pool.length) return null;
  const scored = pool.map((item) => ({ item, info: itemInformation(theta, item.difficulty) }));
  const best = Math.max(...scored.map((s) => s.info));
  const near = scored.filter((s) => s.info >= best * 0.99);
  return near[Math.floor(options.random() * near.length) % near.length].item;
}

/** The level a learner is placed at: their ability's band, capped to the levels on offer. */
export function placedLevel(theta: number, levels: readonly CefrLevel[]): CefrLevel {
  const offered = CEFR_LEVELS.filter((l) => levels.includes(l));
  if (!offered.length) return levelForAbility(theta);
  let placed: CefrLevel = offered[0];
  for (const l of offered) if (theta >= levelLowerBound(l)) placed = l;
  return placed;
}

/** One step of a test: the estimate after the responses so far, and whether to stop. */
export function placementStep(
  responses: readonly Response[],
  options: { levels: readonly CefrLevel[]; remaining: number; rules?: PlacementRules },
): { estimate: AbilityEstimate; stop: StopReason } {
  const estimate = eapEstimate(responses);
  return { estimate, stop: stopReason(responses, estimate, options) };
}

/**
 * Predicted success on a lesson at which it counts as known: the lessons'
 * own mastery threshold (80%).
 */
export const KNOWN_SUCCESS = 0.8;
/** The ability margin over an item's difficulty that predicts {@link KNOWN_SUCCESS}. */
export const KNOWN_MARGIN = logit(KNOWN_SUCCESS);

/** Mean predicted success over a lesson's items (null when it has none). */
export function lessonPredictedSuccess(
  theta: number,
  difficulties: readonly number[],
): number | null {
  if (!difficulties.length) return null;
  return difficulties.reduce((s, b) => s + probabilityCorrect(theta, b), 0) / difficulties.length;
}

/**
 * The lesson to start at: the first (in course order) whose content the learner
 * is not predicted to know; the last one when they are predicted to know all.
 */
export function placedLesson(
  theta: number,
  lessons: readonly { id: string; difficulties: readonly number[] }[],
): string | null {
  if (!lessons.length) return null;
  const first = lessons.find((l) => {
    const p = lessonPredictedSuccess(theta, l.difficulties);
    return p === null || p < KNOWN_SUCCESS;
  });
  return (first ?? lessons[lessons.length - 1]).id;
}

/** Whether a finished placement at `placed` lets a learner skip to a course at `courseLevel`. */
export function placementCovers(placed: string | null | undefined, courseLevel: string): boolean {
  if (!placed) return false;
  const rank = (l: string) => (CEFR_LEVELS as readonly string[]).indexOf(l);
  return rank(placed) >= 0 && rank(courseLevel) >= 0 && rank(placed) >= rank(courseLevel);
}

/**
 * Whether a course's prerequisite is met, and how: by completing the prerequisite
 * course, or by a placement at or above this course's level. `placedLevel` is the
 * learner's latest placement (undefined when not looked up: only needed while the
 * prerequisite is not completed).
 */
export function prerequisiteMet(args: {
  prerequisite: { completed: boolean } | null;
  placedLevel: string | null | undefined;
  courseLevel: string;
}): { met: boolean; via: "completion" | "placement" | null } {
  if (!args.prerequisite) return { met: true, via: null };
  if (args.prerequisite.completed) return { met: true, via: "completion" };
  if (placementCovers(args.placedLevel, args.courseLevel)) return { met: true, via: "placement" };
  return { met: false, via: null };
}

/**
 * The lesson a new enrolment opens: the one the learner's placement put them in when
 * it placed them in this course, else the course's first (null for an empty course).
 */
export function startingLessonId(
  lessonIds: readonly string[],
  courseId: string,
  placement: { placedCourseId: string | null; placedLessonId: string | null } | null,
): string | null {
  const placed = placement?.placedCourseId === courseId
    ? lessonIds.find((id) => id === placement.placedLessonId)
    : undefined;
  return placed ?? lessonIds[0] ?? null;
}

// ---------------------------------------------------------------- the item bank and one step

/** A placement item with what is needed to show and grade it. */
export interface BankItem extends PlacementItem {
  kind: "vocabulary" | "grammar_exercise";
  level: string;
}

/**
 * The bank of a language: its words and grammar exercises up to the highest
 * level with a course, each at its calibrated difficulty when one is stored,
 * else at its content prior (`prior`, computed by the caller with the model).
 */
export function placementBank(
  items: readonly (Omit<BankItem, "difficulty"> & { prior: number })[],
  stored: ReadonlyMap<string, number>,
  levels: readonly CefrLevel[],
): BankItem[] {
  const top = Math.max(...levels.map((l) => CEFR_LEVELS.indexOf(l)));
  return items.filter((i) => CEFR_LEVELS.indexOf(i.level as CefrLevel) <= top)
    .map(({ prior, ...item }) => ({ ...item, difficulty: stored.get(item.id) ?? prior }));
}

export interface StoredResponse extends Response {
  item_id: string;
  group: string;
}

/**
 * After the responses so far: the estimate, whether to stop (and why), and
 * the next item when not stopping.
 */
export function advancePlacement<T extends BankItem>(
  responses: readonly StoredResponse[],
  bank: readonly T[],
  options: { levels: readonly CefrLevel[]; random: () => number; rules?: PlacementRules },
): { estimate: AbilityEstimate; stop: StopReason; next: T | null } {
  const asked = new Set(responses.map((r) => r.item_id));
  const remaining = bank.filter((i) => !asked.has(i.id)).length;
  const { estimate, stop } = placementStep(responses, {
    levels: options.levels,
    remaining,
    rules: options.rules,
  });
  if (stop) return { estimate, stop, next: null };
  const next = nextItem(bank, estimate.theta, {
    asked,
    lastGroup: responses[responses.length - 1]?.group ?? null,
    random: options.random,
  });
  return { estimate, stop: next ? null : "no_items", next };
}

// ---------------------------------------------------------------- a language's test

/** A word as the bank needs it: to place it, to show it and to grade it. */
export interface BankWord extends PracticeItem {
  id: string;
  level: string;
  category: string;
  frequencyRank: number | null;
}

/** The bank of a language with the words and exercises behind its items. */
export interface LanguageBank<W extends BankWord, E extends GradableExercise> {
  items: (BankItem & { word?: W; exercise?: E })[];
  /** The levels that have courses (A1 when none has). */
  levels: CefrLevel[];
}

/**
 * A language's item bank at model difficulties (stored, else each item's content
 * prior), up to the highest level that has a course.
 */
export function languageBank<W extends BankWord, E extends GradableExercise>(
  loaded: {
    words: readonly { word: W }[];
    exercises: readonly { exercise: E; topic: { id: string; level: string } }[];
    difficulties: readonly { itemId: string; difficulty: number }[];
    courses: readonly { level: string }[];
  },
): LanguageBank<W, E> {
  const offered = CEFR_LEVELS.filter((l) => loaded.courses.some((c) => c.level === l));
  const levels: CefrLevel[] = offered.length ? offered : ["A1"];
  const stored = new Map(loaded.difficulties.map((d) => [d.itemId, d.difficulty]));
  const raw = [
    ...loaded.words.map(({ word }) => ({
      id: word.id,
      kind: "vocabulary" as const,
      level: word.level,
      group: `vocabulary:${word.category}`,
      word,
      prior: wordPrior(word),
    })),
    ...loaded.exercises.map(({ exercise, topic }) => ({
      id: exercise.id,
      kind: "grammar_exercise" as const,
      level: topic.level,
      group: `grammar:${topic.id}`,
      exercise,
      prior: exercisePrior(topic.level, exercise),
    })),
  ];
  return {
    items: placementBank(raw, stored, levels) as LanguageBank<W, E>["items"],
    levels,
  };
}

/**
 * Whether an answer to a bank item is right: a word is asked for its meaning
 * (in the learner's language, typos forgiven), an exercise is graded as in practice.
 */
export function gradePlacementItem(
  item: { word?: PracticeItem; exercise?: GradableExercise },
  answer: string | string[],
  options: { locale: Locale; targetArticles: readonly string[] },
): boolean {
  if (item.word) {
    const text = Array.isArray(answer) ? answer.join(" ") : answer;
    return checkPracticeAnswer(item.word, text, {
      direction: "to_native",
      locale: options.locale,
      targetArticles: options.targetArticles,
    }).correct;
  }
  return gradeExercise(item.exercise!, answer).correct;
}

/**
 * The tie-breaking random source for a test's next item after `answered`
 * answers: seeded by both, so a step is the same whenever it is recomputed.
 */
export function placementRandom(testId: string, answered: number): () => number {
  return seededRandom(hashSeed(`${testId}:${answered}`));
}

/**
 * Where a finished test places the learner: the level (capped to the levels on
 * offer), that level's course, and the first of its lessons whose words and
 * exercises the learner is not predicted to know.
 */
export function placementOutcome(
  theta: number,
  bank: { items: readonly { id: string; difficulty: number }[]; levels: readonly CefrLevel[] },
  structure: {
    courses: readonly { id: string; level: string }[];
    lessons: readonly { id: string; courseId: string }[];
    lessonWords: readonly { lessonId: string; vocabularyId: string }[];
    lessonExercises: readonly { lessonId: string; exerciseId: string }[];
  },
): { level: CefrLevel; courseId: string | null; lessonId: string | null } {
  const level = placedLevel(theta, bank.levels);
  const course = structure.courses.find((co) => co.level === level) ?? null;
  const difficulty = new Map(bank.items.map((i) => [i.id, i.difficulty]));
  const courseLessons = structure.lessons.filter((l) => l.courseId === course?.id).map((l) => ({
    id: l.id,
    difficulties: [
      ...structure.lessonWords.filter((w) => w.lessonId === l.id).map((w) => w.vocabularyId),
      ...structure.lessonExercises.filter((e) => e.lessonId === l.id).map((e) => e.exerciseId),
    ].map((id) => difficulty.get(id)).filter((d): d is number => d !== undefined),
  }));
  return { level, courseId: course?.id ?? null, lessonId: placedLesson(theta, courseLessons) };
}

/** The prerequisites a placement at `level` satisfies: those of the courses at or below it. */
export function prerequisitesSatisfied(
  level: CefrLevel,
  courses: readonly { level: string; prerequisiteId: string | null }[],
): string[] {
  return courses.filter((co) =>
    CEFR_LEVELS.indexOf(co.level as CefrLevel) <= CEFR_LEVELS.indexOf(level) && co.prerequisiteId
  ).map((co) => co.prerequisiteId!);
}
