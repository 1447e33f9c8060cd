import assert from "node:assert/strict";
import { analyze, insights, type Rollup } from "../domain/analytics.ts";
import { newlyEarned, progressToward } from "../domain/achievements.ts";
import { computeStreak } from "../domain/streaks.ts";
import {
  type Json,
  lessonAnswers,
  masterLesson,
  signUp,
  type TestApp,
  testApp,
} from "./helpers.ts";

const LONG_SESSIONS = { SESSION_IDLE_MINUTES: 60 * 24 * 90, SESSION_ABSOLUTE_DAYS: 365 };

Deno.test("computeStreak() counts consecutive days and keeps today open", () => {
  assert.equal(computeStreak([], "2026-01-10").current_streak, 0);
  const s = computeStreak(["2026-01-08", "2026-01-09", "2026-01-09"], "2026-01-10");
  assert.equal(s.current_streak, 2, "today not done yet: the streak is still alive");
  assert.equal(s.active_today, false);
  const broken = computeStreak(["2026-01-05", "2026-01-06", "2026-01-09"], "2026-01-09");
  assert.equal(broken.current_streak, 1);
  assert.equal(broken.longest_streak, 2);
  const gone = computeStreak(["2026-01-05"], "2026-01-07");
  assert.equal(gone.current_streak, 0, "a whole missed day without a freeze breaks it");
});

Deno.test("computeStreak() earns a freeze per 7 days, at most 2, and spends it on a missed day", () => {
  const days = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `2026-02-${String(from + i).padStart(2, "0")}`);
  const week = computeStreak(days(1, 7), "2026-02-07");
  assert.equal(week.freezes_held, 1);
  const frozen = computeStreak([...days(1, 7), ...days(9, 10)], "2026-02-10");
  assert.equal(frozen.current_streak, 9, "day 8 covered by the freeze");
  assert.deepEqual(frozen.frozen_days, ["2026-02-08"]);
  assert.equal(frozen.freezes_held, 0);
  const twoMissed = computeStreak([...days(1, 7), ...days(10, 10)], "2026-02-10");
  assert.equal(twoMissed.current_streak, 1, "one freeze cannot cover two missed days");
  const capped = computeStreak(days(1, 28), "2026-02-28");
  assert.equal(capped.freezes_held, 2);
  const west = computeStreak(["2026-02-01", "2026-02-02"], "2026-02-01");
  assert.equal(west.current_streak, 2, "a later stored date after moving west counts as today");
});

Deno.test("achievement criteria report progress and earn once", () => {
  const def = {
    id: "ten-lessons",
    category: "lessons",
    points: 30,
    title: { en: "t" },
    description: { en: "d" },
    criteria: { type: "count" as const, metric: "lessons_completed" as const, at_least: 10 },
  };
  const stats = (n: number) => ({
    counts: { lessons_completed: n } as never,
    currentStreak: 0,
    accuracy: {},
  });
  assert.deepEqual(progressToward(def, stats(7)), {
    id: "ten-lessons",
    earned: false,
    current: 7,
    target: 10,
  });
  assert.equal(newlyEarned([def], stats(10), new Set()).length, 1);
  assert.equal(newlyEarned([def], stats(12), new Set(["ten-lessons"])).length, 0);
  const owl = {
    ...def,
    id: "owl",
    criteria: { type: "time_of_day" as const, from_hour: 22, before_hour: 4 },
  };
  assert.ok(progressToward(owl, { ...stats(0), activityHour: 23 }).earned);
  assert.ok(progressToward(owl, { ...stats(0), activityHour: 2 }).earned);
  assert.ok(!progressToward(owl, { ...stats(0), activityHour: 12 }).earned);
});

Deno.test("insights() name an accuracy drop with enough answers on both sides", () => {
  const row = (localDate: string, correct: number, total: number): Rollup => ({
    localDate,
    skill: "grammar",
    kind: "exercise",
    actions: 1,
    seconds: 600,
    xp: 10,
    correct,
    total,
  });
  const rows = [row("2026-03-03", 18, 20), row("2026-03-10", 13, 20)];
  const text = insights(rows, "2026-03-12").map((t) => t.en);
  assert.ok(text.some((t) => /accuracy in grammar dropped 25 points/.test(t)), text.join("\n"));
  const few = insights([row("2026-03-03", 2, 2), row("2026-03-10", 0, 2)], "2026-03-12").map((t) =>
    t.en
  );
  assert.ok(!few.some((t) => /dropped/.test(t)), "two answers are not evidence");
  const a = analyze(rows, "2026-03-06", "2026-03-12");
  assert.equal(a.per_day.length, 7);
  assert.equal(a.totals.xp, 10);
  assert.equal(a.per_skill.find((s) => s.skill === "grammar")!.accuracy, 0.65);
});

