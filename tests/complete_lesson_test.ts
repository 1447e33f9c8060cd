import assert from "node:assert/strict";
import { completeLesson } from "../actions/complete_lesson.ts";
import { ApiError } from "../http/errors.ts";
import {
  learnerDeps,
  learningRowCounts,
  lessonAnswers,
  masterLesson,
  queryRows,
  signUp,
  type TestApp,
  testApp,
} from "./helpers.ts";

async function enrolledLearner(t: TestApp) {
  const learner = await signUp(t);
  const enrolled = await t.call("POST", "/api/courses/es-a1/enroll", { token: learner.token });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
  const lessons = await t.call("GET", "/api/lessons?course_id=es-a1", { token: learner.token });
  const ids: string[] = lessons.body.data.map((l: { id: string }) => l.id);
  // The third lesson is the first with grammar exercises: master the two before it.
  for (const id of ids.slice(0, 2)) {
    assert.equal((await masterLesson(t, learner.token, id)).status, 200);
  }
  return { ...learner, ...(await learnerDeps(t, learner.user.id)), lessonIds: ids.slice(2) };
}

Deno.test("completing a lesson writes its mastery, the unlock, the course counts, XP, credits and awards", async () => {
  const t = await testApp();
  const { deps, user, token, lessonIds: [first, second] } = await enrolledLearner(t);
  const body = await lessonAnswers(t, token, first);
  assert.ok(body.answers.length > 0, "the lesson has exercises to answer");
  // Forget what was awarded on the way here, so this completion earns "first lesson" again.
  await t.database.client.execute({
    sql: "DELETE FROM user_achievements WHERE user_id = ?",
    args: [user.id],
  });
  const xpBefore = Number((await queryRows(t, "SELECT xp FROM users WHERE id = ?", user.id))[0].xp);

  const result = await completeLesson(deps, user, {
    lessonId: first,
    answers: body.answers.map((a) => ({ exerciseId: a.exercise_id, answer: a.answer })),
    timeSpentSeconds: 300,
  });

  assert.equal(result.mastered, true);
  assert.equal(result.score, 100);
  assert.ok(result.xp_earned > 0);
  assert.deepEqual(result.next_lesson, { id: second, status: "available" });
  // Read back in the same batch: the counts after this completion.
  assert.equal(result.course_progress.completed_lessons, 3);
  assert.equal(result.course_progress.completion_percentage, 30);
  assert.equal(result.streak.active_today, true);

  const lessonRows = await queryRows(
    t,
    `SELECT lesson_id, status, best_score, attempts, time_spent_seconds, completed_at IS NOT NULL AS done
      FROM user_lessons WHERE user_id = ? ORDER BY lesson_id`,
    user.id,
  );
  assert.deepEqual(lessonRows.find((r) => r.lesson_id === first), {
    lesson_id: first,
    status: "completed",
    best_score: 100,
    attempts: 1,
    time_spent_seconds: 300,
    done: 1,
  });
  assert.equal(lessonRows.find((r) => r.lesson_id === second)?.status, "available");
  const [progress] = await queryRows(
    t,
    "SELECT completed_lessons, last_lesson_id FROM user_progress WHERE user_id = ?",
    user.id,
  );
  assert.deepEqual(progress, { completed_lessons: 3, last_lesson_id: first });

  const log = await queryRows(
    t,
    "SELECT ref_id, course_id, score, xp, duration_seconds FROM activity_log WHERE user_id = ? AND kind = 'lesson' AND ref_id = ?",
    user.id,
    first,
  );
  assert.deepEqual(log, [{
    ref_id: first,
    course_id: "es-a1",
    score: 100,
    xp: result.xp_earned,
    duration_seconds: 300,
  }]);
  const [{ xp }] = await queryRows(t, "SELECT xp FROM users WHERE id = ?", user.id);
  assert.equal(Number(xp), xpBefore + result.xp_earned);

  const credits =
    (await queryRows(t, "SELECT item_key FROM item_credits WHERE user_id = ?", user.id))
      .map((r) => String(r.item_key));
  for (const key of [`mastery:lesson:${first}`, `lesson:${first}`]) {
    assert.ok(credits.includes(key), key);
  }
  for (const a of body.answers) assert.ok(credits.includes(`exercise:${a.exercise_id}`));

  const earned = await queryRows(
    t,
    "SELECT achievement_id FROM user_achievements WHERE user_id = ? AND earned_at = ?",
    user.id,
    t.clock.now().getTime(),
  );
  assert.ok(result.new_achievements.some((a) => a.id === "first-lesson"));
  assert.deepEqual(
    earned.map((r) => String(r.achievement_id)).sort(),
    result.new_achievements.map((a) => a.id).sort(),
  );
  await t.close();
});

Deno.test("a refused completion writes nothing: locked lesson, answers not of the lesson, unknown lesson", async () => {
  const t = await testApp();
  const { deps, user, token, lessonIds: [first, second] } = await enrolledLearner(t);
  const body = await lessonAnswers(t, token, first);
  assert.ok(body.answers.length > 0);
  const before = await learningRowCounts(t);

  await assert.rejects(
    completeLesson(deps, user, { lessonId: second, answers: [], timeSpentSeconds: 0 }),
    (e: unknown) => e instanceof ApiError && e.status === 403,
  );
  const [answer] = body.answers;
  await assert.rejects(
    completeLesson(deps, user, {
      lessonId: first,
      answers: [
        { exerciseId: answer.exercise_id, answer: answer.answer },
        { exerciseId: answer.exercise_id, answer: answer.answer },
        { exerciseId: "not-in-this-lesson", answer: "x" },
      ],
      timeSpentSeconds: 10,
    }),
    (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 400);
      assert.deepEqual(e.details, [
        { field: "answers.1.exercise_id", message: "Answered twice" },
        { field: "answers.2.exercise_id", message: "Not an exercise of this lesson" },
      ]);
      return true;
    },
  );
  await assert.rejects(
    completeLesson(deps, user, { lessonId: "nope", answers: [], timeSpentSeconds: 0 }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
  assert.deepEqual(await learningRowCounts(t), before);
  await t.close();
});
