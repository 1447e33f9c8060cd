/**
 * Leaderboards, follows, the friends feed, friend challenges and goals.
 * Leaderboards read `users.xp` (all time) or `weekly_xp` (this UTC week) through
 * their indexes; learners who opted out of public boards are left out.
 */
import { and, desc, eq, gt, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import {
  achievements,
  courses,
  follows,
  friendChallenges,
  goals,
  lessons,
  userAchievements,
  userLessons,
  userProgress,
  users,
  weeklyXp,
} from "./schema.ts";

const publicBoard =
  sql`coalesce(json_extract(${users.preferences}, '$.public_leaderboard'), 1) = 1`;

/** Top entries and the learner's own rank on a board. Ties share a rank (1, 2, 2, 4). */
export async function leaderboard(
  db: Db,
  args: {
    board: "weekly" | "all_time";
    userId: string;
    weekStart: string;
    limit: number;
    /** Only the people the learner follows, and the learner. */
    friendsOnly?: boolean;
  },
) {
  const circle =
    sql`(SELECT followee_id FROM ${follows} WHERE follower_id = ${args.userId} UNION SELECT ${args.userId})`;
  const scope = args.friendsOnly ? sql`${users.id} IN ${circle}` : undefined;
  if (args.board === "all_time") {
    const [top, mine] = await db.batch([
      db.select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        xp: users.xp,
      })
        .from(users).where(and(or(publicBoard, eq(users.id, args.userId)), scope))
        .orderBy(desc(users.xp), users.usernameKey).limit(args.limit),
      db.select({
        xp: users.xp,
        above: sql<number>`(SELECT count(*) FROM ${users} u2
          WHERE u2.xp > (SELECT u3.xp FROM ${users} u3 WHERE u3.id = ${args.userId})
          AND coalesce(json_extract(u2.preferences, '$.public_leaderboard'), 1) = 1
          ${args.friendsOnly ? sql`AND u2.id IN ${circle}` : sql``})`,
      }).from(users).where(eq(users.id, args.userId)),
    ]);
    return { top, mine: mine[0] ? { xp: mine[0].xp, rank: Number(mine[0].above) + 1 } : null };
  }
  const [top, mine] = await db.batch([
    db.select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      xp: weeklyXp.xp,
    })
      .from(weeklyXp).innerJoin(users, eq(users.id, weeklyXp.userId))
      .where(
        and(
          eq(weeklyXp.weekStart, args.weekStart),
          or(publicBoard, eq(users.id, args.userId)),
          scope,
        ),
      )
      .orderBy(desc(weeklyXp.xp), users.usernameKey).limit(args.limit),
    db.select({
      xp: sql<
        number
      >`coalesce((SELECT xp FROM ${weeklyXp} WHERE user_id = ${args.userId} AND week_start = ${args.weekStart}), 0)`,
      above: sql<number>`(SELECT count(*) FROM ${weeklyXp} w JOIN ${users} u2 ON u2.id = w.user_id
        WHERE w.week_start = ${args.weekStart} AND w.xp > coalesce((SELECT xp FROM ${weeklyXp}
          WHERE user_id = ${args.userId} AND week_start = ${args.weekStart}), 0)
        AND coalesce(json_extract(u2.preferences, '$.public_leaderboard'), 1) = 1
        ${args.friendsOnly ? sql`AND u2.id IN ${circle}` : sql``})`,
    }).from(users).where(eq(users.id, args.userId)),
  ]);
  return {
    top,
    mine: mine[0] ? { xp: Number(mine[0].xp), rank: Number(mine[0].above) + 1 } : null,
  };
}

export async function follow(db: Db, followerId: string, followeeId: string, now: Date) {
  await db.insert(follows).values({ followerId, followeeId, createdAt: now }).onConflictDoNothing();
}

export async function unfollow(db: Db, followerId: string, followeeId: string) {
  const rows = await db.delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
    .returning({ id: follows.followeeId });
  return rows.length > 0;
}

/** People the learner follows and who follow them, with whether it is mutual. */
export async function connections(db: Db, userId: string) {
  const [following, followers] = await db.batch([
    db.select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      xp: users.xp,
    })
      .from(follows).innerJoin(users, eq(users.id, follows.followeeId)).where(
        eq(follows.followerId, userId),
      ),
    db.select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      xp: users.xp,
    })
      .from(follows).innerJoin(users, eq(users.id, follows.followerId)).where(
        eq(follows.followeeId, userId),
      ),
  ]);
  return { following, followers };
}

/** Finds learners by username prefix (for following). */
export async function findLearners(db: Db, prefix: string, limit: number) {
  return await db.select({
    id: users.id,
    username: users.username,
    displayName: users.displayName,
    visibility: sql<
      string
    >`coalesce(json_extract(${users.preferences}, '$.profile_visibility'), 'friends')`,
  }).from(users)
    .where(sql`${users.usernameKey} >= ${prefix} AND ${users.usernameKey} < ${prefix + "\uffff"}`)
    .orderBy(users.usernameKey).limit(limit);
}

