import assert from "node:assert/strict";
import { achievementList } from "../actions/achievement_list.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { weekStartUtc } from "../domain/calendar.ts";
import { actionLearner, withRoundTrips } from "./action_harness.ts";
import { testApp } from "./helpers.ts";

const right = (vocabularyId: string, userAnswer: string) => ({
  vocabularyId,
  userAnswer,
  direction: "to_native" as const,
  responseTimeMs: 2000,
});

const WEEKLY = { board: "weekly", scope: "global", limit: 10 } as const;

Deno.test("achievementList: earned achievements with dates and points, locked ones with progress", async () => {
  const t = await testApp();
  const { deps, user } = await actionLearner(t);
  const untouched = await achievementList(deps, user, WEEKLY);
  assert.equal(untouched.earned_count, 0);
  assert.equal(untouched.points, 0);
  assert.ok(untouched.achievements.every((a) => !a.earned && a.earned_at === null));

  const practised = await practiseWord(deps, user, right("es-agua", "water"));
  const { result, roundTrips } = await withRoundTrips(() => achievementList(deps, user, WEEKLY));
  assert.ok(roundTrips <= 3, `${roundTrips} round trips`);
  const earned = result.achievements.filter((a) => a.earned);
  assert.deepEqual(earned.map((a) => a.id), practised.new_achievements.map((a) => a.id));
  assert.equal(result.earned_count, earned.length);
  assert.equal(result.points, earned.reduce((n, a) => n + a.points, 0));
  for (const a of earned) {
    assert.equal(a.earned_at, t.clock.now().toISOString());
    assert.equal(a.progress.current, a.progress.target);
  }
  for (const a of result.achievements.filter((a) => !a.earned)) {
    assert.ok(a.progress.current < a.progress.target, a.id);
  }
  await t.close();
});

Deno.test("achievementList: the board ranks equal XP equally and says where the learner stands", async () => {
  const t = await testApp();
  const leader = await actionLearner(t);
  const a = await actionLearner(t);
  const b = await actionLearner(t);
  const idle = await actionLearner(t);
  for (const l of [leader, a, b]) await practiseWord(l.deps, l.user, right("es-agua", "water"));
  await practiseWord(leader.deps, leader.user, right("es-casa", "house"));

  const weekly = await achievementList(b.deps, b.user, WEEKLY);
  const board = weekly.leaderboard;
  assert.equal(board.week_start, `${weekStartUtc(t.clock.now())}T00:00:00Z`);
  assert.equal(board.top[0].user_id, leader.user.id);
  assert.deepEqual(
    board.top.slice(1).map((r) => r.user_id).sort(),
    [a.user.id, b.user.id].sort(),
  );
  assert.deepEqual(board.top.map((r) => r.rank), [1, 2, 2]);
  assert.equal(board.top[1].xp, board.top[2].xp);
  assert.deepEqual(board.top.map((r) => r.is_me), board.top.map((r) => r.user_id === b.user.id));
  assert.deepEqual(board.me, { rank: 2, xp: board.top[1].xp });
  assert.equal(board.listed, true);

  // Nobody has been followed: among friends, the learner is alone.
  const friends = await achievementList(idle.deps, idle.user, { ...WEEKLY, scope: "friends" });
  assert.deepEqual(friends.leaderboard.top, []);
  assert.deepEqual(friends.leaderboard.me, { rank: 1, xp: 0 });
  const allTime = await achievementList(idle.deps, idle.user, { ...WEEKLY, board: "all_time" });
  assert.equal(allTime.leaderboard.week_start, null);
  assert.deepEqual(allTime.leaderboard.top.map((r) => r.rank), [1, 2, 2, 4]);
  assert.equal(allTime.leaderboard.top[3].user_id, idle.user.id);
  await t.close();
});
