import assert from "node:assert/strict";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";

/** The right answer to a placement item, read from the content (as a perfect learner knows it). */
async function rightAnswer(t: TestApp, item: Json): Promise<string> {
  if (item.kind === "vocabulary") {
    const rows = await t.database.client.execute({
      sql: "SELECT translation FROM vocabulary WHERE id = ?",
      args: [item.item_id],
    });
    return JSON.parse(String(rows.rows[0].translation)).en;
  }
  const rows = await t.database.client.execute({
    sql: "SELECT answer FROM grammar_exercises WHERE id = ?",
    args: [item.item_id],
  });
  return String(rows.rows[0].answer);
}

async function runPlacement(t: TestApp, token: string, answer: (item: Json) => Promise<string>) {
  const start = await t.call("POST", "/api/placement/start", { token, body: { language: "es" } });
  assert.equal(start.status, 201, JSON.stringify(start.body));
  const id = start.body.data.id;
  let item = start.body.data.current_item;
  let last: Json = start;
  const seen = new Set<string>();
  let previousGroup: string | null = null;
  while (item) {
    assert.ok(!seen.has(item.item_id), "an item is never repeated");
    seen.add(item.item_id);
    const group = item.kind === "vocabulary" ? null : item.topic_id;
    if (group) assert.notEqual(group, previousGroup, "never the same topic twice in a row");
    previousGroup = group;
    assert.equal(item.answer, undefined);
    assert.equal(item.accepted, undefined);
    assert.equal(item.translation_answer, undefined);
    last = await t.call("POST", `/api/placement/${id}/answer`, {
      token,
      body: { item_id: item.item_id, answer: await answer(item) },
    });
    assert.equal(last.status, 200, JSON.stringify(last.body));
    assert.ok(dbRoundTrips(last) <= 4);
    item = last.body.data.current_item;
  }
  return { id, final: last.body.data };
}

Deno.test("a learner who answers everything right is placed at A2 and may enrol in A2 directly", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const before = await t.call("POST", "/api/courses/es-a2/enroll", { token });
  assert.equal(before.status, 409);

  const { id, final } = await runPlacement(t, token, (item) => rightAnswer(t, item));
  assert.equal(final.status, "finished");
  assert.ok(final.answered >= 6 && final.answered <= 20, `answered ${final.answered}`);
  assert.equal(final.correct, final.answered);
  assert.equal(final.placement.level, "A2");
  assert.equal(final.placement.course_id, "es-a2");
  assert.ok(final.placement.lesson_id?.startsWith("es-a2-"));
  assert.deepEqual(final.placement.prerequisites_satisfied, ["es-a1"]);
  assert.ok(["precise", "level_decided", "max_items"].includes(final.stop_reason));

  const state = await t.call("GET", `/api/placement/${id}`, { token });
  assert.equal(state.status, 200);
  assert.equal(state.body.data.result.level, "A2");
  assert.equal(state.body.data.current_item, null);

  const course = await t.call("GET", "/api/courses/es-a2", { token });
  assert.equal(course.body.data.prerequisites_met, true);
  assert.equal(course.body.data.prerequisites[0].met_via, "placement");

  const enrol = await t.call("POST", "/api/courses/es-a2/enroll", { token });
  assert.equal(enrol.status, 201, JSON.stringify(enrol.body));
  assert.ok(dbRoundTrips(enrol) <= 4);

  const finishedAnswer = await t.call("POST", `/api/placement/${id}/answer`, {
    token,
    body: { item_id: "es-agua", answer: "water" },
  });
  assert.equal(finishedAnswer.status, 409);

  // The placement seeded the learner's abilities, and the path skips placed-out content.
  const path = await t.call("GET", "/api/learn/path?course_id=es-a1", { token });
  assert.equal(path.status, 200);
  assert.ok(path.body.data.lessons.every((l: Json) => l.action === "skip"));
  assert.ok(path.body.data.lessons.every((l: Json) => l.reason === "placed_beyond"));
  await t.close();
});

Deno.test("a learner who answers everything wrong is placed at A1, lesson 1, and A2 stays locked", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const { final } = await runPlacement(t, token, () => Promise.resolve("no idea"));
  assert.equal(final.placement.level, "A1");
  assert.equal(final.placement.course_id, "es-a1");
  assert.equal(final.placement.lesson_id, "es-a1-01-greetings");
  assert.deepEqual(final.placement.prerequisites_satisfied, []);
  const enrol = await t.call("POST", "/api/courses/es-a2/enroll", { token });
  assert.equal(enrol.status, 409);
  const course = await t.call("GET", "/api/courses/es-a2", { token });
  assert.equal(course.body.data.prerequisites_met, false);
  await t.close();
});

