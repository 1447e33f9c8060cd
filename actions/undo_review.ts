/**
 * Undo a learner's last review of a word: the card returns to exactly the state the
 * review started from, and the review's activity and XP come back out of every
 * total, in one atomic batch. It refuses (409) when the card or the running totals
 * moved between reading and writing, rather than restoring over newer work.
 */
import { cardFromSnapshot, cardState, lastReview, undoStatements } from "../db/vocabulary_cards.ts";
import { learnerSchedulerOptions, memoryView, RATING_NAMES } from "../domain/spaced_repetition.ts";
import { conflict, notFound } from "../http/errors.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { rowsChanged, runWriteBatch } from "./write_batch.ts";

export async function undoLastReview(deps: ActionDeps, user: Learner, vocabularyId: string) {
  const { db, clock, config } = deps;
  const { log, card, activity, totals, days, parameters } = await lastReview(
    db,
    user.id,
    vocabularyId,
  );
  if (!log || !card || !activity) throw notFound("A review to undo");
  const restore = log.previous ? cardFromSnapshot(log.previous) : null;
  const now = clock.now();
  const written = await runWriteBatch(db, {
    undo: undoStatements(db, {
      userId: user.id,
      vocabularyId,
      logId: log.id,
      current: cardState(card),
      restore,
      reviewedAt: log.reviewedAt,
      now,
      activity,
      totals,
      days,
      goalXp: user.preferences.daily_goal_xp,
    }),
  });
  if (rowsChanged(written.undo[0]) !== 1) {
    throw conflict("The card changed while undoing; reload and try again");
  }
  const options = learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, parameters);
  return {
    vocabulary_id: vocabularyId,
    undone_review: { rating: RATING_NAMES[log.rating], reviewed_at: log.reviewedAt.toISOString() },
    card: memoryView(restore, now, options),
  };
}
