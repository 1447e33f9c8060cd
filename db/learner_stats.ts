/**
 * A learner's statistics for achievements, streaks and goals, read in one round
 * trip from the rollups and state tables (never by scanning the activity log).
 */
import { and, count, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
  achievements,
  courses,
  dailyActivity,
  quizAttempts,
  userAchievements,
  userGrammar,
  userLessons,
  userProgress,
  users,
  userVocabulary,
} from "./schema.ts";

export async function loadLearnerStats(db: Db, userId: string, goalXp: number) {
  const perDay = db.select({
    day: dailyActivity.localDate,
    xp: sql<number>`sum(${dailyActivity.xp})`.as("xp"),
  })
    .from(dailyActivity).where(eq(dailyActivity.userId, userId)).groupBy(dailyActivity.localDate)
    .as("per_day");
  const [byKind, days, lessons, coursesDone, languages, words, grammar, quizzes, user, earned] =
    await db.batch([
      db.select({
        kind: dailyActivity.kind,
        actions: sql<number>`sum(${dailyActivity.actions})`,
        correct: sql<number>`sum(${dailyActivity.correct})`,
        total: sql<number>`sum(${dailyActivity.total})`,
      }).from(dailyActivity).where(eq(dailyActivity.userId, userId)).groupBy(dailyActivity.kind),
      db.select({ day: perDay.day, xp: perDay.xp }).from(perDay).orderBy(perDay.day),
      db.select({ n: count() }).from(userLessons)
        .where(and(eq(userLessons.userId, userId), isNotNull(userLessons.completedAt))),
      db.select({ n: count() }).from(userProgress)
        .where(and(eq(userProgress.userId, userId), isNotNull(userProgress.completedAt))),
      db.select({ n: sql<number>`count(DISTINCT ${courses.languageId})` }).from(userProgress)
        .innerJoin(courses, eq(courses.id, userProgress.courseId)).where(
          eq(userProgress.userId, userId),
        ),
      db.select({
        learned: sql<
          number
        >`coalesce(sum(CASE WHEN ${userVocabulary.correctCount} > 0 THEN 1 ELSE 0 END), 0)`,
        mature: sql<
          number
        >`coalesce(sum(CASE WHEN ${userVocabulary.state} = 2 AND ${userVocabulary.stability} >= 21 THEN 1 ELSE 0 END), 0)`,
      }).from(userVocabulary).where(eq(userVocabulary.userId, userId)),
      db.select({ n: count() }).from(userGrammar)
        .where(and(eq(userGrammar.userId, userId), isNotNull(userGrammar.masteredAt))),
      db.select({
        passed: sql<number>`coalesce(sum(CASE WHEN ${quizAttempts.passed} THEN 1 ELSE 0 END), 0)`,
        perfect: sql<
          number
        >`coalesce(sum(CASE WHEN ${quizAttempts.percentage} >= 100 THEN 1 ELSE 0 END), 0)`,
      }).from(quizAttempts).where(
        and(eq(quizAttempts.userId, userId), isNotNull(quizAttempts.submittedAt)),
      ),
      db.select({ xp: users.xp }).from(users).where(eq(users.id, userId)),
      db.select({ id: userAchievements.achievementId }).from(userAchievements)
        .where(eq(userAchievements.userId, userId)),
    ]);
  const kinds = Object.fromEntries(byKind.map((k) => [k.kind, k]));
  return {
    kinds,
    days: days.map((d) => ({ day: d.day, xp: Number(d.xp) })),
    lessonsCompleted: lessons[0].n,
    coursesCompleted: coursesDone[0].n,
    languages: Number(languages[0].n),
    wordsLearned: Number(words[0].learned),
    matureWords: Number(words[0].mature),
    grammarMastered: grammar[0].n,
    quizzesPassed: Number(quizzes[0].passed),
    perfectQuizzes: Number(quizzes[0].perfect),
    xp: user[0]?.xp ?? 0,
    goalDays: days.filter((d) => Number(d.xp) >= goalXp).length,
    earned: new Set(earned.map((e) => e.id)),
  };
}

export type LoadedStats = Awaited<ReturnType<typeof loadLearnerStats>>;

/** The seeded achievement definitions, ordered for display. */
export async function loadAchievementDefinitions(db: Db) {
  return await db.select().from(achievements).orderBy(achievements.position);
}

/** Awards achievements; returns the ids this call inserted (a race loses nothing and doubles nothing). */
export async function insertAchievements(db: Db, userId: string, ids: string[], now: Date) {
  if (!ids.length) return [];
  const [first, ...rest] = ids.map((id) =>
    db.insert(userAchievements).values({ userId, achievementId: id, earnedAt: now })
      .onConflictDoNothing().returning({ id: userAchievements.achievementId })
  );
  const results = await db.batch([first, ...rest]);
  return results.flat().map((r) => r.id);
}

/** Earned achievements with dates. */
export async function earnedAchievements(db: Db, userId: string) {
  return await db.select().from(userAchievements).where(eq(userAchievements.userId, userId));
}
