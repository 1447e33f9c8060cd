/**
 * After a learning action: recompute the learner's statistics, decide with the
 * pure achievement rules which are newly earned, and award them. The unique key
 * on (user, achievement) makes a race harmless; only the request whose insert
 * landed reports the achievement as new.
 */
import type { Db } from "../db/client.ts";
import {
  achievementDefinitionsQuery,
  insertAchievements,
  learnerStatsStatements,
  loadAchievementDefinitions,
  type LoadedStats,
  parseLearnerStats,
} from "../db/learner_stats.ts";
import type { Statement } from "../db/learning_records.ts";
import {
  type AchievementDefinition,
  type LearnerStats,
  newlyEarned,
} from "../domain/achievements.ts";
import { localDate, zoneOffsetMs } from "../domain/calendar.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { streakAsOf, type StreakState } from "../domain/streaks.ts";
import type { ActionDeps, Learner } from "./deps.ts";

type DefinitionRow = Awaited<ReturnType<typeof loadAchievementDefinitions>>[number];
const definitionsCache = new WeakMap<Db, DefinitionRow[]>();

/** Achievement definitions, read once per database handle (they change only on reseed). */
export async function achievementDefinitions(db: Db): Promise<DefinitionRow[]> {
  let cached = definitionsCache.get(db);
  if (!cached) {
    cached = await loadAchievementDefinitions(db);
    definitionsCache.set(db, cached);
  }
  return cached;
}

/** The learner's local hour at `at`. */
export function localHour(at: Date, timeZone: string): number {
  return new Date(at.getTime() + zoneOffsetMs(at, timeZone)).getUTCHours();
}

/** Turns loaded statistics into what achievement criteria are checked against. */
export function learnerStats(
  stats: LoadedStats,
  streak: StreakState,
  activityHour?: number,
): LearnerStats {
  const actions = (kind: string) => Number(stats.kinds[kind]?.actions ?? 0);
  const accuracy = Object.fromEntries(
    Object.entries(stats.kinds).map((
      [kind, k],
    ) => [kind, { correct: Number(k.correct), total: Number(k.total) }]),
  );
  return {
    counts: {
      lessons_completed: stats.lessonsCompleted,
      courses_completed: stats.coursesCompleted,
      words_learned: stats.wordsLearned,
      mature_words: stats.matureWords,
      reviews: actions("practice"),
      grammar_sets: actions("exercise"),
      grammar_topics_mastered: stats.grammarMastered,
      quizzes_passed: stats.quizzesPassed,
      perfect_quizzes: stats.perfectQuizzes,
      xp: stats.xp,
      languages: stats.languages,
      daily_goal_days: stats.goalDays,
      translations: actions("translation"),
      pronunciation_attempts: actions("pronunciation"),
    },
    currentStreak: streak.current_streak,
    accuracy,
    activityHour,
  };
}

export function achievementView(
  d: Pick<DefinitionRow, "id" | "category" | "points" | "title" | "description">,
  locale: Locale,
) {
  return {
    id: d.id,
    category: d.category,
    points: d.points,
    title: localized(d.title, locale),
    description: localized(d.description, locale),
  };
}

/**
 * The reads an award needs, to append to the action's own write batch (so the
 * statistics are read after the action, without another round trip), and the
 * step that finishes the award from their results.
 */
export function awardPlan(deps: ActionDeps, user: Learner) {
  const { db } = deps;
  const cached = definitionsCache.get(db);
  const statements = [
    ...learnerStatsStatements(db, user.id),
    ...(cached ? [] : [achievementDefinitionsQuery(db)]),
  ] as Statement[];
  return {
    statements,
    /** Evaluates and awards; `results` are the batch results of `statements`. */
    finish: (results: readonly unknown[], at: Date) => {
      const stats = parseLearnerStats(results);
      let defs = cached;
      if (!defs) {
        defs = results[results.length - 1] as DefinitionRow[];
        definitionsCache.set(db, defs);
      }
      return award(deps, user, at, stats, defs);
    },
  };
}

/** Awards what the action earned; returns the new achievements and the streak. */
async function award(
  deps: ActionDeps,
  user: Learner,
  at: Date,
  stats: LoadedStats,
  defs: DefinitionRow[],
) {
  const { db, locale } = deps;
  const streak = streakAsOf(stats.streak, localDate(at, user.timezone));
  const fresh = newlyEarned(
    defs as unknown as AchievementDefinition[],
    learnerStats(stats, streak, localHour(at, user.timezone)),
    stats.earned,
  );
  const inserted = new Set(await insertAchievements(db, user.id, fresh.map((f) => f.id), at));
  return {
    new_achievements: fresh.filter((f) => inserted.has(f.id)).map((d) => ({
      ...achievementView(d, locale),
      earned_at: at.toISOString(),
    })),
    streak: { current: streak.current_streak, active_today: streak.active_today },
  };
}
