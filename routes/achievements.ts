/** `/api/achievements`: earned and locked achievements with progress, and leaderboards. */
import { Hono } from "hono";
import { z } from "zod";
import { achievementList, BOARD_SCOPES, BOARDS } from "../actions/achievement_list.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const AchievementsQuery = z.object({
  board: z.enum(BOARDS).default("weekly"),
  scope: z.enum(BOARD_SCOPES).default("global"),
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
      const result = await achievementList(c.var, currentUser(c), c.req.valid("query"));
      return c.json({ data: result });
    },
  );
