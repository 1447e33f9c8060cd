import assert from "node:assert/strict";
import { practiseWord } from "../actions/practise_word.ts";
import { progressOverview } from "../actions/progress_overview.ts";
import { localDate } from "../domain/calendar.ts";
import { levelForXp } from "../domain/levels.ts";
import { withRoundTrips } from "./action_harness.ts";
import { learnerDeps, signUp, testApp } from "./helpers.ts";

const answer = { userAnswer: "water", direction: "to_native" as const, responseTimeMs: 60_000 };

Deno.test("progressOverview: a day's practice shows in streak, XP, goal, words and skills, in one round trip", async () => {
  const t = await testApp();
  const { token, user: signed } = await signUp(t, { timezone: "Asia/Tokyo" });
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const before = await learnerDeps(t, signed.id);
  const practised = await practiseWord(before.deps, before.user, {
    vocabularyId: "es-agua",
    ...answer,
  });
  const { deps, user } = await learnerDeps(t, signed.id); // the XP written since
  const { result: p, roundTrips } = await withRoundTrips(() => progressOverview(deps, user));
  assert.equal(roundTrips, 1);
  assert.deepEqual(p.courses.map((c) => c.course_id), ["es-a1"]);
  assert.equal(p.xp, practised.xp_earned);
  assert.equal(p.level, levelForXp(practised.xp_earned).level);
  assert.equal(p.xp_today, practised.xp_earned);
  assert.equal(p.xp_this_week, practised.xp_earned);
  assert.equal(p.current_streak, 1);
  assert.equal(p.streak.at_risk, false);
  assert.equal(p.streak.timezone, "Asia/Tokyo");
  assert.ok(p.streak.seconds_left_today > 0 && p.streak.seconds_left_today <= 86_400);
  assert.equal(p.daily_goal.seconds_left_today, p.streak.seconds_left_today);
  assert.equal(p.daily_goal.unit, "xp");
  assert.equal(p.daily_goal.progress, practised.xp_earned);
  assert.equal(p.daily_goal.met, practised.xp_earned >= user.preferences.daily_goal_xp);
  assert.deepEqual(p.daily_goal.history.map((h) => h.date), [
    localDate(t.clock.now(), "Asia/Tokyo"),
  ]);
  assert.equal(p.words.studied, 1);
  const vocabulary = p.skills.find((s) => s.skill === "vocabulary")!;
  assert.equal(vocabulary.xp, practised.xp_earned);
  assert.equal(vocabulary.change_30d.xp, practised.xp_earned);
  assert.equal(p.skills.find((s) => s.skill === "grammar")!.xp, 0);
  await t.close();
});

Deno.test("progressOverview: a minutes goal is measured in minutes; a new learner has nothing yet", async () => {
  const t = await testApp();
  const { token, user: signed } = await signUp(t);
  const fresh = await learnerDeps(t, signed.id);
  const empty = await progressOverview(fresh.deps, fresh.user);
  assert.deepEqual(empty.courses, []);
  assert.equal(empty.current_streak, 0);
  assert.equal(empty.daily_goal.met, false);
  assert.deepEqual(empty.daily_goal.history, []);

  const patch = await t.call("PATCH", "/api/auth/user", {
    token,
    body: { preferences: { daily_goal_minutes: 5 } },
  });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  const { deps, user } = await learnerDeps(t, signed.id);
  await practiseWord(deps, user, { vocabularyId: "es-agua", ...answer, responseTimeMs: 240_000 });
  const short = await progressOverview(deps, user);
  assert.equal(short.daily_goal.unit, "minutes");
  assert.equal(short.daily_goal.progress, 4);
  assert.equal(short.daily_goal.met, false);
  await practiseWord(deps, user, { vocabularyId: "es-casa", ...answer, userAnswer: "house" });
  const p = await progressOverview(deps, user);
  assert.equal(p.daily_goal.target, 5);
  assert.equal(p.daily_goal.progress, 5); // 4 minutes, then 1
  assert.equal(p.daily_goal.met, true);
  assert.equal(p.daily_goal.history[0].met, true);
  await t.close();
});
