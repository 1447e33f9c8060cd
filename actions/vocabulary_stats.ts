/**
 * The learner's vocabulary statistics: reviews due over the next 7 or 30 days,
 * true retention and accuracy over the last 30, card maturity, and the forgetting
 * curve under the learner's own FSRS weights when they have them.
 */
import { loadVocabularyStats } from "../db/vocabulary_cards.ts";
import { DEFAULT_PARAMETERS } from "../domain/fsrs_fitting.ts";
import {
  forgettingCurvePoints,
  retentionSummary,
  reviewForecast,
} from "../domain/memory_report.ts";
import { MATURE_STABILITY_DAYS } from "../domain/spaced_repetition.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface VocabularyStatsRequest {
  /** Days of forecast: 7 or 30. */
  days: number;
}

export async function vocabularyStats(
  deps: ActionDeps,
  user: Learner,
  input: VocabularyStatsRequest,
) {
  const now = deps.clock.now();
  const stats = await loadVocabularyStats(deps.db, user.id, now, input.days);
  const forecast = reviewForecast(stats.upcoming, input.days, now, user.timezone);
  const retention = retentionSummary(stats.outcomes);
  return {
    forecast,
    due_now: forecast[0]?.due ?? 0,
    true_retention_30d: retention.trueRetention,
    mature_reviews_30d: retention.matureReviews,
    accuracy_30d: retention.accuracy,
    reviews_30d: retention.reviews,
    desired_retention: user.preferences.desired_retention,
    cards: Number(stats.totals.cards),
    mature: Number(stats.totals.mature ?? 0),
    learning: Number(stats.totals.learning ?? 0),
    mature_threshold_days: MATURE_STABILITY_DAYS,
    personal_model: stats.parameters !== null,
    forgetting_curve: forgettingCurvePoints(
      stats.stabilities,
      stats.parameters ?? DEFAULT_PARAMETERS,
    ),
  };
}
