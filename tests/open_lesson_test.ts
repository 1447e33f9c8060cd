import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { openLesson } from "../actions/open_lesson.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";
import type { TestApp } from "./helpers.ts";

async function access(t: TestApp, userId: string) {
  const { rows } = await t.database.client.execute({
    sql: "SELECT l.lesson_id, l.access_count, p.last_lesson_id FROM user_lessons l " +
      "JOIN user_progress p ON p.user_id = l.user_id WHERE l.user_id = ? ORDER BY l.lesson_id",
    args: [userId],
  });
  return rows.map((r) => ({ ...r }));
}

actionTest(
  "openLesson: content without answers, and the access recorded in one batch",
  async (t, { deps, user }) => {
    const enrolled = await enrolInCourse(deps, user, { courseId: "es-a1" });
    const first = enrolled.first_lesson_id!;
    const { result, roundTrips } = await withRoundTrips(() =>
      openLesson(deps, user, { lessonId: first })
    );
    assert.equal(roundTrips, 2); // the lesson, one write batch
    assert.equal(result.id, first);
    assert.equal(result.status, "available");
    assert.equal(result.previous_lesson_id, null);
    assert.ok(result.next_lesson_id);
    assert.ok(result.vocabulary.length > 0);
    assert.ok(result.exercises.every((e) => !("answer" in e)));
    await openLesson(deps, user, { lessonId: first });
    assert.deepEqual(await access(t, user.id), [
      { lesson_id: first, access_count: 2, last_lesson_id: first },
    ]);
  },
);

actionTest(
  "openLesson: a locked lesson is a 403 and records nothing; unknown ones 404",
  async (t, { deps, user }) => {
    const enrolled = await enrolInCourse(deps, user, { courseId: "es-a1" });
    const opened = await openLesson(deps, user, { lessonId: enrolled.first_lesson_id! });
    const before = await access(t, user.id);
    await assert.rejects(
      () => openLesson(deps, user, { lessonId: opened.next_lesson_id! }),
      (e: unknown) => e instanceof ApiError && e.status === 403,
    );
    await assert.rejects(
      () => openLesson(deps, user, { lessonId: "no-such-lesson" }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    assert.deepEqual(await access(t, user.id), before);
  },
);
