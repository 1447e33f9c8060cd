/**
 * A learner's statistics for achievements, streaks and goals, read in one round
 * trip from the running totals and state tables (never by aggregating the
 * activity log or the rollups).
 */
import { eq, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { Statement } from "./learning_records.ts";
import { preparedReads, preparedStatement } from "./prepared.ts";
import { kindTotalsQuery, storedStreakOf, totalsQuery } from "./learner_totals.ts";
import {
  achievements,
  courses,
  matureCard,
  quizAttempts,
  userAchievements,
  userGrammar,
  userLessons,
  userProgress,
  users,
  userVocabulary,
} from "./schema.ts";

/** The statements that read a learner's statistics (to run alone or at the end of a write batch). */
export function learnerStatsQueries(db: Db, userId: string | Placeholder) {
  return [
    kindTotalsQuery(db, userId),
    totalsQuery(db, userId),
    db.select({
      lessons: sql<
        number
      >`(SELECT count(*) FROM ${userLessons} WHERE ${userLessons.userId} = ${userId} AND ${userLessons.completedAt} IS NOT NULL)`,
      coursesDone: sql<
        number
      >`(SELECT count(*) FROM ${userProgress} WHERE ${userProgress.userId} = ${userId} AND ${userProgress.completedAt} IS NOT NULL)`,
      languages: sql<
        number
      >`(SELECT count(DISTINCT ${courses.languageId}) FROM ${userProgress} JOIN ${courses} ON ${courses.id} = ${userProgress.courseId} WHERE ${userProgress.userId} = ${userId})`,
      learned: sql<
        number
      >`(SELECT count(*) FROM ${userVocabulary} WHERE ${userVocabulary.userId} = ${userId} AND ${userVocabulary.correctCount} > 0)`,
      mature: sql<
        number
      >`(SELECT count(*) FROM ${userVocabulary} WHERE ${userVocabulary.userId} = ${userId} AND ${
        matureCard(userVocabulary)
      })`,
      grammar: sql<
        number
      >`(SELECT count(*) FROM ${userGrammar} WHERE ${userGrammar.userId} = ${userId} AND ${userGrammar.masteredAt} IS NOT NULL)`,
      passed: sql<
        number
      >`(SELECT count(*) FROM ${quizAttempts} WHERE ${quizAttempts.userId} = ${userId} AND ${quizAttempts.passed} = 1)`,
      perfect: sql<
        number
      >`(SELECT count(*) FROM ${quizAttempts} WHERE ${quizAttempts.userId} = ${userId} AND ${quizAttempts.percentage} >= 100)`,
      xp: users.xp,
    }).from(users).where(eq(users.id, userId)),
    db.select({ id: userAchievements.achievementId, earnedAt: userAchievements.earnedAt })
      .from(userAchievements).where(eq(userAchievements.userId, userId)),
  ] as const;
}

type StatsResults = {
  [K in keyof ReturnType<typeof learnerStatsQueries>]: Awaited<
    ReturnType<typeof learnerStatsQueries>[K]
  >;
};

/** Turns the results of {@link learnerStatsQueries} into statistics. */
export function parseLearnerStats(results: readonly unknown[]) {
  const [byKind, totals, counts, earned] = results as unknown as StatsResults;
  const c = counts[0];
  return {
    kinds: Object.fromEntries(byKind.map((k) => [k.kind, k])),
    streak: storedStreakOf(totals[0]),
    lessonsCompleted: Number(c?.lessons ?? 0),
    coursesCompleted: Number(c?.coursesDone ?? 0),
    languages: Number(c?.languages ?? 0),
    wordsLearned: Number(c?.learned ?? 0),
    matureWords: Number(c?.mature ?? 0),
    grammarMastered: Number(c?.grammar ?? 0),
    quizzesPassed: Number(c?.passed ?? 0),
    perfectQuizzes: Number(c?.perfect ?? 0),
    xp: Number(c?.xp ?? 0),
    goalDays: totals[0]?.goalDays ?? 0,
    earned: new Set(earned.map((e) => e.id)),
    earnedAt: new Map(earned.map((e) => [e.id, e.earnedAt])),
  };
}

/** A learner's statistics in one round trip. */
export async function loadLearnerStats(db: Db, userId: string) {
  return parseLearnerStats(await statsReads(db, { userId }));
}

const statsReads = preparedReads(["userId"], (db, p) => learnerStatsQueries(db, p.userId));

/** The same reads as items for the end of an action's write batch, prepared once. */
const trailingStats = [0, 1, 2, 3].map((i) =>
  preparedStatement(["userId"], (db, p) => learnerStatsQueries(db, p.userId)[i as 0])
);
export function learnerStatsStatements(db: Db, userId: string): Statement[] {
  return trailingStats.map((statement) => statement(db, { userId }) as Statement);
}

export type LoadedStats = Awaited<ReturnType<typeof loadLearnerStats>>;

/** The seeded achievement definitions, ordered for display. */
export function achievementDefinitionsQuery(db: Db) {
  return db.select().from(achievements).orderBy(achievements.position);
}

export async function loadAchievementDefinitions(db: Db) {
  return await achievementDefinitionsQuery(db);
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