async function practise(t: TestApp, token: string, at: string) {
  t.clock.set(at);
  const res = await t.call("POST", "/api/vocabulary/es-hola/practice", {
    token,
    body: { user_answer: "hello", response_time: 1500 },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

async function streakOf(t: TestApp, token: string) {
  const res = await t.call("GET", "/api/progress", { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}

Deno.test("streaks follow local midnight in two time zones", async () => {
  const t = await testApp(LONG_SESSIONS);
  const tokyo = await signUp(t, { timezone: "Asia/Tokyo" });
  const la = await signUp(t, { timezone: "America/Los_Angeles" });
  // 23:30 and 00:30 local: two different days, one hour apart.
  await practise(t, tokyo.token, "2026-01-10T14:30:00Z"); // 23:30 JST, Jan 10
  await practise(t, tokyo.token, "2026-01-10T15:30:00Z"); // 00:30 JST, Jan 11
  assert.equal((await streakOf(t, tokyo.token)).current_streak, 2);
  await practise(t, la.token, "2026-01-11T07:30:00Z"); // 23:30 PST, Jan 10
  await practise(t, la.token, "2026-01-11T08:30:00Z"); // 00:30 PST, Jan 11
  const p = await streakOf(t, la.token);
  assert.equal(p.current_streak, 2);
  assert.equal(p.streak.active_today, true);
  // The same two instants are one day for a learner in UTC.
  const utc = await signUp(t, { timezone: "UTC" });
  await practise(t, utc.token, "2026-01-10T14:30:00Z");
  await practise(t, utc.token, "2026-01-10T15:30:00Z");
  assert.equal((await streakOf(t, utc.token)).current_streak, 1);
  await t.close();
});

Deno.test("streaks and the time left today are right across a DST change", async () => {
  const t = await testApp(LONG_SESSIONS);
  const madrid = await signUp(t, { timezone: "Europe/Madrid" });
  await practise(t, madrid.token, "2026-03-28T22:30:00Z"); // 23:30 CET, Mar 28
  await practise(t, madrid.token, "2026-03-29T21:30:00Z"); // 23:30 CEST, Mar 29 (a 23-hour day)
  await practise(t, madrid.token, "2026-03-29T22:30:00Z"); // 00:30 CEST, Mar 30
  t.clock.set("2026-03-30T10:00:00Z"); // 12:00 CEST
  const p = await streakOf(t, madrid.token);
  assert.equal(p.current_streak, 3);
  assert.equal(p.streak.seconds_left_today, 12 * 3600, "12 hours to local midnight");
  await t.close();
});

Deno.test("a freeze covers a missed day; two missed days break the streak", async () => {
  const t = await testApp(LONG_SESSIONS);
  const { token } = await signUp(t, { timezone: "UTC" });
  for (let d = 1; d <= 7; d++) await practise(t, token, `2026-04-0${d}T12:00:00Z`);
  let p = await streakOf(t, token);
  assert.equal(p.current_streak, 7);
  assert.equal(p.streak.freezes_held, 1);
  // April 8 missed; April 9 practised.
  await practise(t, token, "2026-04-09T12:00:00Z");
  p = await streakOf(t, token);
  assert.equal(p.current_streak, 8);
  assert.deepEqual(p.streak.frozen_days, ["2026-04-08"]);
  assert.equal(p.streak.freezes_held, 0);
  // April 10 and 11 missed, no freeze left.
  t.clock.set("2026-04-12T09:00:00Z");
  p = await streakOf(t, token);
  assert.equal(p.current_streak, 0);
  assert.equal(p.longest_streak, 8);
  await practise(t, token, "2026-04-12T12:00:00Z");
  assert.equal((await streakOf(t, token)).current_streak, 1);
  await t.close();
});

Deno.test("an achievement is awarded once under 10 parallel requests", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const body = await lessonAnswers(t, token, "es-a1-01-greetings");
  const results = await Promise.all(
    Array.from(
      { length: 10 },
      () => t.call("POST", "/api/lessons/es-a1-01-greetings/complete", { token, body }),
    ),
  );
  assert.deepEqual(results.map((r) => r.status), Array(10).fill(200));
  const announced = results.flatMap((r) =>
    r.body.data.new_achievements.map((a: Json) => a.id).filter((id: string) =>
      id === "first-lesson"
    )
  );
  assert.equal(announced.length, 1, "exactly one response announces it");
  const rows = await t.database.client.execute(
    "SELECT count(*) AS n FROM user_achievements WHERE achievement_id = 'first-lesson'",
  );
  assert.equal(Number(rows.rows[0].n), 1);
  const list = await t.call("GET", "/api/achievements", { token });
  const first = list.body.data.achievements.find((a: Json) => a.id === "first-lesson");
  assert.equal(first.earned, true);
  assert.ok(first.earned_at);
  const ten = list.body.data.achievements.find((a: Json) => a.id === "ten-lessons");
  assert.deepEqual(ten.progress, { current: 1, target: 10 });
  assert.ok(list.body.data.achievements.length >= 20);
  assert.ok(list.body.data.points >= 10);
  await t.close();
});

Deno.test("leaderboards rank ties equally and show the learner's own rank outside the top", async () => {
  const t = await testApp();
  const people: Awaited<ReturnType<typeof signUp>>[] = [];
  for (const xp of [100, 50, 50, 10, 5]) {
    const p = await signUp(t);
    await t.database.client.execute({
      sql: "UPDATE users SET xp = ? WHERE id = ?",
      args: [xp, p.user.id],
    });
    await t.database.client.execute({
      sql: "INSERT INTO weekly_xp (user_id, week_start, xp) VALUES (?, '2026-01-05', ?)",
      args: [p.user.id, xp],
    });
    people.push(p);
  }
  // The 100-XP learner opts out of public boards.
  await t.call("PATCH", "/api/auth/user", {
    token: people[0].token,
    body: { preferences: { public_leaderboard: false } },
  });
  const board = await t.call("GET", "/api/achievements?board=all_time&limit=3", {
    token: people[4].token,
  });
  assert.equal(board.status, 200);
  const top = board.body.data.leaderboard.top;
  assert.deepEqual(top.map((r: Json) => [r.rank, r.xp]), [[1, 50], [1, 50], [3, 10]]);
  assert.ok(!top.some((r: Json) => r.user_id === people[0].user.id), "opted-out learner hidden");
  assert.deepEqual(board.body.data.leaderboard.me, { rank: 4, xp: 5 });
  const weekly = await t.call("GET", "/api/achievements?board=weekly&limit=10", {
    token: people[1].token,
  });
  assert.deepEqual(weekly.body.data.leaderboard.top.map((r: Json) => r.xp), [50, 50, 10, 5]);
  assert.equal(weekly.body.data.leaderboard.me.rank, 1);
  assert.equal(weekly.body.data.leaderboard.week_start, "2026-01-05T00:00:00Z");
  // A new week starts empty on Monday 00:00 UTC.
  t.clock.set("2026-01-12T00:00:01Z");
  const next = await t.call("GET", "/api/achievements?board=weekly", { token: people[1].token });
  assert.deepEqual(next.body.data.leaderboard.top, []);
  // Friends scope: only people followed, and me.
  await t.call("POST", `/api/social/follow/${people[3].user.id}`, { token: people[1].token });
  const friends = await t.call("GET", "/api/achievements?board=all_time&scope=friends", {
    token: people[1].token,
  });
  assert.deepEqual(friends.body.data.leaderboard.top.map((r: Json) => r.xp), [50, 10]);
  assert.equal(
    (await t.call("GET", "/api/achievements?board=monthly", { token: people[1].token })).status,
    400,
  );
  assert.equal((await t.call("GET", "/api/achievements")).status, 401);
  await t.close();
});

Deno.test("GET /api/progress reports courses, XP, level, daily goal and skills", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  // The lesson's words practised (vocabulary XP), then the lesson mastered (25 XP).
  const done = await masterLesson(t, token, "es-a1-01-greetings", { time_spent: 600 });
  assert.equal(done.body.data.xp_earned, 25);
  const xp = Number(
    (await t.database.client.execute("SELECT sum(xp) AS xp FROM activity_log")).rows[0].xp,
  );
  assert.ok(xp > 25 && xp < 100);
  const p = (await t.call("GET", "/api/progress", { token })).body.data;
  const course = p.courses[0];
  assert.equal(course.course_id, "es-a1");
  assert.equal(course.completion_percentage, 10);
  assert.equal(course.lessons_completed, 1);
  assert.equal(course.lessons_total, 10);
  assert.equal(course.last_lesson.id, "es-a1-01-greetings");
  assert.ok(course.last_lesson.title);
  assert.equal(p.current_streak, 1);
  assert.equal(p.xp, xp);
  assert.equal(p.level, 1);
  assert.equal(p.xp_today, xp);
  assert.equal(p.xp_this_week, xp);
  assert.deepEqual([
    p.daily_goal.unit,
    p.daily_goal.target,
    p.daily_goal.progress,
    p.daily_goal.met,
  ], ["xp", 50, xp, xp >= 50]);
  assert.equal(p.daily_goal.history.length, 1);
  assert.equal(p.skills.length, 6);
  assert.equal(p.skills.find((s: Json) => s.skill === "vocabulary").xp, xp);
  await t.call("PATCH", "/api/auth/user", {
    token,
    body: { preferences: { daily_goal_minutes: 10 } },
  });
  const minutes = (await t.call("GET", "/api/progress", { token })).body.data.daily_goal;
  // 600 s on the lesson plus the practice answers' response times.
  assert.deepEqual([minutes.unit, minutes.target, minutes.met], ["minutes", 10, true]);
  assert.ok(minutes.progress >= 10 && minutes.progress < 11);
  assert.equal((await t.call("GET", "/api/progress")).status, 401);
  await t.close();
});

Deno.test("GET /api/progress/analytics covers the period and validates it", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  for (const answer of ["hello", "hello", "nope"]) {
    await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: answer, response_time: 3000 },
    });
  }
  const res = await t.call("GET", "/api/progress/analytics?period=7", { token });
  assert.equal(res.status, 200);
  const a = res.body.data;
  assert.equal(a.per_day.length, 7);
  assert.equal(a.totals.actions, 3);
  const vocab = a.per_skill.find((s: Json) => s.skill === "vocabulary");
  assert.equal(vocab.answers, 3);
  assert.equal(vocab.accuracy, 0.667);
  assert.equal(vocab.enough_data, false);
  assert.equal(a.per_exercise_type[0].kind, "practice");
  assert.equal(a.words.studied, 1);
  assert.equal(a.review_forecast.length, 7);
  assert.ok(Array.isArray(a.insights));
  const all = await t.call("GET", "/api/progress/analytics?period=all", { token });
  assert.equal(all.body.data.from, all.body.data.to);
  assert.equal((await t.call("GET", "/api/progress/analytics?period=5", { token })).status, 400);
  await t.close();
});

