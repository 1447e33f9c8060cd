/**
 * Learning analytics for a period: time per day and skill, accuracy per skill
 * and exercise type, words, a 7-day review forecast and insights. Read from
 * daily rollups, so the cost follows the period's days, not the number of
 * actions: one round trip, plus one for the first active day when the period
 * is "all".
 */
import { firstActiveDay, loadAnalytics } from "../db/progress_queries.ts";
import { analyze, insights, periodRange, reviewForecast } from "../domain/analytics.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { wordCounts } from "./progress_overview.ts";

export const ANALYTICS_PERIODS = ["7", "30", "90", "all"] as const;

export interface AnalyticsRequest {
  /** Days ending today, or "all" from the first active day. */
  period: (typeof ANALYTICS_PERIODS)[number];
}

export async function learningAnalytics(deps: ActionDeps, user: Learner, input: AnalyticsRequest) {
  const { db, clock, locale } = deps;
  const { period } = input;
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const { from, readFrom } = period === "all"
    ? periodRange(null, today, await firstActiveDay(db, user.id))
    : periodRange(Number(period), today, null);
  const data = await loadAnalytics(db, { userId: user.id, from: readFrom, to: today, now });
  return {
    period,
    from,
    to: today,
    ...analyze(data.rows, from, today),
    words: wordCounts(data.words),
    review_forecast: reviewForecast(today, data.forecast),
    insights: insights(data.rows, today).map((t) => localized(t, locale)),
  };
}
