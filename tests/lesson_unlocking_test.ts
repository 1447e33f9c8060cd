import assert from "node:assert/strict";
import {
  completionPercentage,
  isMastered,
  lessonStatus,
  lessonStatuses,
  MASTERY_THRESHOLD,
} from "../domain/lesson_unlocking.ts";

const LESSONS = ["l1", "l2", "l3", "l4"];

Deno.test("lessons unlock in order by mastery once enrolled", () => {
  const fresh = lessonStatuses(LESSONS, [], true);
  assert.deepEqual(fresh.map((l) => l.status), ["available", "locked", "locked", "locked"]);
  assert.deepEqual(fresh[1].reason, {
    code: "previous_lesson_not_mastered",
    message: `Master the previous lesson (score ${MASTERY_THRESHOLD}% or more) to unlock this one`,
    previous_lesson_id: "l1",
  });
  const after = lessonStatuses(LESSONS, [{ lessonId: "l1", status: "completed" }], true);
  assert.deepEqual(after.map((l) => l.status), ["completed", "available", "locked", "locked"]);
});

Deno.test("placement opens lessons ahead; without enrolment everything not done is locked", () => {
  const placed = lessonStatuses(LESSONS, [{ lessonId: "l3", status: "available" }], true);
  assert.deepEqual(placed.map((l) => l.status), ["available", "locked", "available", "locked"]);
  const outside = lessonStatuses(LESSONS, [{ lessonId: "l1", status: "completed" }], false);
  assert.deepEqual(outside.map((l) => l.status), ["completed", "locked", "locked", "locked"]);
  assert.equal(outside[1].reason?.code, "not_enrolled");
});

Deno.test("mastery is a score at the threshold; completion has one decimal and a ceiling", () => {
  assert.equal(isMastered(MASTERY_THRESHOLD), true);
  assert.equal(isMastered(MASTERY_THRESHOLD - 1), false);
  assert.equal(isMastered(undefined), true, "nothing graded: reading the lesson completes it");
  assert.equal(completionPercentage(1, 3), 33.3);
  assert.equal(completionPercentage(5, 3), 100);
  assert.equal(completionPercentage(1, 0), 0);
});

Deno.test("one lesson's status is its place in the course's order; a stranger is locked", () => {
  const states = [{ lessonId: "l1", status: "completed" as const }];
  assert.equal(lessonStatus(LESSONS, states, true, "l2").status, "available");
  assert.equal(lessonStatus(LESSONS, states, true, "l3").reason?.previous_lesson_id, "l2");
  assert.equal(lessonStatus(LESSONS, states, false, "l2").reason?.code, "not_enrolled");
  assert.deepEqual(lessonStatus(LESSONS, states, true, "elsewhere"), {
    lessonId: "elsewhere",
    status: "locked",
  });
});
