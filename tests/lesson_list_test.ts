import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { lessonList } from "../actions/lesson_list.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest } from "./action_harness.ts";

actionTest(
  "lessonList: the learner's most recent course by default, with each lesson's status",
  async (_t, { deps, user }) => {
    await assert.rejects(
      () => lessonList(deps, user, {}),
      (e: unknown) => e instanceof ApiError && e.status === 404, // no course yet
    );
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const page = await lessonList(deps, user, {});
    assert.deepEqual(page.meta, { total: page.data.length, course_id: "es-a1", enrolled: true });
    assert.ok(page.data.length > 1);
    assert.deepEqual(
      page.data.map((l) => [l.course_id, l.status]).slice(0, 2),
      [["es-a1", "available"], ["es-a1", "locked"]],
    );
    const visitor = await lessonList(deps, null, { courseId: "es-a2" });
    assert.equal(visitor.meta.enrolled, false);
    assert.ok(visitor.data.every((l) => l.course_id === "es-a2"));
  },
);

actionTest(
  "lessonList: signed out without a course is a 400; an unknown course a 404",
  async (_t, { deps, user }) => {
    await assert.rejects(
      () => lessonList(deps, null, {}),
      (e: unknown) => e instanceof ApiError && e.status === 400,
    );
    await assert.rejects(
      () => lessonList(deps, user, { courseId: "nope" }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
  },
);
