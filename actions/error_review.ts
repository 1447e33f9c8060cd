/**
 * The learner's most frequent error patterns of the last 90 days, with
 * examples, labels and a practice set linking to where each item is practised.
 * One read round trip.
 */
import { recentErrors } from "../db/quizzes.ts";
import { ERROR_KIND_NAMES, errorPatterns } from "../domain/error_patterns.ts";
import { localized } from "../domain/localize.ts";
import type { ActionDeps, Learner } from "./deps.ts";

/** How far back errors count. */
export const ERROR_WINDOW_DAYS = 90;
/** Most recent errors read (bounds the work for a learner with very many). */
const ERROR_LIMIT = 1000;

export async function errorReview(deps: ActionDeps, user: Learner) {
  const now = deps.clock.now();
  const events = await recentErrors(
    deps.db,
    user.id,
    new Date(now.getTime() - ERROR_WINDOW_DAYS * 86_400_000),
    ERROR_LIMIT,
  );
  const result = errorPatterns(events);
  return {
    total_errors: events.length,
    patterns: result.patterns.map((p) => ({
      ...p,
      label: localized(ERROR_KIND_NAMES[p.error_kind] ?? ERROR_KIND_NAMES.wrong, deps.locale),
    })),
    practice_set: {
      vocabulary: result.practice_set.vocabulary.map((v) => ({
        ...v,
        practice_url: `/api/vocabulary/${v.id}/practice`,
      })),
      grammar_topics: result.practice_set.grammar_topics.map((g) => ({
        ...g,
        exercises_url: `/api/grammar/${g.id}`,
      })),
    },
  };
}
