/** `/api/achievements`: earned and locked achievements with progress, and leaderboards. */
import { Hono } from "hono";
import { z } from "zod";
import { loadLearnerStats } from "../db/learner_stats.ts";
import { leaderboard } from "../db/social.ts";
import { type AchievementDefinition, progressToward } from "../domain/achievements.ts";
import { localDate, weekStartUtc } from "../domain/calendar.ts";
import { streakAsOf } from "../domain/streaks.ts";
import { achievementDefinitions, achievementView, learnerStats } from "../actions/awards.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const AchievementsQuery = z.object({
  board: z.enum(["weekly", "all_time"]).default("weekly"),
  scope: z.enum(["global", "friends"]).default("global"),
  limit: z.coerce.number().int().min(1).max(100).default(10),
}).strict();

export const achievementsRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Achievements (earned with dates, locked with progress) and a leaderboard",
      description: "The weekly board resets every Monday 00:00 UTC. Ties share a rank. The " +
        "learner's own rank is given even outside the top `limit`. Learners who set " +
        "`public_leaderboard: false` are not listed to others.",
      tags: ["gamification"],
      auth: "user",
    }),
    requireUser,
    validate("query", AchievementsQuery),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const q = c.req.valid("query");
      const now = clock.now();
      const weekStart = weekStartUtc(now);
      const [stats, defs, board] = await Promise.all([
        loadLearnerStats(db, user.id),
        achievementDefinitions(db),
        leaderboard(db, {
          board: q.board,
          userId: user.id,
          weekStart,
          limit: q.limit,
          friendsOnly: q.scope === "friends",
        }),
      ]);
      const streak = streakAsOf(stats.streak, localDate(now, user.timezone));
      const learner = learnerStats(stats, streak);
      const earnedAt = stats.earnedAt;
      const list = defs.map((d) => {
        const at = earnedAt.get(d.id);
        const p = progressToward(d as unknown as AchievementDefinition, learner);
        return {
          ...achievementView(d, locale),
          earned: at !== undefined,
          earned_at: at?.toISOString() ?? null,
          progress: at
            ? { current: p.target, target: p.target }
            : { current: p.current, target: p.target },
        };
      });
      // Standard competition ranking: equal XP, equal rank.
      let rank = 0;
      let previous: number | null = null;
      const top = board.top.map((row, i) => {
        if (row.xp !== previous) rank = i + 1;
        previous = row.xp;
        return {
          rank,
          user_id: row.id,
          username: row.username,
          display_name: row.displayName,
          xp: row.xp,
          is_me: row.id === user.id,
        };
      });
      return c.json({
        data: {
          points: list.filter((a) => a.earned).reduce((n, a) => n + a.points, 0),
          earned_count: list.filter((a) => a.earned).length,
          achievements: list,
          leaderboard: {
            board: q.board,
            scope: q.scope,
            week_start: q.board === "weekly" ? `${weekStart}T00:00:00Z` : null,
            top,
            me: board.mine ? { rank: board.mine.rank, xp: board.mine.xp } : null,
            listed: user.preferences.public_leaderboard,
          },
        },
      });
    },
  );
