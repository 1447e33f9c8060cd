/**
 * Achievements as data: each has criteria in JSON, and one pure function decides
 * which are earned and how far the learner is toward the rest.
 *
 * Criteria:
 * - `{"type": "count", "metric": M, "at_least": n}` — a learner statistic reaches n
 *   (metrics: {@link METRICS});
 * - `{"type": "streak", "at_least": n}` — the current streak reaches n days;
 * - `{"type": "accuracy", "metric": "practice", "at_least": 0.9, "min_total": 50}` —
 *   share of correct answers of that kind, over at least `min_total` answers;
 * - `{"type": "time_of_day", "from_hour": h1, "before_hour": h2}` — the activity that
 *   triggered the check happened between those local hours (wrapping past midnight).
 */
import { z } from "zod";
import { LocalizedText } from "./content_schema.ts";

export const METRICS = [
  "lessons_completed",
  "courses_completed",
  "words_learned",
  "mature_words",
  "reviews",
  "grammar_sets",
  "grammar_topics_mastered",
  "quizzes_passed",
  "perfect_quizzes",
  "xp",
  "languages",
  "daily_goal_days",
  "translations",
  "pronunciation_attempts",
] as const;
export type Metric = (typeof METRICS)[number];

export const Criteria = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("count"),
    metric: z.enum(METRICS),
    at_least: z.number().int().positive(),
  }),
  z.object({ type: z.literal("streak"), at_least: z.number().int().positive() }),
  z.object({
    type: z.literal("accuracy"),
    metric: z.enum(["practice", "exercise", "quiz", "translation"]),
    at_least: z.number().min(0).max(1),
    min_total: z.number().int().positive(),
  }),
  z.object({
    type: z.literal("time_of_day"),
    from_hour: z.number().int().min(0).max(23),
    before_hour: z.number().int().min(0).max(24),
  }),
]);
export type Criteria = z.infer<typeof Criteria>;

export const AchievementDefinition = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  category: z.string().min(1),
  points: z.number().int().positive(),
  title: LocalizedText,
  description: LocalizedText,
  criteria: Criteria,
}).strict();
export type AchievementDefinition = z.infer<typeof AchievementDefinition>;

export const AchievementsFile = z.object({ achievements: z.array(AchievementDefinition).min(20) })
  .strict();

/** What the criteria are checked against. */
export interface LearnerStats {
  counts: Record<Metric, number>;
  currentStreak: number;
  /** Correct and total answers per activity kind. */
  accuracy: Partial<Record<string, { correct: number; total: number }>>;
  /** Local hour (0–23) of the activity being evaluated, if any. */
  activityHour?: number;
}

export interface AchievementProgress {
  id: string;
  earned: boolean;
  current: number;
  target: number;
}

/** Progress toward one achievement. */
export function progressToward(
  def: AchievementDefinition,
  stats: LearnerStats,
): AchievementProgress {
  const c = def.criteria;
  switch (c.type) {
    case "count": {
      const current = stats.counts[c.metric] ?? 0;
      return {
        id: def.id,
        earned: current >= c.at_least,
        current: Math.min(current, c.at_least),
        target: c.at_least,
      };
    }
    case "streak":
      return {
        id: def.id,
        earned: stats.currentStreak >= c.at_least,
        current: Math.min(stats.currentStreak, c.at_least),
        target: c.at_least,
      };
    case "accuracy": {
      const a = stats.accuracy[c.metric] ?? { correct: 0, total: 0 };
      const enough = a.total >= c.min_total;
      const rate = a.total ? a.correct / a.total : 0;
      return {
        id: def.id,
        earned: enough && rate >= c.at_least,
        current: Math.min(a.total, c.min_total),
        target: c.min_total,
      };
    }
    case "time_of_day": {
      const h = stats.activityHour;
      const inWindow = h !== undefined &&
        (c.from_hour < c.before_hour
          ? h >= c.from_hour && h < c.before_hour
          : h >= c.from_hour || h < c.before_hour);
      return { id: def.id, earned: inWindow, current: inWindow ? 1 : 0, target: 1 };
    }
  }
}

/**
 * The achievements newly earned by the learner (not in `alreadyEarned`) given
 * their statistics after an activity.
 */
export function newlyEarned(
  definitions: readonly AchievementDefinition[],
  stats: LearnerStats,
  alreadyEarned: ReadonlySet<string>,
): AchievementDefinition[] {
  return definitions.filter((d) => !alreadyEarned.has(d.id) && progressToward(d, stats).earned);
}
