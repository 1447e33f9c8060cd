/**
 * Vocabulary scheduling with FSRS (the `ts-fsrs` package, FSRS-6 defaults): a
 * pure wrapper that takes `now` and the learner's preferences, maps an answer to
 * a rating, and keeps the spec's `user_vocabulary` columns consistent with the
 * FSRS state.
 *
 * Rating (documented for learners and frontends):
 * 1. A wrong answer is always `again`, whatever the learner says.
 * 2. A right answer takes the learner's own rating when given (`again` / `hard` /
 *    `good` / `easy`).
 * 3. Otherwise a right answer is `hard` when it needed forgiveness (one typo or a
 *    missing accent) or was slow (more than 8 s plus 0.3 s per letter of the
 *    expected answer), and `good` otherwise. `easy` only comes from the learner.
 *
 * Steps: a new or lapsed word that is failed comes back after 10 minutes; a first
 * correct answer graduates at once (the word was met in its lesson first).
 */
import {
  type Card,
  createEmptyCard,
  type FSRS,
  fsrs,
  generatorParameters,
  type Grade,
  Rating,
  State,
} from "ts-fsrs";

export type SelfRating = "again" | "hard" | "good" | "easy";

export const RATING_NAMES: Record<number, SelfRating> = {
  [Rating.Again]: "again",
  [Rating.Hard]: "hard",
  [Rating.Good]: "good",
  [Rating.Easy]: "easy",
};
const RATING_OF: Record<SelfRating, Grade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};
export const STATE_NAMES = ["new", "learning", "review", "relearning"] as const;

/** The stored memory state of one word for one learner (`user_vocabulary`). */
export interface CardState {
  stability: number;
  difficulty: number;
  state: State;
  reps: number;
  lapses: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  nextReview: Date;
  lastReviewed: Date | null;
  familiarityLevel: number;
  reviewCount: number;
  correctCount: number;
  introducedAt: Date;
}

export interface SchedulerOptions {
  desiredRetention: number;
  maximumIntervalDays: number;
  /** Spread intervals a little so reviews do not bunch up; off in tests. */
  fuzz: boolean;
  /**
   * The learner's own FSRS-6 weights (21, see domain/fsrs_fitting.ts); the
   * defaults when absent.
   */
  parameters?: readonly number[] | null;
}

/**
 * A learner's scheduler: the retention they asked for, their interval cap and their
 * fitted weights (null: the defaults). Every endpoint that schedules or forecasts
 * builds its options here, so none of them can forget a setting.
 */
export function learnerSchedulerOptions(
  preferences: { desired_retention: number; max_interval_days: number },
  fuzz: boolean,
  parameters: readonly number[] | null = null,
): SchedulerOptions {
  return {
    desiredRetention: preferences.desired_retention,
    maximumIntervalDays: preferences.max_interval_days,
    fuzz,
    parameters,
  };
}

const schedulers = new Map<string, FSRS>();

/** An FSRS scheduler for the given options (cached: they are few). */
export function scheduler(options: SchedulerOptions): FSRS {
  const weights = options.parameters?.length === 21 ? options.parameters : null;
  const key = `${options.desiredRetention}|${options.maximumIntervalDays}|${options.fuzz}|${
    weights?.join(",") ?? ""
  }`;
  let f = schedulers.get(key);
  if (!f) {
    // Each learner with fitted weights adds one: keep the cache bounded.
    if (schedulers.size >= 1000) schedulers.delete(schedulers.keys().next().value!);
    f = fsrs(generatorParameters({
      ...(weights ? { w: [...weights] } : {}),
      request_retention: options.desiredRetention,
      maximum_interval: options.maximumIntervalDays,
      enable_fuzz: options.fuzz,
      enable_short_term: true,
      learning_steps: ["10m"],
      relearning_steps: ["10m"],
    }));
    schedulers.set(key, f);
  }
  return f;
}

/** The FSRS rating for an answer (see the module comment for the rules). */
export function ratingFor(answer: {
  correct: boolean;
  forgiven: boolean;
  selfRating?: SelfRating;
  responseTimeMs: number;
  expectedLength: number;
}): Grade {
  if (!answer.correct) return Rating.Again;
  if (answer.selfRating) return RATING_OF[answer.selfRating];
  const slowMs = 8000 + 300 * answer.expectedLength;
  if (answer.forgiven || answer.responseTimeMs > slowMs) return Rating.Hard;
  return Rating.Good;
}

function toCard(state: CardState | null, now: Date): Card {
  if (!state) return createEmptyCard(now);
  return {
    due: state.nextReview,
    stability: state.stability,
    difficulty: state.difficulty,
    elapsed_days: state.elapsedDays,
    scheduled_days: state.scheduledDays,
    learning_steps: state.learningSteps,
    reps: state.reps,
    lapses: state.lapses,
    state: state.state as State,
    last_review: state.lastReviewed ?? undefined,
  };
}

