/** `/api/progress`: courses, streak, XP and level, daily goal, skills; analytics. */
import { Hono } from "hono";
import { z } from "zod";
import { ERROR_WINDOW_DAYS, errorReview } from "../actions/error_review.ts";
import { ANALYTICS_PERIODS, learningAnalytics } from "../actions/learning_analytics.ts";
import { progressOverview } from "../actions/progress_overview.ts";
import { FREEZE_EVERY_DAYS, MAX_FREEZES } from "../domain/streaks.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const AnalyticsQuery = z.object({
  period: z.enum(ANALYTICS_PERIODS).default("30"),
}).strict();

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
    async (c) => c.json({ data: await progressOverview(c.var, currentUser(c)) }),
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
      const analytics = await learningAnalytics(c.var, currentUser(c), c.req.valid("query"));
      return c.json({ data: analytics });
    },
  )
  .get(
    "/errors",
    describe({
      summary:
        `Most frequent error patterns (last ${ERROR_WINDOW_DAYS} days) with examples and a suggested practice set`,
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    async (c) => c.json({ data: await errorReview(c.var, currentUser(c)) }),
  );
