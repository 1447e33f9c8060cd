import assert from "node:assert/strict";
import { exerciseQuota } from "../domain/adaptive_selection.ts";

Deno.test("exerciseQuota(): half the set (rounded up) when both pools are deep", () => {
  assert.equal(exerciseQuota(10, { exercises: 50, words: 50 }), 5);
  assert.equal(exerciseQuota(9, { exercises: 50, words: 50 }), 5);
  assert.equal(exerciseQuota(1, { exercises: 50, words: 50 }), 1);
});

Deno.test("exerciseQuota(): a short pool leaves its share to the other", () => {
  assert.equal(exerciseQuota(10, { exercises: 2, words: 50 }), 2);
  assert.equal(exerciseQuota(10, { exercises: 50, words: 3 }), 7);
  assert.equal(exerciseQuota(10, { exercises: 50, words: 0 }), 10);
  // Both short: ask for what the words cannot fill (the selection returns what exists).
  assert.equal(exerciseQuota(10, { exercises: 4, words: 3 }), 7);
});