Deno.test("placement answers are checked: wrong item 409, unknown or foreign test 404, bad body 400, no session 401", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const other = await signUp(t);
  assert.equal(
    (await t.call("POST", "/api/placement/start", { body: { language: "es" } })).status,
    401,
  );
  assert.equal(
    (await t.call("POST", "/api/placement/start", { token, body: { language: "xx" } })).status,
    404,
  );
  assert.equal((await t.call("POST", "/api/placement/start", { token, body: {} })).status, 400);
  const start = await t.call("POST", "/api/placement/start", { token, body: { language: "es" } });
  const id = start.body.data.id;
  const resumed = await t.call("POST", "/api/placement/start", { token, body: { language: "es" } });
  assert.equal(resumed.status, 200);
  assert.equal(resumed.body.data.id, id);
  assert.equal(resumed.body.data.current_item.item_id, start.body.data.current_item.item_id);

  const current = start.body.data.current_item.item_id;
  const notCurrent = current === "es-agua" ? "es-casa" : "es-agua";
  const wrongItem = await t.call("POST", `/api/placement/${id}/answer`, {
    token,
    body: { item_id: notCurrent, answer: "x" },
  });
  assert.equal(wrongItem.status, 409);
  assert.equal(wrongItem.body.error.current_item_id, current);
  assert.equal(
    (await t.call("POST", `/api/placement/${id}/answer`, { token, body: { item_id: current } }))
      .status,
    400,
  );
  assert.equal(
    (await t.call("POST", `/api/placement/${id}/answer`, {
      token: other.token,
      body: { item_id: current, answer: "x" },
    })).status,
    404,
  );
  assert.equal((await t.call("GET", `/api/placement/${id}`, { token: other.token })).status, 404);
  assert.equal((await t.call("GET", "/api/placement/nope", { token })).status, 404);
  assert.equal((await t.call("GET", `/api/placement/${id}`)).status, 401);
  const state = await t.call("GET", `/api/placement/${id}`, { token });
  assert.equal(state.body.data.answered, 0);
  assert.ok(dbRoundTrips(state) <= 3);
  await t.close();
});

Deno.test("every answer updates the learner's ability and the item's difficulty", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const practice = await t.call("POST", "/api/vocabulary/es-agua/practice", {
    token,
    body: { user_answer: "water", response_time: 2000 },
  });
  assert.equal(practice.status, 200);
  const grammar = await t.call("POST", "/api/grammar/es-articles-gender/exercise", {
    token,
    body: { answers: [{ exercise_id: "es-articles-gender--ciudad-article", answer: "el" }] },
  });
  assert.equal(grammar.status, 200);
  const abilities = await t.database.client.execute(
    "SELECT skill, theta, evidence FROM learner_abilities ORDER BY skill",
  );
  assert.equal(abilities.rows.length, 2);
  const [grammarRow, vocabularyRow] = abilities.rows;
  assert.ok(Number(vocabularyRow.theta) > 0, "a right answer raises ability");
  assert.ok(Number(grammarRow.theta) < 0, "a wrong answer lowers it");
  const items = await t.database.client.execute(
    "SELECT item_id, answers, correct FROM item_difficulties ORDER BY item_id",
  );
  assert.deepEqual(items.rows.map((r) => [r.item_id, r.answers, r.correct]), [
    ["es-agua", 1, 1],
    ["es-articles-gender--ciudad-article", 1, 0],
  ]);

  // A quiz submission updates abilities for the skills its questions test.
  const quiz = await t.call("GET", "/api/quizzes/es-a1-grammar", { token });
  const q = quiz.body.data.questions[0];
  // An answer of the right shape for whichever question came first in this attempt's order.
  const answer = q.type === "true_false"
    ? false
    : q.type === "matching"
    ? {}
    : q.type === "multiple_choice"
    ? (q.multiple ? [q.options[0]] : q.options[0])
    : q.type === "fill_blank" && q.blanks === 2
    ? ["x", "x"]
    : q.type === "reorder"
    ? q.words
    : "x";
  const submit = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      attempt_token: quiz.body.data.attempt.token,
      answers: [{ question_id: q.id, answer }],
      time_taken: 30,
    },
  });
  assert.equal(submit.status, 200, JSON.stringify(submit.body));
  const quizItem = await t.database.client.execute({
    sql: "SELECT answers FROM item_difficulties WHERE item_id = ?",
    args: [q.id],
  });
  assert.equal(quizItem.rows[0]?.answers, 1);
  // A double submit is refused and writes nothing more.
  const again = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      attempt_token: quiz.body.data.attempt.token,
      answers: [{ question_id: q.id, answer: "x" }],
      time_taken: 30,
    },
  });
  assert.equal(again.status, 409);
  const after = await t.database.client.execute({
    sql: "SELECT answers FROM item_difficulties WHERE item_id = ?",
    args: [q.id],
  });
  assert.equal(after.rows[0]?.answers, 1);
  await t.close();
});

