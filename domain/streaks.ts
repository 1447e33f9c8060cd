/**
 * Streaks in the learner's own calendar. A day counts when the learner finished
 * at least one learning action that day (their local date at the time, so moving
 * to another time zone does not rewrite history). Every 7 consecutive days earn a
 * streak freeze (at most 2 held); a missed day is covered automatically by a held
 * freeze, which keeps the streak alive without adding to it. Today never breaks a
 * streak: the learner has until local midnight.
 *
 * The rule is one step, {@link advanceStreak}: what a new active day does to the
 * streak as it stood after the previous active day. Running totals apply that step
 * in SQL in the write batch of every action (db/learner_totals.ts mirrors it, and
 * tests/learner_totals_test.ts checks the two agree); {@link streakAsOf} then says
 * what the stored streak means on a later day.
 */
import { dateOfDayNumber, dayNumber } from "./calendar.ts";

export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;

export interface StreakState {
  current_streak: number;
  longest_streak: number;
  freezes_held: number;
  /** Missed days a freeze covered, most recent last. */
  frozen_days: string[];
  active_today: boolean;
  last_active_date: string | null;
}

/** The streak as it stood at the end of the learner's last active day. */
export interface StoredStreak {
  current: number;
  longest: number;
  /** Active days since the last freeze was earned (or the streak began). */
  sinceFreeze: number;
  freezesHeld: number;
  frozenDays: string[];
  lastActiveDay: string | null;
}

export const NO_STREAK: StoredStreak = {
  current: 0,
  longest: 0,
  sinceFreeze: 0,
  freezesHeld: 0,
  frozenDays: [],
  lastActiveDay: null,
};

/** `count` days after `day`, as dates. */
function daysAfter(day: string, count: number): string[] {
  const n = dayNumber(day);
  return Array.from({ length: count }, (_, i) => dateOfDayNumber(n + 1 + i));
}

/**
 * The streak after an action on `day`. A day at or before the last active day
 * (a second action, or a local date behind the last one after moving west) changes
 * nothing. Missed days in between spend held freezes one by one; when they run out
 * the streak starts again at 1.
 */
export function advanceStreak(s: StoredStreak, day: string): StoredStreak {
  if (s.lastActiveDay !== null && day <= s.lastActiveDay) return s;
  const missed = s.lastActiveDay === null
    ? Infinity
    : dayNumber(day) - dayNumber(s.lastActiveDay) - 1;
  const keeps = s.current > 0 && s.freezesHeld >= missed;
  // Freezes are spent on missed days in order, even when they then run out.
  const spent = s.lastActiveDay === null ? 0 : keeps ? missed : s.freezesHeld;
  const current = keeps ? s.current + 1 : 1;
  let sinceFreeze = keeps ? s.sinceFreeze + 1 : 1;
  let freezesHeld = keeps ? s.freezesHeld - missed : 0;
  if (sinceFreeze >= FREEZE_EVERY_DAYS) {
    freezesHeld = Math.min(MAX_FREEZES, freezesHeld + 1);
    sinceFreeze = 0;
  }
  return {
    current,
    longest: Math.max(s.longest, current),
    sinceFreeze,
    freezesHeld,
    frozenDays: spent ? [...s.frozenDays, ...daysAfter(s.lastActiveDay!, spent)] : s.frozenDays,
    lastActiveDay: day,
  };
}

/** The stored streak as seen on `today` (the learner's local date): missed days since spend freezes. */
export function streakAsOf(s: StoredStreak, today: string): StreakState {
  const last = s.lastActiveDay;
  if (last === null) {
    return {
      current_streak: 0,
      longest_streak: 0,
      freezes_held: 0,
      frozen_days: [],
      active_today: false,
      last_active_date: null,
    };
  }
  // After moving west the last active local date can be ahead of "today": it counts as today.
  const missed = Math.max(0, dayNumber(today) - dayNumber(last) - 1);
  const alive = s.freezesHeld >= missed;
  const spent = alive ? missed : s.freezesHeld;
  return {
    current_streak: alive ? s.current : 0,
    longest_streak: s.longest,
    freezes_held: s.freezesHeld - spent,
    frozen_days: spent ? [...s.frozenDays, ...daysAfter(last, spent)] : s.frozenDays,
    active_today: today <= last,
    last_active_date: last,
  };
}

/** The stored streak after the given active local dates (any order, duplicates allowed). */
export function storedStreak(activeDates: readonly string[]): StoredStreak {
  return [...new Set(activeDates)].sort().reduce(advanceStreak, NO_STREAK);
}

/**
 * Computes the streak from the learner's active local dates (any order,
 * duplicates allowed) as of `today` (their current local date).
 */
export function computeStreak(activeDates: readonly string[], today: string): StreakState {
  return streakAsOf(storedStreak(activeDates), today);
}
