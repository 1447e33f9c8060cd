/**
 * After a learning action: recompute the learner's statistics, decide with the
 * pure achievement rules which are newly earned, and award them. The unique key
 * on (user, achievement) makes a race harmless; only the request whose insert
 * landed reports the achievement as new.
 */
import type { Context } from "hono";
import type { Db } from "../db/client.ts";
import {
  insertAchievements,
  loadAchievementDefinitions,
  type LoadedStats,
  loadLearnerStats,
} from "../db/learner_stats.ts";
import {
  type AchievementDefinition,
  type LearnerStats,
  newlyEarned,
} from "../domain/achievements.ts";
import { localDate, zoneOffsetMs } from "../domain/calendar.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { computeStreak, type StreakState } from "../domain/streaks.ts";
import type { AppEnv, UserRow } from "./env.ts";

type DefinitionRow = Awaited<ReturnType<typeof loadAchievementDefinitions>>[number];
const definitionsCache = new WeakMap<Db, Promise<DefinitionRow[]>>();

/** Achievement definitions, read once per database handle (they change only on reseed). */
export function achievementDefinitions(db: Db): Promise<DefinitionRow[]> {
  let cached = definitionsCache.get(db);
  if (!cached) {
    cached = loadAchievementDefinitions(db);
    definitionsCache.set(db, cached);
    cached.catch(() => definitionsCache.delete(db));
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

/** Awards what the action earned; returns the new achievements and the streak. */
export async function awardAfterActivity(c: Context<AppEnv>, user: UserRow, at: Date) {
  const { db, locale } = c.var;
  const [stats, defs] = await Promise.all([
    loadLearnerStats(db, user.id, user.preferences.daily_goal_xp),
    achievementDefinitions(db),
  ]);
  const streak = computeStreak(stats.days.map((d) => d.day), localDate(at, user.timezone));
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
