/**
 * What a learner's running totals are, derived from their day-by-day activity:
 * the one definition both the rebuild (after a migration, or an undo that rewrites
 * history) and the invariant tests use. The write path keeps the same figures up to
 * date incrementally in SQL (db/learner_totals.ts).
 */
import { type StoredStreak, storedStreak } from "./streaks.ts";

/** One local day of activity, summed over kinds and skills. */
export interface DayTotal {
  day: string;
  actions: number;
  xp: number;
}

export interface DerivedTotals {
  streak: StoredStreak;
  /** XP earned on the last active day. */
  xpLastDay: number;
  /** Days whose XP reached the goal. */
  goalDays: number;
}

/** The totals after these days, one entry per day (days without actions are not active). */
export function totalsFromDays(days: readonly DayTotal[], goalXp: number): DerivedTotals {
  const active = days.filter((d) => d.actions > 0);
  const streak = storedStreak(active.map((d) => d.day));
  return {
    streak,
    xpLastDay: active.filter((d) => d.day === streak.lastActiveDay).reduce((n, d) => n + d.xp, 0),
    goalDays: active.filter((d) => d.xp >= goalXp).length,
  };
}

/** The days with one action worth `xp` taken back from `day` (an undo). */
export function withoutAction(days: readonly DayTotal[], day: string, xp: number): DayTotal[] {
  return days.map((d) => d.day === day ? { day, actions: d.actions - 1, xp: d.xp - xp } : d);
}