export async function findUserPublic(db: Db, id: string) {
  const [row] = await db.select({
    id: users.id,
    username: users.username,
    displayName: users.displayName,
    visibility: sql<
      string
    >`coalesce(json_extract(${users.preferences}, '$.profile_visibility'), 'friends')`,
  }).from(users).where(eq(users.id, id));
  return row;
}

/**
 * Recent achievements of the people the learner follows whose profile lets them
 * see it: `public` profiles, and `friends` profiles that follow the learner back.
 */
export async function friendsFeed(db: Db, userId: string, limit: number) {
  return await db.select({
    userId: users.id,
    username: users.username,
    displayName: users.displayName,
    achievementId: achievements.id,
    category: achievements.category,
    title: achievements.title,
    points: achievements.points,
    earnedAt: userAchievements.earnedAt,
  }).from(follows)
    .innerJoin(users, eq(users.id, follows.followeeId))
    .innerJoin(userAchievements, eq(userAchievements.userId, follows.followeeId))
    .innerJoin(achievements, eq(achievements.id, userAchievements.achievementId))
    .where(and(
      eq(follows.followerId, userId),
      sql`(coalesce(json_extract(${users.preferences}, '$.profile_visibility'), 'friends') = 'public'
        OR (json_extract(${users.preferences}, '$.profile_visibility') = 'friends'
          AND EXISTS (SELECT 1 FROM ${follows} f2 WHERE f2.follower_id = ${users.id} AND f2.followee_id = ${userId})))`,
    ))
    .orderBy(desc(userAchievements.earnedAt)).limit(limit);
}

export async function createChallenge(
  db: Db,
  args: { id: string; challengerId: string; opponentId: string; weekStart: string; now: Date },
) {
  const rows = await db.insert(friendChallenges).values({
    id: args.id,
    challengerId: args.challengerId,
    opponentId: args.opponentId,
    weekStart: args.weekStart,
    createdAt: args.now,
  }).onConflictDoNothing().returning({ id: friendChallenges.id });
  return rows.length > 0;
}

/** The learner's challenges this week with both sides' weekly XP. */
export async function challengesThisWeek(db: Db, userId: string, weekStart: string) {
  return await db.select({
    id: friendChallenges.id,
    challengerId: friendChallenges.challengerId,
    opponentId: friendChallenges.opponentId,
    challenger: sql<
      string
    >`(SELECT username FROM ${users} WHERE id = ${friendChallenges.challengerId})`,
    opponent: sql<
      string
    >`(SELECT username FROM ${users} WHERE id = ${friendChallenges.opponentId})`,
    challengerXp: sql<
      number
    >`coalesce((SELECT xp FROM ${weeklyXp} WHERE user_id = ${friendChallenges.challengerId} AND week_start = ${weekStart}), 0)`,
    opponentXp: sql<
      number
    >`coalesce((SELECT xp FROM ${weeklyXp} WHERE user_id = ${friendChallenges.opponentId} AND week_start = ${weekStart}), 0)`,
  }).from(friendChallenges).where(and(
    eq(friendChallenges.weekStart, weekStart),
    or(eq(friendChallenges.challengerId, userId), eq(friendChallenges.opponentId, userId)),
  ));
}

// ---------------------------------------------------------------- goals

export async function insertGoal(db: Db, goal: typeof goals.$inferInsert) {
  await db.insert(goals).values(goal);
}

/** Goals with their course's progress and the learner's recent lesson pace. */
export async function goalsWithPace(db: Db, userId: string, paceSince: Date) {
  const [rows, recent] = await db.batch([
    db.select({
      goal: goals,
      courseTitle: courses.title,
      progress: userProgress,
      total: sql<
        number
      >`(SELECT count(*) FROM ${lessons} WHERE ${lessons.courseId} = ${goals.courseId} AND ${lessons.status} = 'published')`,
    }).from(goals)
      .innerJoin(courses, eq(courses.id, goals.courseId))
      .leftJoin(
        userProgress,
        and(eq(userProgress.userId, goals.userId), eq(userProgress.courseId, goals.courseId)),
      )
      .where(eq(goals.userId, userId)),
    db.select({ courseId: lessons.courseId, n: sql<number>`count(*)` }).from(userLessons)
      .innerJoin(lessons, eq(lessons.id, userLessons.lessonId))
      .where(and(eq(userLessons.userId, userId), gt(userLessons.completedAt, paceSince)))
      .groupBy(lessons.courseId),
  ]);
  return { rows, recent: new Map(recent.map((r) => [r.courseId, Number(r.n)])) };
}

export async function deleteGoal(db: Db, userId: string, id: string) {
  const rows = await db.delete(goals).where(and(eq(goals.id, id), eq(goals.userId, userId)))
    .returning({ id: goals.id });
  return rows.length > 0;
}
