import assert from "node:assert/strict";
import fc from "fast-check";
import { addDays, dateOfDayNumber, dayNumber } from "../domain/calendar.ts";
import {
  advanceStreak,
  computeStreak,
  FREEZE_EVERY_DAYS,
  MAX_FREEZES,
  NO_STREAK,
  streakAsOf,
} from "../domain/streaks.ts";

/**
 * The rule as first written: walk every calendar day from the first active one to
 * today. Kept as the oracle the one-step rule must agree with.
 */
function walkStreak(activeDates: readonly string[], today: string) {
  const days = [...new Set(activeDates)].sort();
  if (days.length === 0) {
    return {
      current_streak: 0,
      longest_streak: 0,
      freezes_held: 0,
      frozen_days: [] as string[],
      active_today: false,
      last_active_date: null as string | null,
    };
  }
  const last = days[days.length - 1];
  const end = last > today ? last : today;
  const active = new Set(days.map(dayNumber));
  const endDay = dayNumber(end);
  let streak = 0, longest = 0, held = 0, sinceFreeze = 0;
  const frozen: string[] = [];
  for (let d = dayNumber(days[0]); d <= endDay; d++) {
    if (active.has(d)) {
      streak++;
      sinceFreeze++;
      longest = Math.max(longest, streak);
      if (sinceFreeze >= FREEZE_EVERY_DAYS) {
        held = Math.min(MAX_FREEZES, held + 1);
        sinceFreeze = 0;
      }
    } else if (d === endDay) {
      // today is not over
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

Deno.test("the one-step streak rule agrees with walking every calendar day", () => {
  fc.assert(
    fc.property(
      // Gaps between active days (0 = same day again), biased toward consecutive days.
      fc.array(fc.oneof(fc.constant(1), fc.constant(1), fc.nat(4)), { maxLength: 60 }),
      fc.nat(5),
      (gaps, wait) => {
        let day = "2026-01-01";
        const days = gaps.map((g) => (day = addDays(day, g)));
        const today = addDays(day, wait);
        assert.deepEqual(computeStreak(days, today), walkStreak(days, today));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("advanceStreak() ignores a day at or before the last active one", () => {
  const s = advanceStreak(advanceStreak(NO_STREAK, "2026-03-02"), "2026-03-03");
  assert.equal(advanceStreak(s, "2026-03-03"), s);
  assert.equal(advanceStreak(s, "2026-03-01"), s, "moving west adds nothing");
  assert.equal(
    streakAsOf(s, "2026-03-02").active_today,
    true,
    "a later stored day counts as today",
  );
});