/**
 * Familiarity 0–5 for the spec's column: 0 new, 1 learning or relearning, then by
 * stability in days: 2 under a week, 3 under three weeks, 4 under three months, 5 beyond.
 */
export function familiarity(state: number, stability: number): number {
  if (state === State.New) return 0;
  if (state === State.Learning || state === State.Relearning) return 1;
  if (stability < 7) return 2;
  if (stability < 21) return 3;
  if (stability < 90) return 4;
  return 5;
}

/** A word counts as mature once its stability reaches three weeks. */
export const MATURE_STABILITY_DAYS = 21;

/** Probability of recalling the word at `now` (0–1); 0 for a word never reviewed. */
export function retrievability(
  state: CardState | null,
  now: Date,
  options: SchedulerOptions,
): number {
  if (!state || state.state === State.New) return 0;
  return scheduler(options).get_retrievability(toCard(state, now), now, false);
}

export interface ReviewOutcome {
  card: CardState;
  rating: Grade;
  ratingName: SelfRating;
  intervalDays: number;
  /** What the review log keeps: the state before, and FSRS's log fields. */
  log: { stateBefore: number; elapsedDays: number; scheduledDays: number };
  retrievabilityBefore: number;
}

/** Applies one review to a card (null: the first time the learner sees the word). */
export function review(
  previous: CardState | null,
  answer: { rating: Grade; correct: boolean },
  now: Date,
  options: SchedulerOptions,
): ReviewOutcome {
  const f = scheduler(options);
  const before = toCard(previous, now);
  const { card, log } = f.next(before, now, answer.rating);
  // ts-fsrs keeps hard < good < easy by adding a day each, which can pass the
  // maximum by two days; the learner's maximum wins.
  if (card.scheduled_days > options.maximumIntervalDays) {
    card.scheduled_days = options.maximumIntervalDays;
    card.due = new Date(now.getTime() + options.maximumIntervalDays * 86_400_000);
  }
  const next: CardState = {
    stability: card.stability,
    difficulty: card.difficulty,
    state: card.state,
    reps: card.reps,
    lapses: card.lapses,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    nextReview: card.due,
    lastReviewed: now,
    familiarityLevel: familiarity(card.state, card.stability),
    reviewCount: (previous?.reviewCount ?? 0) + 1,
    correctCount: (previous?.correctCount ?? 0) + (answer.correct ? 1 : 0),
    introducedAt: previous?.introducedAt ?? now,
  };
  return {
    card: next,
    rating: answer.rating,
    ratingName: RATING_NAMES[answer.rating],
    intervalDays: Math.round(((card.due.getTime() - now.getTime()) / 86_400_000) * 1000) / 1000,
    log: {
      stateBefore: log.state,
      elapsedDays: log.elapsed_days,
      scheduledDays: card.scheduled_days,
    },
    retrievabilityBefore: previous ? retrievability(previous, now, options) : 0,
  };
}

/**
 * Orders due cards for review: the most at risk of being forgotten first
 * (lowest retrievability), then the harder ones (higher FSRS difficulty).
 */
export function reviewOrder<T extends { card: CardState }>(
  due: readonly T[],
  now: Date,
  options: SchedulerOptions,
): (T & { retrievability: number })[] {
  return due.map((d) => ({ ...d, retrievability: retrievability(d.card, now, options) }))
    .sort((a, b) =>
      a.retrievability - b.retrievability || b.card.difficulty - a.card.difficulty ||
      a.card.nextReview.getTime() - b.card.nextReview.getTime()
    );
}

/**
 * New words a review queue of `limit` shows: what is left of today's allowance,
 * and only in the room the due reviews leave (new words wait while many are due).
 */
export function newWordSlots(args: {
  dailyLimit: number;
  introducedToday: number;
  limit: number;
  dueShown: number;
}) {
  const remainingToday = Math.max(0, args.dailyLimit - args.introducedToday);
  return {
    remainingToday,
    shown: Math.max(0, Math.min(remainingToday, args.limit - args.dueShown)),
  };
}

/** Whole days a card is past its due time (0 when not yet due). */
export function overdueDays(card: CardState, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - card.nextReview.getTime()) / 86_400_000));
}

/** A card as the API shows it: its memory state now, rounded for display. */
export function memoryView(card: CardState | null, now: Date, options: SchedulerOptions) {
  if (!card) return null;
  return {
    state: STATE_NAMES[card.state] ?? "new",
    retrievability: Math.round(retrievability(card, now, options) * 1000) / 1000,
    stability_days: Math.round(card.stability * 100) / 100,
    difficulty: Math.round(card.difficulty * 100) / 100,
    familiarity_level: card.familiarityLevel,
    next_review: card.nextReview.toISOString(),
    last_reviewed: card.lastReviewed?.toISOString() ?? null,
    review_count: card.reviewCount,
    correct_count: card.correctCount,
    lapses: card.lapses,
  };
}
