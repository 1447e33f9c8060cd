import assert from "node:assert/strict";
import { addDays, dateOfDayNumber, dayNumber, daysBetween } from "../domain/calendar.ts";

Deno.test("day numbers are consecutive across month, leap-day and year ends, and round-trip", () => {
  assert.equal(dayNumber("1970-01-01"), 0);
  for (const date of ["2024-02-28", "2024-02-29", "2025-02-28", "2025-12-31", "1969-12-31"]) {
    assert.equal(dayNumber(addDays(date, 1)), dayNumber(date) + 1, date);
    assert.equal(dateOfDayNumber(dayNumber(date)), date);
  }
  assert.equal(daysBetween("2024-02-28", "2024-03-01"), 2);
  assert.equal(daysBetween("2025-02-28", "2025-03-01"), 1);
  assert.equal(daysBetween("2026-03-01", "2026-01-01"), -59);
});
