import assert from "node:assert/strict";
import { goalMet, goalProgress } from "../domain/daily_goal.ts";

const XP_GOAL = { daily_goal_xp: 50, daily_goal_minutes: null };
const MINUTES_GOAL = { daily_goal_xp: 50, daily_goal_minutes: 10 };

Deno.test("goalMet(): an XP goal counts XP; a minutes goal counts time only", () => {
  assert.equal(goalMet(XP_GOAL, { xp: 50, seconds: 0 }), true);
  assert.equal(goalMet(XP_GOAL, { xp: 49, seconds: 3600 }), false);
  assert.equal(goalMet(MINUTES_GOAL, { xp: 500, seconds: 599 }), false);
  assert.equal(goalMet(MINUTES_GOAL, { xp: 0, seconds: 600 }), true);
});

Deno.test("goalProgress() reports the goal's unit, target and today's progress", () => {
  assert.deepEqual(goalProgress(XP_GOAL, { xp: 20, seconds: 300 }), {
    unit: "xp",
    target: 50,
    progress: 20,
    met: false,
  });
  assert.deepEqual(goalProgress(MINUTES_GOAL, { xp: 20, seconds: 630 }), {
    unit: "minutes",
    target: 10,
    progress: 10.5,
    met: true,
  });
});