Deno.test("friends: follow, a feed that respects privacy, and weekly XP challenges", async () => {
  const t = await testApp();
  const ana = await signUp(t);
  const ben = await signUp(t);
  const cleo = await signUp(t);
  await t.call("PATCH", "/api/auth/user", {
    token: ben.token,
    body: { preferences: { profile_visibility: "public" } },
  });
  assert.equal(
    (await t.call("POST", `/api/social/follow/${ben.user.id}`, { token: ana.token })).status,
    200,
  );
  assert.equal(
    (await t.call("POST", `/api/social/follow/${ben.user.id}`, { token: ana.token })).status,
    200,
    "idempotent",
  );
  assert.equal(
    (await t.call("POST", `/api/social/follow/${ana.user.id}`, { token: ana.token })).status,
    400,
  );
  assert.equal(
    (await t.call("POST", "/api/social/follow/nobody", { token: ana.token })).status,
    404,
  );
  await t.call("POST", `/api/social/follow/${cleo.user.id}`, { token: ana.token });
  // Ben (public) and Cleo (friends-only, not following back) each earn an achievement.
  for (const p of [ben, cleo]) {
    await t.call("POST", "/api/courses/es-a1/enroll", { token: p.token });
    await masterLesson(t, p.token, "es-a1-01-greetings");
  }
  const feed = await t.call("GET", "/api/social/feed", { token: ana.token });
  const who = new Set(feed.body.data.map((f: Json) => f.user.username));
  assert.ok(who.has(ben.user.username));
  assert.ok(!who.has(cleo.user.username), "friends-only profile hidden until it follows back");
  await t.call("POST", `/api/social/follow/${ana.user.id}`, { token: cleo.token });
  const feed2 = await t.call("GET", "/api/social/feed", { token: ana.token });
  assert.ok(feed2.body.data.some((f: Json) => f.user.username === cleo.user.username));

  const challenge = await t.call("POST", "/api/social/challenges", {
    token: ana.token,
    body: { opponent_id: ben.user.id },
  });
  assert.equal(challenge.status, 201);
  assert.equal(
    (await t.call("POST", "/api/social/challenges", {
      token: ana.token,
      body: { opponent_id: ben.user.id },
    })).status,
    409,
  );
  assert.equal(
    (await t.call("POST", "/api/social/challenges", {
      token: ben.token,
      body: { opponent_id: cleo.user.id },
    })).status,
    403,
  );
  const standings = await t.call("GET", "/api/social/challenges", { token: ana.token });
  assert.equal(standings.body.data[0].leading, "them");
  assert.ok(standings.body.data[0].their_xp > 0);
  const conn = await t.call("GET", "/api/social/connections", { token: ana.token });
  assert.equal(conn.body.data.following.length, 2);
  assert.equal(conn.body.data.following.find((f: Json) => f.id === cleo.user.id).mutual, true);
  assert.equal(
    (await t.call("DELETE", `/api/social/follow/${ben.user.id}`, { token: ana.token })).status,
    200,
  );
  assert.equal(
    (await t.call("DELETE", `/api/social/follow/${ben.user.id}`, { token: ana.token })).status,
    404,
  );
  const search = await t.call("GET", `/api/social/users?q=${ben.user.username.slice(0, 5)}`, {
    token: ana.token,
  });
  assert.ok(search.body.data.some((u: Json) => u.id === ben.user.id));
  await t.close();
});

