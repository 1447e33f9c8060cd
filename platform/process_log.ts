/** The process's own JSON log lines (start, stop, database readiness). */

export function log(entry: Record<string, unknown>) {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", ...entry }));
}

/** Drops credentials from a database URL before logging it. */
export function redactUrl(url: string): string {
  return url.replace(/authToken=[^&]+/, "authToken=***");
}
