import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, tableCounts, withRoundTrips } from "./action_harness.ts";
import type { TestApp } from "./helpers.ts";

const WRITTEN = ["user_progress", "user_lessons"] as const;

async function enrolment(t: TestApp, userId: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT p.course_id, p.source, l.lesson_id, l.status FROM user_progress p " +
      "LEFT JOIN user_lessons l ON l.user_id = p.user_id WHERE p.user_id = ? ORDER BY p.course_id",
    args: [userId],
  });
  return rows.map((r) => ({ ...r }));
}

async function lessonIds(t: TestApp, courseId: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT id FROM lessons WHERE course_id = ? ORDER BY position",
    args: [courseId],
  });
  return rows.map((r) => String(r.id));
}

actionTest(
  "enrolInCourse: writes progress and the first lesson together; again is idempotent",
  async (t, { deps, user }) => {
    const [first] = await lessonIds(t, "es-a1");
    const { result, roundTrips } = await withRoundTrips(() =>
      enrolInCourse(deps, user, { courseId: "es-a1" })
    );
    assert.equal(roundTrips, 3); // course, placement, one write batch
    assert.equal(result.newly_enrolled, true);
    assert.equal(result.first_lesson_id, first);
    assert.equal(result.enrolled_at, t.clock.now().toISOString());
    assert.ok(result.total_lessons > 0);
    assert.deepEqual(await enrolment(t, user.id), [
      { course_id: "es-a1", source: "enrolled", lesson_id: first, status: "available" },
    ]);
    t.clock.advance(60_000);
    const again = await enrolInCourse(deps, user, { courseId: "es-a1" });
    assert.equal(again.newly_enrolled, false);
    assert.equal(again.enrolled_at, result.enrolled_at);
    assert.equal((await enrolment(t, user.id)).length, 1);
  },
);

actionTest(
  "enrolInCourse: an unmet prerequisite is a 409 and writes nothing",
  async (t, { deps, user }) => {
    const before = await tableCounts(t, WRITTEN);
    await assert.rejects(
      () => enrolInCourse(deps, user, { courseId: "es-a2" }),
      (e: unknown) =>
        e instanceof ApiError && e.status === 409 &&
        e.extra?.reason === "prerequisite_not_completed",
    );
    await assert.rejects(
      () => enrolInCourse(deps, user, { courseId: "nope" }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    assert.deepEqual(await tableCounts(t, WRITTEN), before);
  },
);

actionTest(
  "enrolInCourse: a placement in the course meets the prerequisite and opens its lesson",
  async (t, { deps, user }) => {
    const lessons = await lessonIds(t, "es-a2");
    const now = t.clock.now().getTime();
    await t.database.client.execute({
      sql:
        "INSERT INTO placement_tests (id, user_id, language_id, status, started_at, finished_at, " +
        "responses, placed_level, placed_course_id, placed_lesson_id) " +
        "VALUES ('p1', ?, 'es', 'finished', ?, ?, '[]', 'A2', 'es-a2', ?)",
      args: [user.id, now, now, lessons[1]],
    });
    const result = await enrolInCourse(deps, user, { courseId: "es-a2" });
    assert.equal(result.newly_enrolled, true);
    assert.deepEqual(await enrolment(t, user.id), [
      { course_id: "es-a2", source: "placement", lesson_id: lessons[1], status: "available" },
    ]);
  },
);