Deno.test("goals project completion from the learner's pace", async () => {
  const t = await testApp(LONG_SESSIONS);
  const { token } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const created = await t.call("POST", "/api/goals", {
    token,
    body: { course_id: "es-a1", target_date: "2026-02-01" },
  });
  assert.equal(created.status, 201);
  const ids = (await t.call("GET", "/api/lessons?course_id=es-a1", { token })).body.data.map((
    l: Json,
  ) => l.id);
  for (const [i, id] of ids.slice(0, 4).entries()) {
    t.clock.set(`2026-01-0${5 + i}T10:00:00Z`);
    await masterLesson(t, token, id);
  }
  const goals = (await t.call("GET", "/api/goals", { token })).body.data;
  assert.equal(goals[0].lessons_done, 4);
  assert.equal(goals[0].lessons_total, 10);
  assert.ok(goals[0].pace_lessons_per_week > 0);
  assert.equal(goals[0].projected_completion, "2026-01-29", "6 lessons left at 4 per 14 days");
  assert.equal(goals[0].on_track, true);
  for (
    const body of [{ course_id: "es-a1", target_date: "2025-01-01" }, {
      course_id: "es-a1",
      target_date: "soon",
    }]
  ) {
    assert.equal((await t.call("POST", "/api/goals", { token, body })).status, 400);
  }
  assert.equal(
    (await t.call("POST", "/api/goals", {
      token,
      body: { course_id: "nope", target_date: "2027-01-01" },
    })).status,
    404,
  );
  assert.equal(
    (await t.call("DELETE", `/api/goals/${created.body.data.id}`, { token })).status,
    200,
  );
  assert.equal(
    (await t.call("DELETE", `/api/goals/${created.body.data.id}`, { token })).status,
    404,
  );
  await t.close();
});

