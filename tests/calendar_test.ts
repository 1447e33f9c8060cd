import assert from "node:assert/strict";
import {
  addDays,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  localDate,
  secondsLeftToday,
  startOfLocalDay,
} from "../domain/calendar.ts";

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

Deno.test("startOfLocalDay() is the day's first instant when DST skips midnight", () => {
  const start = (at: string, zone: string) => startOfLocalDay(new Date(at), zone).toISOString();
  // Santiago: 2026-09-06 00:00 (-04) jumps to 01:00 (-03); the day starts at the jump.
  assert.equal(start("2026-09-06T15:00:00Z", "America/Santiago"), "2026-09-06T04:00:00.000Z");
  assert.equal(start("2026-09-05T15:00:00Z", "America/Santiago"), "2026-09-05T04:00:00.000Z");
  assert.equal(start("2026-09-07T15:00:00Z", "America/Santiago"), "2026-09-07T03:00:00.000Z");
  // Havana: 2026-03-08 00:00 (-05) jumps to 01:00 (-04).
  assert.equal(start("2026-03-08T15:00:00Z", "America/Havana"), "2026-03-08T05:00:00.000Z");
  // Havana falls back at 01:00 to 00:00: midnight happens twice, the first one counts.
  assert.equal(start("2026-11-01T15:00:00Z", "America/Havana"), "2026-11-01T04:00:00.000Z");
});

Deno.test("startOfLocalDay() gives the first second of the local date all year in many zones", () => {
  const zones = [
    "UTC",
    "America/Santiago",
    "America/Havana",
    "America/Asuncion",
    "America/New_York",
    "Europe/Madrid",
    "Asia/Beirut",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
  ];
  for (const zone of zones) {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 5 * 3_600_000) {
      const at = new Date(t);
      const date = localDate(at, zone);
      const start = startOfLocalDay(at, zone);
      const where = `${zone} ${at.toISOString()}`;
      assert.ok(start <= at, where);
      assert.equal(localDate(start, zone), date, where);
      assert.ok(localDate(new Date(start.getTime() - 1000), zone) < date, where);
    }
  }
});

Deno.test("localDate (offset remembered per minute) agrees with Intl's own date across a year", () => {
  const zones = [
    "UTC",
    "America/Santiago",
    "America/Havana",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "America/St_Johns",
  ];
  for (const timeZone of zones) {
    const intl = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    // Every 17 minutes, each instant asked twice and then a second later (same cached minute):
    // DST changes and local midnights fall between and on these instants.
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 17 * 60_000) {
      for (const at of [t, t, t + 1000, t + 59_999]) {
        assert.equal(localDate(new Date(at), timeZone), intl.format(at), `${timeZone} ${at}`);
      }
    }
  }
});

Deno.test("secondsLeftToday() counts to the next local midnight, across a DST change", () => {
  assert.equal(secondsLeftToday(new Date("2026-06-01T23:59:00Z"), "UTC"), 60);
  assert.equal(secondsLeftToday(new Date("2026-06-01T00:00:00Z"), "UTC"), 86_400);
  // New York, the evening before the clocks go back (2026-11-01): local midnight is 04:00Z.
  assert.equal(secondsLeftToday(new Date("2026-11-01T03:00:00Z"), "America/New_York"), 3600);
  // On the day itself the local day is 25 hours long: midnight after is 05:00Z on the 2nd.
  assert.equal(
    secondsLeftToday(new Date("2026-11-01T04:00:00Z"), "America/New_York"),
    25 * 3600,
  );
});
