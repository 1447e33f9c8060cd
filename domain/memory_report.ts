/**
 * What a learner is told about their memory: the review forecast, retention, the
 * forgetting curve, how their personal FSRS model compares with the defaults, and
 * one word's replayed history with its predicted recall ahead. Pure: the caller
 * loads the rows and passes `now`.
 */
import { dateDiffInDays, State } from "ts-fsrs";
import { localDate } from "./calendar.ts";
import { curveFromStabilities, type Grade, recall, replayCard } from "./fsrs_fitting.ts";
import { RATING_NAMES } from "./spaced_repetition.ts";

const DAY_MS = 86_400_000;
/** Days at which the learner's overall forgetting curve is reported. */
export const CURVE_DAYS = [1, 2, 3, 7, 14, 30, 60, 90, 180, 365];

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Reviews due on each of the next `days` local days; `upcoming.day` is 0 for today. */
export function reviewForecast(
  upcoming: readonly { day: number; n: number }[],
  days: number,
  now: Date,
  timezone: string,
) {
  const forecast = Array.from({ length: days }, (_, i) => ({
    date: localDate(new Date(now.getTime() + i * DAY_MS), timezone),
    due: 0,
  }));
  for (const row of upcoming) {
    if (forecast[row.day]) forecast[row.day].due += row.n;
  }
  return forecast;
}

/**
 * Recall rates from review outcomes grouped by the card's state before the review.
 * True retention counts only cards that were in review, not still being learned.
 */
export function retentionSummary(
  outcomes: readonly { stateBefore: number; reviews: number; correct: unknown }[],
) {
  const reviewed = outcomes.find((o) => o.stateBefore === State.Review);
  const all = outcomes.reduce(
    (a, o) => ({ n: a.n + o.reviews, c: a.c + Number(o.correct) }),
    { n: 0, c: 0 },
  );
  return {
    trueRetention: reviewed && reviewed.reviews > 0
      ? round3(Number(reviewed.correct) / reviewed.reviews)
      : null,
    matureReviews: reviewed?.reviews ?? 0,
    accuracy: all.n ? round3(all.c / all.n) : null,
    reviews: all.n,
  };
}

/** Mean predicted recall of the learner's reviewed words, t days after a review. */
export function forgettingCurvePoints(stabilities: readonly number[], w: readonly number[]) {
  if (!stabilities.length) return [];
  return curveFromStabilities(stabilities, w, CURVE_DAYS)
    .map((r, i) => ({ days: CURVE_DAYS[i], recall: round3(r) }));
}

/** A fitted model's held-out log losses against the defaults'. */
export interface ModelFit {
  status: string;
  active: boolean;
  defaultLogLoss: number | null;
  fittedLogLoss: number | null;
  testReviews: number | null;
}

/** The fit's relative log-loss improvement over the defaults (null before a fit). */
export function modelImprovement(model: ModelFit | null): number | null {
  return model?.defaultLogLoss && model.fittedLogLoss !== null
    ? (model.defaultLogLoss - model.fittedLogLoss) / model.defaultLogLoss
    : null;
}

/** The fit's log losses as reported (rounded), or null before a fit. */
export function logLossView(model: ModelFit | null) {
  return model?.defaultLogLoss != null && model.fittedLogLoss != null
    ? {
      default: round3(model.defaultLogLoss),
      fitted: round3(model.fittedLogLoss),
      recent_reviews_compared: model.testReviews,
    }
    : null;
}

/** What the learner reads about their model. */
export function modelMessage(
  model: { status: string; active: boolean } | null,
  missing: { reviews: number; words: number },
  improvement: number | null,
): string {
  if (missing.reviews > 0 || missing.words > 0) {
    const parts = [
      missing.reviews > 0 ? `${missing.reviews} more reviews` : null,
      missing.words > 0 ? `reviews of ${missing.words} more words` : null,
    ].filter(Boolean).join(" and ");
    return `Your reviews are scheduled with the standard memory model. After ${parts}, ` +
      `a personal model will be fitted to how you remember.`;
  }
  if (!model) return "Your personal memory model will be fitted shortly.";
  if (model.active && improvement !== null) {
    const pct = Math.max(0, Math.round(improvement * 100));
    return `Your personal model predicts your recall ${pct}% better than the default ` +
      `on your most recent reviews, so your reviews are scheduled with it.`;
  }
  if (model.status === "failed") {
    return "The last fit of your personal model did not work out; your reviews keep the " +
      "standard model until the next one.";
  }
  return "A personal model did not predict your recent reviews better than the default, so " +
    "your reviews stay on the standard model; it is fitted again as you practise.";
}

/**
 * One word's reviews replayed under weights `w`: stability and difficulty after
 * each, and predicted recall on each local day from today to `days` ahead
 * (none before a first review). Ratings outside again..easy are not graded reviews.
 */
export function wordMemoryReplay(
  w: readonly number[],
  history: readonly { rating: number; reviewedAt: Date }[],
  forecast: { now: Date; days: number; timezone: string },
) {
  const reviews = history.filter((r) => r.rating >= 1 && r.rating <= 4);
  const steps = replayCard(
    w,
    reviews.map((r, i) => ({
      rating: r.rating as Grade,
      elapsedDays: i ? Math.max(0, dateDiffInDays(reviews[i - 1].reviewedAt, r.reviewedAt)) : 0,
    })),
  );
  const last = steps.at(-1);
  const lastAt = reviews.at(-1)?.reviewedAt;
  const { now, days, timezone } = forecast;
  return {
    history: steps.map((s, i) => ({
      reviewed_at: reviews[i].reviewedAt.toISOString(),
      rating: RATING_NAMES[s.rating],
      elapsed_days: s.elapsedDays,
      predicted_recall: s.predicted === null ? null : round3(s.predicted),
      stability_days: round2(s.stability),
      difficulty: round2(s.difficulty),
    })),
    forecast: last && lastAt
      ? Array.from({ length: days + 1 }, (_, d) => {
        const at = new Date(now.getTime() + d * DAY_MS);
        const t = Math.max(0, dateDiffInDays(lastAt, at));
        return {
          date: localDate(at, timezone),
          days_from_now: d,
          recall: round3(recall(w, t, last.stability)),
        };
      })
      : [],
  };
}
