/** Account rules: how usernames and emails are compared, and profile defaults. */
import type { UserPreferences } from "../db/schema.ts";

/** The form a username is compared in: Unicode-compatible, case-insensitive. */
export function usernameKey(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase();
}

/** The form an email is compared in (the whole address, case-insensitive). */
export function emailKey(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

/** True when `name` is a valid IANA time zone for this runtime. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const DEFAULT_PREFERENCES: UserPreferences = {
  desired_retention: 0.9,
  daily_new_limit: 10,
  max_interval_days: 365,
  target_success_rate: 0.8,
  daily_goal_xp: 50,
  daily_goal_minutes: null,
  public_leaderboard: true,
  profile_visibility: "friends",
};
