/**
 * A learner's own data: everything exported for `GET /api/auth/user/export`
 * (GDPR-style), and deleted with the account.
 */
import { eq, or } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
  activityLog,
  certificates,
  challengeRuns,
  errorEvents,
  follows,
  friendChallenges,
  goals,
  itemCredits,
  learnerAbilities,
  placementTests,
  quizAttempts,
  reviewLogs,
  sessions,
  userAchievements,
  userGrammar,
  userLessons,
  userProgress,
  users,
  userTranslations,
  userVocabulary,
} from "./schema.ts";

/** Every row that belongs to the learner, in one round trip. */
export async function exportAccount(db: Db, userId: string) {
  const [
    progress,
    lessons,
    grammar,
    cards,
    reviews,
    activity,
    attempts,
    achievements,
    certs,
    errors,
    goalRows,
    following,
    challenges,
    runs,
    translations,
    abilities,
    placements,
    credits,
    sessionRows,
  ] = await db.batch([
    db.select().from(userProgress).where(eq(userProgress.userId, userId)),
    db.select().from(userLessons).where(eq(userLessons.userId, userId)),
    db.select().from(userGrammar).where(eq(userGrammar.userId, userId)),
    db.select().from(userVocabulary).where(eq(userVocabulary.userId, userId)),
    db.select().from(reviewLogs).where(eq(reviewLogs.userId, userId)),
    db.select().from(activityLog).where(eq(activityLog.userId, userId)),
    db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId)),
    db.select().from(userAchievements).where(eq(userAchievements.userId, userId)),
    db.select().from(certificates).where(eq(certificates.userId, userId)),
    db.select().from(errorEvents).where(eq(errorEvents.userId, userId)),
    db.select().from(goals).where(eq(goals.userId, userId)),
    db.select().from(follows).where(
      or(eq(follows.followerId, userId), eq(follows.followeeId, userId)),
    ),
    db.select().from(friendChallenges).where(
      or(eq(friendChallenges.challengerId, userId), eq(friendChallenges.opponentId, userId)),
    ),
    db.select({
      id: challengeRuns.id,
      languageId: challengeRuns.languageId,
      startedAt: challengeRuns.startedAt,
      correct: challengeRuns.correct,
    }).from(challengeRuns).where(eq(challengeRuns.userId, userId)),
    db.select().from(userTranslations).where(eq(userTranslations.userId, userId)),
    db.select().from(learnerAbilities).where(eq(learnerAbilities.userId, userId)),
    db.select().from(placementTests).where(eq(placementTests.userId, userId)),
    db.select().from(itemCredits).where(eq(itemCredits.userId, userId)),
    // Session metadata only: the id is a token hash and stays private.
    db.select({
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      userAgent: sessions.userAgent,
    }).from(sessions).where(eq(sessions.userId, userId)),
  ]);
  return {
    course_progress: progress,
    lessons,
    grammar,
    vocabulary_cards: cards,
    review_log: reviews,
    activity_log: activity,
    quiz_attempts: attempts,
    achievements,
    certificates: certs,
    error_events: errors,
    goals: goalRows,
    follows: following,
    friend_challenges: challenges,
    challenge_runs: runs,
    translations,
    abilities,
    placement_tests: placements,
    item_credits: credits,
    sessions: sessionRows,
  };
}

/** Deletes the account; every learner table cascades from `users`. */
export async function deleteAccount(db: Db, userId: string) {
  await db.batch([
    // Challenges the learner took part in as either side go with them.
    db.delete(friendChallenges).where(
      or(eq(friendChallenges.challengerId, userId), eq(friendChallenges.opponentId, userId)),
    ),
    db.delete(users).where(eq(users.id, userId)),
  ]);
}
