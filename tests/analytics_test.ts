import assert from "node:assert/strict";
import { minutesOf, periodRange, reviewForecast } from "../domain/analytics.ts";

Deno.test("periodRange(): the last n days, always reading the 14 days insights compare", () => {
  assert.deepEqual(periodRange(7, "2026-03-10", null), {
    from: "2026-03-04",
    readFrom: "2026-02-25",
  });
  assert.deepEqual(periodRange(30, "2026-03-10", null), {
    from: "2026-02-09",
    readFrom: "2026-02-09",
  });
});

Deno.test("periodRange(): all time starts on the first active day, or today; never after today", () => {
  assert.equal(periodRange(null, "2026-03-10", "2025-12-01").from, "2025-12-01");
  assert.equal(periodRange(null, "2026-03-10", null).from, "2026-03-10");
  // A first day after today (the learner moved west): clamped.
  assert.deepEqual(periodRange(null, "2026-03-10", "2026-03-11"), {
    from: "2026-03-10",
    readFrom: "2026-02-25",
  });
});

Deno.test("reviewForecast(): seven days from today, counts by day offset, later ones dropped", () => {
  const forecast = reviewForecast("2026-12-30", [{ day: 0, n: 3 }, { day: 2, n: 1 }, {
    day: 7,
    n: 9,
  }]);
  assert.deepEqual(forecast.map((f) => f.date), [
    "2026-12-30",
    "2026-12-31",
    "2027-01-01",
    "2027-01-02",
    "2027-01-03",
    "2027-01-04",
    "2027-01-05",
  ]);
  assert.deepEqual(forecast.map((f) => f.due), [3, 0, 1, 0, 0, 0, 0]);
});

Deno.test("minutesOf() rounds to a tenth of a minute", () => {
  assert.equal(minutesOf(0), 0);
  assert.equal(minutesOf(90), 1.5);
  assert.equal(minutesOf(100), 1.7);
});
