/** Calendar days in a learner's own time zone. */

/** The date (YYYY-MM-DD) that `at` falls on in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Milliseconds that `timeZone` is ahead of UTC at the instant `at`. */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(at);
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

/** The instant the local day containing `at` began in `timeZone` (DST-aware). */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const [y, m, d] = localDate(at, timeZone).split("-").map(Number);
  const midnightUtc = Date.UTC(y, m - 1, d);
  let guess = midnightUtc - zoneOffsetMs(new Date(midnightUtc), timeZone);
  // The offset at the guess may differ (a DST change that day): correct once.
  guess = midnightUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}