Deno.test("XP, the activity log and the rollups always agree", async () => {
  const t = await testApp();
  const { token, user } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  await masterLesson(t, token, "es-a1-01-greetings");
  const before = Number(
    (await t.database.client.execute("SELECT count(*) AS n FROM activity_log")).rows[0].n,
  );
  for (const answer of ["hello", "x", "hello"]) {
    await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: answer, response_time: 1000 },
    });
  }
  await t.call("POST", "/api/vocabulary/es-hola/practice/undo", { token });
  const sums = await t.database.client.execute({
    sql: `SELECT (SELECT xp FROM users WHERE id = ?1) AS user_xp,
      (SELECT sum(xp) FROM activity_log WHERE user_id = ?1) AS log_xp,
      (SELECT sum(xp) FROM daily_activity WHERE user_id = ?1) AS daily_xp,
      (SELECT sum(xp) FROM weekly_xp WHERE user_id = ?1) AS weekly_xp,
      (SELECT count(*) FROM activity_log WHERE user_id = ?1) AS log_n,
      (SELECT sum(actions) FROM daily_activity WHERE user_id = ?1) AS daily_n`,
    args: [user.id],
  });
  const r = sums.rows[0];
  assert.equal(Number(r.user_xp), Number(r.log_xp));
  assert.equal(Number(r.daily_xp), Number(r.log_xp));
  assert.equal(Number(r.weekly_xp), Number(r.log_xp));
  assert.equal(Number(r.daily_n), Number(r.log_n));
  assert.equal(Number(r.log_n), before + 2, "three answers, one undone");
  await t.close();
});
