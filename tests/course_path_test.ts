import assert from "node:assert/strict";
import { coursePath } from "../actions/course_path.ts";
import { ApiError } from "../http/errors.ts";
import { withRoundTrips } from "./action_harness.ts";
import { learnerDeps, masterLesson, signUp, testApp } from "./helpers.ts";

Deno.test("coursePath: a mastered lesson is skipped and the path moves on, in one round trip", async () => {
  const t = await testApp();
  const { token, user: signed } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const done = await masterLesson(t, token, "es-a1-01-greetings");
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const { deps, user } = await learnerDeps(t, signed.id);
  const { result: path, roundTrips } = await withRoundTrips(() =>
    coursePath(deps, user, { courseId: "es-a1" })
  );
  assert.equal(roundTrips, 1);
  assert.equal(path.course_id, "es-a1");
  assert.equal(path.placement, null);
  const first = path.lessons[0];
  assert.equal(first.lesson_id, "es-a1-01-greetings");
  assert.equal(first.action, "skip");
  assert.equal(first.reason, "completed");
  assert.equal(first.status, "completed");
  // The lesson's words gave vocabulary evidence enough to trust (10+ answers) and none on
  // grammar: a conversation lesson, judged on both pooled, is skipped; a grammar one is not.
  assert.ok(path.abilities.vocabulary.evidence >= 10);
  assert.equal(path.abilities.grammar.evidence, 0);
  const byType = (type: string) =>
    path.lessons.filter((l) => l.type === type && l.status !== "completed");
  assert.ok(byType("conversation").length > 0 && byType("grammar").length > 0);
  assert.ok(byType("conversation").every((l) => l.reason === "ability_exceeds_content"));
  assert.ok(byType("grammar").every((l) => l.action === "learn" && l.predicted_success === null));
  assert.equal(path.next_lesson_id, byType("grammar")[0].lesson_id);
  assert.equal(
    path.summary.skip + path.summary.review + path.summary.learn,
    path.lessons.length,
  );
  assert.ok(path.summary.skip >= 1);
  await t.close();
});

Deno.test("coursePath: an unknown or unpublished course is not found", async () => {
  const t = await testApp();
  const { user: signed } = await signUp(t);
  const { deps, user } = await learnerDeps(t, signed.id);
  const isNotFound = (e: unknown) => e instanceof ApiError && e.code === "NOT_FOUND";
  await assert.rejects(coursePath(deps, user, { courseId: "nope" }), isNotFound);
  await t.database.client.execute("UPDATE courses SET status = 'archived' WHERE id = 'es-a2'");
  await assert.rejects(coursePath(deps, user, { courseId: "es-a2" }), isNotFound);
  await t.close();
});
