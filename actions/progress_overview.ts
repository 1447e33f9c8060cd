/**
 * The learner's progress at a glance: courses, streak, XP and level, the daily
 * goal with 30 days of history, words and skill levels. All-time figures come
 * from the running totals, the rest from the last 30 days: one read round trip.
 */
import { loadProgress } from "../db/progress_queries.ts";
import { storedStreakOf, xpInWeek, xpOn } from "../db/learner_totals.ts";
import { minutesOf, SKILLS } from "../domain/analytics.ts";
import { addDays, localDate, secondsLeftToday, weekStartUtc } from "../domain/calendar.ts";
import { goalMet, goalProgress } from "../domain/daily_goal.ts";
import { levelForXp, levelsGained } from "../domain/levels.ts";
import { localized } from "../domain/localize.ts";
import { streakAsOf } from "../domain/streaks.ts";
import type { ActionDeps, Learner } from "./deps.ts";

/** Word counts as shown: the aggregates come back from SQL as strings or bigints. */
export function wordCounts(words: { studied: number; learned: unknown; mature: unknown }) {
  return { studied: words.studied, learned: Number(words.learned), mature: Number(words.mature) };
}

export async function progressOverview(deps: ActionDeps, user: Learner) {
  const { db, clock, locale } = deps;
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const p = await loadProgress(db, { userId: user.id, today, since30: addDays(today, -29) });
  const streak = streakAsOf(storedStreakOf(p.totals), today);
  const todayXp = xpOn(p.totals, today);
  const todaySeconds = p.today.reduce((n, r) => n + r.seconds, 0);
  const skillXp = new Map(p.skills.map((s) => [s.skill, Number(s.xp)]));
  const recentXp = new Map(p.recentSkills.map((s) => [s.skill, Number(s.xp)]));
  const left = secondsLeftToday(now, user.timezone);
  return {
    courses: p.courses.map((r) => ({
      course_id: r.course.id,
      title: localized(r.course.title, locale),
      level: r.course.level,
      language: {
        id: r.language.id,
        code: r.language.code,
        name: localized(r.language.name, locale),
      },
      completion_percentage: r.progress.completionPercentage,
      lessons_completed: r.progress.completedLessons,
      lessons_total: Number(r.total),
      last_lesson: r.progress.lastLessonId
        ? {
          id: r.progress.lastLessonId,
          title: r.lastLessonTitle
            ? localized(JSON.parse(r.lastLessonTitle as unknown as string), locale)
            : null,
        }
        : null,
      enrolled_at: r.progress.enrolledAt.toISOString(),
      last_activity_at: r.progress.lastActivityAt.toISOString(),
      completed_at: r.progress.completedAt?.toISOString() ?? null,
    })),
    current_streak: streak.current_streak,
    longest_streak: streak.longest_streak,
    streak: {
      ...streak,
      at_risk: streak.current_streak > 0 && !streak.active_today,
      seconds_left_today: left,
      timezone: user.timezone,
    },
    xp: user.xp,
    ...levelForXp(user.xp),
    xp_today: todayXp,
    xp_this_week: xpInWeek(p.totals, weekStartUtc(now)),
    daily_goal: {
      ...goalProgress(user.preferences, { xp: todayXp, seconds: todaySeconds }),
      seconds_left_today: left,
      history: p.history.map((h) => ({
        date: h.day,
        xp: Number(h.xp),
        minutes: minutesOf(Number(h.seconds)),
        met: goalMet(user.preferences, { xp: Number(h.xp), seconds: Number(h.seconds) }),
      })),
    },
    words: wordCounts(p.words),
    skills: SKILLS.map((skill) => {
      const total = skillXp.get(skill) ?? 0;
      const recent = recentXp.get(skill) ?? 0;
      return {
        skill,
        xp: total,
        level: levelForXp(total).level,
        change_30d: { xp: recent, levels: levelsGained(total, recent) },
      };
    }),
  };
}
