/** Calendar days in a learner's own time zone. */

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  make: () => Intl.DateTimeFormat,
) {
  let f = cache.get(timeZone);
  if (!f) {
    f = make();
    if (cache.size > 1000) cache.clear();
    cache.set(timeZone, f);
  }
  return f;
}

/** The date (YYYY-MM-DD) that `at` falls on in `timeZone`: its UTC date moved by the offset. */
export function localDate(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 10);
}

/**
 * The last offset worked out per zone, with the minute it holds for: an offset
 * only changes at a transition, and every transition falls on a whole minute, so
 * within one minute a zone's offset is fixed. A request asks the same zone about
 * the same moment several times (today's date, the hour, the day's start), and
 * `formatToParts` costs microseconds each time.
 */
const lastOffset = new Map<string, { minute: number; offset: number }>();

/** Milliseconds that `timeZone` is ahead of UTC at the instant `at`. */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastOffset.get(timeZone);
  if (last?.minute === minute) return last.offset;
  const offset = offsetFromParts(at, timeZone);
  if (lastOffset.size > 1000) lastOffset.clear();
  lastOffset.set(timeZone, { minute, offset });
  return offset;
}

function offsetFromParts(at: Date, timeZone: string): number {
  const parts = cached(clockFormats, timeZone, () =>
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The first instant of the local day containing `at` in `timeZone`: local
 * midnight, or, on a day whose midnight a DST change skips (America/Santiago
 * 2026-09-06, Havana in March), the instant the clocks jumped.
 */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const date = localDate(at, timeZone);
  const [y, m, d] = date.split("-").map(Number);
  const midnightUtc = Date.UTC(y, m - 1, d);
  const first = zoneOffsetMs(new Date(midnightUtc), timeZone);
  const guess = midnightUtc - first;
  const offset = zoneOffsetMs(new Date(guess), timeZone);
  // Midnight exists at `guess` (its own offset agrees) and the second before it is still the
  // previous day at that offset (no change in between): the usual case, three lookups.
  if (offset === first && zoneOffsetMs(new Date(guess - 1000), timeZone) === offset) {
    return new Date(guess);
  }
  return new Date(firstInstantOf(date, timeZone, guess));
}

/**
 * The earliest whole second on local `date`, searched within six hours of
 * `near` (every DST change is smaller; the day's start lies in that span).
 */
function firstInstantOf(date: string, timeZone: string, near: number): number {
  let before = near - 6 * 3_600_000; // still the previous local day
  let on = near + 6 * 3_600_000; // already `date`
  while (on - before > 1000) {
    const mid = before + Math.floor((on - before) / 2000) * 1000;
    if (localDate(new Date(mid), timeZone) < date) before = mid;
    else on = mid;
  }
  return on;
}

/** Whole seconds from `now` until the learner's next local midnight (never negative). */
export function secondsLeftToday(now: Date, timeZone: string): number {
  const start = startOfLocalDay(now, timeZone);
  // 30 h after midnight is always inside the next local day, DST or not.
  const next = startOfLocalDay(new Date(start.getTime() + 30 * 3_600_000), timeZone);
  return Math.max(0, Math.round((next.getTime() - now.getTime()) / 1000));
}

/** The Monday (UTC) that starts the leaderboard week containing `at`, as YYYY-MM-DD. */
export function weekStartUtc(at: Date): string {
  const day = (at.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

/** The calendar date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from date `a` to date `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date: consecutive dates are consecutive numbers. */
export function dayNumber(date: string): number {
  // Sliced rather than split: a year of history parses 365 of these per answer.
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** The YYYY-MM-DD date of a {@link dayNumber}. */
export function dateOfDayNumber(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}
