import assert from "node:assert/strict";
import { competitionRanks } from "../domain/leaderboard.ts";

Deno.test("competitionRanks(): equal scores share a rank and the next rank skips past them", () => {
  assert.deepEqual(competitionRanks([90, 70, 70, 50, 50, 50, 10]), [1, 2, 2, 4, 4, 4, 7]);
  assert.deepEqual(competitionRanks([0, 0]), [1, 1]);
  assert.deepEqual(competitionRanks([]), []);
});
