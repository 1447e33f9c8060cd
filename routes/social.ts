/** `/api/social`: practice partners, the friends feed and weekly XP challenges. */
import { Hono } from "hono";
import { z } from "zod";
import {
  challengesThisWeek,
  connections,
  createChallenge,
  findLearners,
  findUserPublic,
  follow,
  friendsFeed,
  unfollow,
} from "../db/social.ts";
import { usernameKey } from "../domain/accounts.ts";
import { weekStartUtc } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const SearchQuery = z.object({ q: z.string().trim().min(2).max(32) }).strict();
const ChallengeBody = z.object({ opponent_id: z.string().min(1).max(64) }).strict();

export const socialRoutes = new Hono<AppEnv>()
  .get(
    "/users",
    describe({ summary: "Find learners by username prefix", tags: ["social"], auth: "user" }),
    requireUser,
    validate("query", SearchQuery),
    async (c) => {
      const rows = await findLearners(c.var.db, usernameKey(c.req.valid("query").q), 20);
      return c.json({
        data: rows.filter((r) => r.visibility !== "private" || r.id === currentUser(c).id)
          .map((r) => ({ id: r.id, username: r.username, display_name: r.displayName })),
      });
    },
  )
  .get(
    "/connections",
    describe({
      summary: "Who the learner follows and who follows them",
      tags: ["social"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const { following, followers } = await connections(c.var.db, currentUser(c).id);
      const back = new Set(followers.map((f) => f.id));
      const view = (u: { id: string; username: string; displayName: string | null }) => ({
        id: u.id,
        username: u.username,
        display_name: u.displayName,
      });
      return c.json({
        data: {
          following: following.map((u) => ({ ...view(u), mutual: back.has(u.id) })),
          followers: followers.map(view),
        },
      });
    },
  )
  .post(
    "/follow/:id",
    describe({ summary: "Follow a practice partner (idempotent)", tags: ["social"], auth: "user" }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const me = currentUser(c);
      const { id } = c.req.valid("param");
      if (id === me.id) throw badRequest("You cannot follow yourself");
      const other = await findUserPublic(c.var.db, id);
      if (!other || other.visibility === "private") throw notFound("Learner");
      await follow(c.var.db, me.id, id, c.var.clock.now());
      return c.json({ data: { following: true, user_id: id } });
    },
  )
  .delete(
    "/follow/:id",
    describe({ summary: "Stop following a learner", tags: ["social"], auth: "user" }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const removed = await unfollow(c.var.db, currentUser(c).id, c.req.valid("param").id);
      if (!removed) throw notFound("Follow");
      return c.json({ data: { following: false, user_id: c.req.valid("param").id } });
    },
  )
  .get(
    "/feed",
    describe({
      summary: "Recent achievements and streak milestones of the people the learner follows",
      description: "Shows public profiles, and friends-only profiles that follow the learner back.",
      tags: ["social"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const rows = await friendsFeed(c.var.db, currentUser(c).id, 50);
      return c.json({
        data: rows.map((r) => ({
          type: r.category === "streaks" ? "streak_milestone" : "achievement",
          user: { id: r.userId, username: r.username, display_name: r.displayName },
          achievement: {
            id: r.achievementId,
            title: localized(r.title, c.var.locale),
            points: r.points,
          },
          at: r.earnedAt.toISOString(),
        })),
      });
    },
  )
  .post(
    "/challenges",
    describe({
      summary: "Challenge someone you follow: who earns more XP this week (UTC, from Monday)",
      tags: ["social"],
      auth: "user",
      responses: { 201: "Challenge created", 409: "Already challenged this week" },
    }),
    requireUser,
    validate("json", ChallengeBody),
    async (c) => {
      const me = currentUser(c);
      const { opponent_id } = c.req.valid("json");
      if (opponent_id === me.id) throw badRequest("Challenge someone else");
      const other = await findUserPublic(c.var.db, opponent_id);
      if (!other) throw notFound("Learner");
      const { following } = await connections(c.var.db, me.id);
      if (!following.some((f) => f.id === opponent_id)) {
        throw forbidden("Follow this learner before challenging them");
      }
      if (other.visibility === "private") throw forbidden("This learner does not take challenges");
      const now = c.var.clock.now();
      const weekStart = weekStartUtc(now);
      const created = await createChallenge(c.var.db, {
        id: crypto.randomUUID(),
        challengerId: me.id,
        opponentId: opponent_id,
        weekStart,
        now,
      });
      if (!created) throw conflict("You already challenged this learner this week");
      return c.json({ data: { opponent_id, week_start: `${weekStart}T00:00:00Z` } }, 201);
    },
  )
  .get(
    "/challenges",
    describe({
      summary: "This week's challenges with both sides' XP",
      tags: ["social"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const me = currentUser(c);
      const rows = await challengesThisWeek(c.var.db, me.id, weekStartUtc(c.var.clock.now()));
      return c.json({
        data: rows.map((r) => {
          const mine = r.challengerId === me.id ? Number(r.challengerXp) : Number(r.opponentXp);
          const theirs = r.challengerId === me.id ? Number(r.opponentXp) : Number(r.challengerXp);
          return {
            id: r.id,
            opponent: r.challengerId === me.id
              ? { id: r.opponentId, username: r.opponent }
              : { id: r.challengerId, username: r.challenger },
            my_xp: mine,
            their_xp: theirs,
            leading: mine > theirs ? "me" : mine < theirs ? "them" : "tied",
          };
        }),
      });
    },
  );
