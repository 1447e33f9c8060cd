/**
 * The learner's daily goal: XP by default, or minutes of study when the learner
 * set a minutes goal (which then replaces the XP goal rather than adding to it).
 */
import { minutesOf } from "./analytics.ts";

export interface GoalPreferences {
  daily_goal_xp: number;
  daily_goal_minutes: number | null;
}

/** Whether a day with `xp` earned and `seconds` studied meets the goal. */
export function goalMet(goal: GoalPreferences, day: { xp: number; seconds: number }): boolean {
  return goal.daily_goal_minutes
    ? day.seconds / 60 >= goal.daily_goal_minutes
    : day.xp >= goal.daily_goal_xp;
}

/** The goal's unit, target and today's progress toward it. */
export function goalProgress(goal: GoalPreferences, today: { xp: number; seconds: number }) {
  const minutes = goal.daily_goal_minutes;
  return {
    unit: minutes ? "minutes" as const : "xp" as const,
    target: minutes ?? goal.daily_goal_xp,
    progress: minutes ? minutesOf(today.seconds) : today.xp,
    met: goalMet(goal, today),
  };
}
