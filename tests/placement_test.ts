import assert from "node:assert/strict";
import { placementCovers, prerequisiteMet } from "../domain/placement.ts";

Deno.test("a placement covers courses at or below its level", () => {
  assert.equal(placementCovers("B1", "A2"), true);
  assert.equal(placementCovers("A2", "A2"), true);
  assert.equal(placementCovers("A1", "A2"), false);
  assert.equal(placementCovers(null, "A1"), false);
  assert.equal(placementCovers("Z9", "A1"), false, "an unknown level covers nothing");
});

Deno.test("a prerequisite is met by completing it, or by a placement at the course's level", () => {
  const course = { courseLevel: "A2" };
  assert.deepEqual(prerequisiteMet({ ...course, prerequisite: null, placedLevel: undefined }), {
    met: true,
    via: null,
  });
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: true }, placedLevel: "A1" }),
    { met: true, via: "completion" },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: "B1" }),
    { met: true, via: "placement" },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: "A1" }),
    { met: false, via: null },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: undefined }),
    { met: false, via: null },
  );
});
