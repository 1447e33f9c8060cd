import assert from "node:assert/strict";
import { courseOverview } from "../actions/course_overview.ts";
import { enrolInCourse } from "../actions/enrol.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";

actionTest(
  "courseOverview: lessons, prerequisite and enrolment, for a visitor and a learner",
  async (_t, { deps, user }) => {
    const visitor = await courseOverview(deps, null, { courseId: "es-a2" });
    assert.equal(visitor.id, "es-a2");
    assert.equal(visitor.prerequisites_met, false);
    assert.deepEqual(visitor.prerequisites.map((p) => [p.id, p.met, p.met_via]), [
      ["es-a1", false, null],
    ]);
    assert.deepEqual(visitor.enrollment, { enrolled: false });
    assert.equal(visitor.lesson_count, visitor.lessons.length);

    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const { result, roundTrips } = await withRoundTrips(() =>
      courseOverview(deps, user, { courseId: "es-a1" })
    );
    assert.equal(roundTrips, 1); // no prerequisite: no placement looked up
    assert.equal(result.prerequisites_met, true);
    assert.equal(result.enrollment.enrolled, true);
    assert.equal(result.lessons[0].status, "available");
    assert.ok(result.lessons.slice(1).every((l) => l.status === "locked"));
  },
);

actionTest(
  "courseOverview: a placement at the level meets the prerequisite; unknown courses are 404",
  async (t, { deps, user }) => {
    const now = t.clock.now().getTime();
    await t.database.client.execute({
      sql:
        "INSERT INTO placement_tests (id, user_id, language_id, status, started_at, finished_at, " +
        "responses, placed_level) VALUES ('p1', ?, 'es', 'finished', ?, ?, '[]', 'B1')",
      args: [user.id, now, now],
    });
    const course = await courseOverview(deps, user, { courseId: "es-a2" });
    assert.equal(course.prerequisites_met, true);
    assert.equal(course.prerequisites[0].met_via, "placement");
    await assert.rejects(
      () => courseOverview(deps, user, { courseId: "nope" }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
  },
);