Deno.test("GET /api/learn/practice returns items near the learner's target success, without answers", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  assert.equal((await t.call("GET", "/api/learn/practice?language=es")).status, 401);
  assert.equal(
    (await t.call("GET", "/api/learn/practice?language=es&size=0", { token })).status,
    400,
  );
  assert.equal((await t.call("GET", "/api/learn/practice?language=zz", { token })).status, 404);
  const res = await t.call("GET", "/api/learn/practice?language=es&size=10", { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(dbRoundTrips(res) <= 3);
  const items = res.body.data;
  assert.equal(items.length, 10);
  assert.equal(res.body.meta.target_success_rate, 0.8);
  assert.ok(items.some((i: Json) => i.kind === "grammar_exercise"));
  assert.ok(items.some((i: Json) => i.kind === "vocabulary"));
  for (const i of items) {
    assert.equal(i.prompt.answer, undefined);
    assert.equal(i.prompt.accepted, undefined);
    assert.ok(i.predicted_success > 0 && i.predicted_success < 1);
  }
  const mean = res.body.meta.expected_success;
  assert.ok(Math.abs(mean - 0.8) < 0.15, `mean predicted ${mean}`);

  // Exercises answered right today step back: the next set offers others.
  const offered = items.filter((i: Json) => i.kind === "grammar_exercise");
  for (const item of offered) {
    const path = item.answer_with.replace(/^POST /, "");
    const keys = await t.database.client.execute({
      sql: "SELECT answer FROM grammar_exercises WHERE id = ?",
      args: [item.item_id],
    });
    const answered = await t.call("POST", path, {
      token,
      body: { answers: [{ exercise_id: item.item_id, answer: String(keys.rows[0].answer) }] },
    });
    assert.equal(answered.body.data.results[0].correct, true, path);
  }
  const next = await t.call("GET", "/api/learn/practice?language=es&size=10", { token });
  const again = next.body.data.filter((i: Json) =>
    i.kind === "grammar_exercise" && offered.some((o: Json) => o.item_id === i.item_id)
  );
  assert.deepEqual(again, [], "no exercise just answered right is offered again");

  // A lower target picks harder items.
  const patch = await t.call("PATCH", "/api/auth/user", {
    token,
    body: { preferences: { target_success_rate: 0.7 } },
  });
  assert.equal(patch.status, 200, JSON.stringify(patch.body));
  const harder = await t.call("GET", "/api/learn/practice?language=es&size=10", { token });
  assert.equal(harder.body.meta.target_success_rate, 0.7);
  assert.ok(harder.body.meta.expected_success < mean);
  await t.close();
});

Deno.test("GET /api/learn/next goes from enrolment to lessons to reviews at risk", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  assert.equal((await t.call("GET", "/api/learn/next")).status, 401);
  const fresh = await t.call("GET", "/api/learn/next", { token });
  assert.equal(fresh.status, 200);
  assert.ok(dbRoundTrips(fresh) <= 3);
  // No course and no target language yet: find a level first.
  assert.equal(fresh.body.data.kind, "placement");
  assert.equal(fresh.body.data.reason, "no_course");
  assert.equal(typeof fresh.body.data.message, "string");

  await t.call("POST", "/api/courses/es-a1/enroll", { token });
  const lesson = await t.call("GET", "/api/learn/next", { token });
  assert.equal(lesson.body.data.reason, "continue_lesson");
  assert.equal(lesson.body.data.lesson_id, "es-a1-01-greetings");

  await t.call("POST", "/api/vocabulary/es-agua/practice", {
    token,
    body: { user_answer: "water", response_time: 2000 },
  });
  t.clock.advance(6 * 86_400_000); // overdue: recall probability under 85% (session still live)
  const review = await t.call("GET", "/api/learn/next", { token });
  assert.equal(review.body.data.kind, "review");
  assert.equal(review.body.data.reason, "reviews_at_risk");
  assert.equal(review.body.data.count, 1);
  await t.close();
});

Deno.test("GET /api/learn/path validates and marks new lessons learn", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  assert.equal((await t.call("GET", "/api/learn/path?course_id=es-a1")).status, 401);
  assert.equal((await t.call("GET", "/api/learn/path", { token })).status, 400);
  assert.equal((await t.call("GET", "/api/learn/path?course_id=nope", { token })).status, 404);
  const res = await t.call("GET", "/api/learn/path?course_id=es-a1", { token });
  assert.equal(res.status, 200);
  assert.ok(dbRoundTrips(res) <= 3);
  assert.ok(res.body.data.lessons.every((l: Json) => l.action === "learn"));
  assert.equal(res.body.data.next_lesson_id, "es-a1-01-greetings");
  await t.close();
});

Deno.test("the adaptive routes are in the OpenAPI document", async () => {
  const t = await testApp();
  const doc = await t.call("GET", "/api/openapi.json");
  for (
    const path of ["/api/placement/start", "/api/placement/{id}/answer", "/api/placement/{id}"]
  ) {
    assert.ok(doc.body.paths[path], path);
  }
  for (const path of ["/api/learn/next", "/api/learn/path", "/api/learn/practice"]) {
    assert.ok(doc.body.paths[path]?.get, path);
  }
  assert.ok(
    doc.body.paths["/api/learn/path"].get.parameters.some((p: Json) => p.name === "course_id"),
  );
  await t.close();
});
