/** `/api/progress`: courses, streak, XP and level, daily goal, skills; analytics. */
import { Hono } from "hono";
import { z } from "zod";
import { firstActiveDay, loadAnalytics, loadProgress } from "../db/progress_queries.ts";
import { storedStreakOf, xpInWeek, xpOn } from "../db/learner_totals.ts";
import { recentErrors } from "../db/quizzes.ts";
import { ERROR_KIND_NAMES, errorPatterns } from "../domain/error_patterns.ts";
import { analyze, insights, SKILLS } from "../domain/analytics.ts";
import { addDays, localDate, startOfLocalDay, weekStartUtc } from "../domain/calendar.ts";
import { levelForXp } from "../domain/levels.ts";
import { localized } from "../domain/localize.ts";
import { FREEZE_EVERY_DAYS, MAX_FREEZES, streakAsOf } from "../domain/streaks.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const AnalyticsQuery = z.object({
  period: z.enum(["7", "30", "90", "all"]).default("30"),
}).strict();

/** Seconds until the learner's local midnight. */
function secondsLeftToday(now: Date, timeZone: string): number {
  const start = startOfLocalDay(now, timeZone);
  // 30 h after midnight is always inside the next local day, DST or not.
  const next = startOfLocalDay(new Date(start.getTime() + 30 * 3_600_000), timeZone);
  return Math.max(0, Math.round((next.getTime() - now.getTime()) / 1000));
}

export const progressRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Progress: courses, streak, XP and level, daily goal, skill levels",
      description: "Streaks count days in the learner's time zone; a freeze is earned every " +
        `${FREEZE_EVERY_DAYS} streak days (at most ${MAX_FREEZES} held) and spent on a missed day.`,
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const now = clock.now();
      const today = localDate(now, user.timezone);
      const since30 = addDays(today, -29);
      const p = await loadProgress(db, { userId: user.id, today, since30 });
      const streak = streakAsOf(storedStreakOf(p.totals), today);
      const todayXp = xpOn(p.totals, today);
      const todayMinutes = Math.round(p.today.reduce((n, r) => n + r.seconds, 0) / 6) / 10;
      const goalXp = user.preferences.daily_goal_xp;
      const goalMinutes = user.preferences.daily_goal_minutes;
      const met = (xp: number, seconds: number) =>
        goalMinutes ? seconds / 60 >= goalMinutes : xp >= goalXp;
      const skillXp = new Map(p.skills.map((s) => [s.skill, Number(s.xp)]));
      const recentXp = new Map(p.recentSkills.map((s) => [s.skill, Number(s.xp)]));
      const left = secondsLeftToday(now, user.timezone);
      return c.json({
        data: {
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
            unit: goalMinutes ? "minutes" : "xp",
            target: goalMinutes ?? goalXp,
            progress: goalMinutes ? todayMinutes : todayXp,
            met: met(todayXp, p.today.reduce((n, r) => n + r.seconds, 0)),
            seconds_left_today: left,
            history: p.history.map((h) => ({
              date: h.day,
              xp: Number(h.xp),
              minutes: Math.round(Number(h.seconds) / 6) / 10,
              met: met(Number(h.xp), Number(h.seconds)),
            })),
          },
          words: {
            studied: p.words.studied,
            learned: Number(p.words.learned),
            mature: Number(p.words.mature),
          },
          skills: SKILLS.map((skill) => {
            const total = skillXp.get(skill) ?? 0;
            const recent = recentXp.get(skill) ?? 0;
            const level = levelForXp(total).level;
            return {
              skill,
              xp: total,
              level,
              change_30d: { xp: recent, levels: level - levelForXp(total - recent).level },
            };
          }),
        },
      });
    },
  )
  .get(
    "/analytics",
    describe({
      summary:
        "Analytics: time per day and skill, accuracy per skill and exercise type, words, forecast, insights",
      description:
        "`period` is 7, 30 or 90 days, or `all`. Figures come from daily rollups, so the " +
        "cost follows the period's days, not the number of actions.",
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    validate("query", AnalyticsQuery),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const { period } = c.req.valid("query");
      const now = clock.now();
      const today = localDate(now, user.timezone);
      let from = period === "all"
        ? (await firstActiveDay(db, user.id)) ?? today
        : addDays(today, -(Number(period) - 1));
      if (from > today) from = today;
      // Insights compare this week with last week, so read at least 14 days.
      const readFrom = from < addDays(today, -13) ? from : addDays(today, -13);
      const data = await loadAnalytics(db, { userId: user.id, from: readFrom, to: today, now });
      const result = analyze(data.rows, from, today);
      const forecast = Array.from({ length: 7 }, (_, i) => ({ date: addDays(today, i), due: 0 }));
      for (const f of data.forecast) if (forecast[f.day]) forecast[f.day].due += f.n;
      return c.json({
        data: {
          period,
          from,
          to: today,
          ...result,
          words: {
            studied: data.words.studied,
            learned: Number(data.words.learned),
            mature: Number(data.words.mature),
          },
          review_forecast: forecast,
          insights: insights(data.rows, today).map((t) => localized(t, locale)),
        },
      });
    },
  )
  .get(
    "/errors",
    describe({
      summary:
        "Most frequent error patterns (last 90 days) with examples and a suggested practice set",
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const user = currentUser(c);
      const now = c.var.clock.now();
      const events = await recentErrors(
        c.var.db,
        user.id,
        new Date(now.getTime() - 90 * 86_400_000),
        1000,
      );
      const result = errorPatterns(events);
      return c.json({
        data: {
          total_errors: events.length,
          patterns: result.patterns.map((p) => ({
            ...p,
            label: localized(
              ERROR_KIND_NAMES[p.error_kind] ?? ERROR_KIND_NAMES.wrong,
              c.var.locale,
            ),
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
        },
      });
    },
  );
