/**
 * The learner's achievements (earned with dates, locked with progress) and a
 * leaderboard (weekly or all time, global or among friends). The stats, the
 * definitions and the board are read concurrently.
 */
import { loadLearnerStats } from "../db/learner_stats.ts";
import { leaderboard } from "../db/social.ts";
import { type AchievementDefinition, progressToward } from "../domain/achievements.ts";
import { localDate, weekStartUtc } from "../domain/calendar.ts";
import { competitionRanks } from "../domain/leaderboard.ts";
import { streakAsOf } from "../domain/streaks.ts";
import { achievementDefinitions, achievementView, learnerStats } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export const BOARDS = ["weekly", "all_time"] as const;
export const BOARD_SCOPES = ["global", "friends"] as const;

export interface AchievementsRequest {
  board: (typeof BOARDS)[number];
  scope: (typeof BOARD_SCOPES)[number];
  /** Rows of the board's top. */
  limit: number;
}

export async function achievementList(
  deps: ActionDeps,
  user: Learner,
  input: AchievementsRequest,
) {
  const { db, clock, locale } = deps;
  const now = clock.now();
  const weekStart = weekStartUtc(now);
  const [stats, defs, board] = await Promise.all([
    loadLearnerStats(db, user.id),
    achievementDefinitions(db),
    leaderboard(db, {
      board: input.board,
      userId: user.id,
      weekStart,
      limit: input.limit,
      friendsOnly: input.scope === "friends",
    }),
  ]);
  const learner = learnerStats(stats, streakAsOf(stats.streak, localDate(now, user.timezone)));
  const list = defs.map((d) => {
    const at = stats.earnedAt.get(d.id);
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
  const ranks = competitionRanks(board.top.map((row) => row.xp));
  const earned = list.filter((a) => a.earned);
  return {
    points: earned.reduce((n, a) => n + a.points, 0),
    earned_count: earned.length,
    achievements: list,
    leaderboard: {
      board: input.board,
      scope: input.scope,
      week_start: input.board === "weekly" ? `${weekStart}T00:00:00Z` : null,
      top: board.top.map((row, i) => ({
        rank: ranks[i],
        user_id: row.id,
        username: row.username,
        display_name: row.displayName,
        xp: row.xp,
        is_me: row.id === user.id,
      })),
      me: board.mine ? { rank: board.mine.rank, xp: board.mine.xp } : null,
      listed: user.preferences.public_leaderboard,
    },
  };
}
