import assert from "node:assert/strict";
import { readAllContent, shortfalls } from "../db/content_files.ts";
import {
  grantRole,
  type Json,
  lessonAnswers,
  masterLesson,
  signUp,
  type TestApp,
  testApp,
} from "./helpers.ts";

Deno.test("the content files meet the minimums for six languages", async () => {
  const contents = await readAllContent();
  const codes = contents.map((c) => c.language.code).sort();
  assert.ok(codes.length >= 6, codes.join(","));
  for (const code of ["de", "es", "fr", "it", "ja", "pt"]) assert.ok(codes.includes(code), code);
  for (const c of contents) {
    assert.deepEqual(shortfalls(c), [], c.language.code);
    assert.ok(c.vocabulary.length >= 120);
    assert.ok(c.grammar.length >= 6);
    const a1 = c.courses.find((x) => x.level === "A1")!;
    const a2 = c.courses.find((x) => x.level === "A2")!;
    assert.equal(a2.prerequisite, a1.slug);
    for (const course of [a1, a2]) assert.ok(course.lessons.length >= 8);
    for (const v of c.vocabulary) {
      assert.ok(v.ipa && v.example.text && v.translation.en, `${c.language.code} ${v.word}`);
      if (c.language.has_gender && v.part_of_speech === "noun") assert.ok(v.gender, v.word);
    }
    if (c.language.code !== "es") {
      assert.ok(c.locales.includes("es"), `${c.language.code} explained in Spanish`);
    }
  }
});

async function enrolledLearner(t: TestApp, course = "es-a1", native = "en") {
  const learner = await signUp(t, { native_language: native });
  const res = await t.call("POST", `/api/courses/${course}/enroll`, { token: learner.token });
  assert.equal(res.status, 201);
  return learner;
}

async function lessonIds(t: TestApp, token: string, course = "es-a1"): Promise<string[]> {
  const res = await t.call("GET", `/api/lessons?course_id=${course}`, { token });
  return res.body.data.map((l: Json) => l.id);
}

Deno.test("GET /api/languages filters by the learner's language and reports counts", async () => {
  const t = await testApp();
  const anon = await t.call("GET", "/api/languages");
  assert.equal(anon.status, 200);
  assert.equal(anon.body.data.length, 6);
  const es = anon.body.data.find((l: Json) => l.code === "es");
  assert.equal(es.course_count, 2);
  assert.equal(es.active_learners, 0);
  assert.equal(es.name, "Spanish");
  const ja = anon.body.data.find((l: Json) => l.code === "ja");
  assert.ok(ja.difficulty > es.difficulty);

  const { token } = await enrolledLearner(t, "fr-a1", "es");
  const forSpanish = await t.call("GET", "/api/languages", { token });
  const codes = forSpanish.body.data.map((l: Json) => l.code);
  assert.ok(!codes.includes("es"), "a Spanish speaker is not offered Spanish explained in English");
  assert.equal(forSpanish.body.meta.explained_in, "es");
  const fr = forSpanish.body.data.find((l: Json) => l.code === "fr");
  assert.equal(fr.name, "Francés");
  assert.equal(fr.active_learners, 1);
  assert.equal(forSpanish.headers.get("content-language"), "es");
  const all = await t.call("GET", "/api/languages?all=true", { token });
  assert.equal(all.body.data.length, 6);
  assert.equal((await t.call("GET", "/api/languages?native_language=English")).status, 400);
  await t.close();
});

Deno.test("GET /api/courses filters by language code or id and by level", async () => {
  const t = await testApp();
  const byCode = await t.call("GET", "/api/courses?language=es");
  assert.equal(byCode.status, 200);
  assert.deepEqual(byCode.body.data.map((c: Json) => c.id), ["es-a1", "es-a2"]);
  assert.equal(byCode.body.data[0].enrolled, false);
  assert.ok(byCode.body.data[0].lesson_count >= 8);
  assert.ok(byCode.body.data[0].estimated_hours > 0);
  const a2 = await t.call("GET", "/api/courses?language=ES&level=A2");
  assert.deepEqual(a2.body.data.map((c: Json) => c.id), ["es-a2"]);
  const all = await t.call("GET", "/api/courses?limit=5");
  assert.equal(all.body.data.length, 5);
  assert.equal(all.body.meta.total, 12);
  assert.equal((await t.call("GET", "/api/courses?language=xx")).status, 404);
  const badLevel = await t.call("GET", "/api/courses?level=Z9");
  assert.equal(badLevel.status, 400);
  assert.equal(badLevel.body.error.details[0].field, "level");
  assert.equal((await t.call("GET", "/api/courses?limit=0")).status, 400);
  const { token } = await enrolledLearner(t);
  const mine = await t.call("GET", "/api/courses?language=es", { token });
  assert.equal(mine.body.data[0].enrolled, true);
  assert.equal(mine.body.data[0].completion_percentage, 0);
  await t.close();
});

Deno.test("an A2 course shows its unmet prerequisite and enrolment says why it is refused", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const course = await t.call("GET", "/api/courses/es-a2", { token });
  assert.equal(course.status, 200);
  assert.equal(course.body.data.prerequisites_met, false);
  assert.deepEqual(course.body.data.prerequisites.map((p: Json) => [p.id, p.met]), [[
    "es-a1",
    false,
  ]]);
  assert.ok(course.body.data.objectives.length >= 3);
  const refused = await t.call("POST", "/api/courses/es-a2/enroll", { token });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "CONFLICT");
  assert.equal(refused.body.error.reason, "prerequisite_not_completed");
  assert.equal(refused.body.error.prerequisite.id, "es-a1");
  assert.match(refused.body.error.message, /Complete/);
  assert.equal((await t.call("GET", "/api/courses/nope")).status, 404);
  assert.equal((await t.call("POST", "/api/courses/es-a1/enroll")).status, 401);
  assert.equal((await t.call("POST", "/api/courses/nope/enroll", { token })).status, 404);
  await t.close();
});

Deno.test("enrolment is idempotent and opens only the first lesson", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t);
  const again = await t.call("POST", "/api/courses/es-a1/enroll", { token });
  assert.equal(again.status, 200);
  assert.equal(again.body.data.newly_enrolled, false);
  const course = await t.call("GET", "/api/courses/es-a1", { token });
  const statuses = course.body.data.lessons.map((l: Json) => l.status);
  assert.equal(statuses[0], "available");
  assert.ok(statuses.slice(1).every((s: string) => s === "locked"));
  assert.equal(course.body.data.lessons[1].locked_reason.code, "previous_lesson_not_mastered");
  assert.equal(course.body.data.enrollment.enrolled, true);
  const rows = await t.database.client.execute("SELECT count(*) AS n FROM user_progress");
  assert.equal(Number(rows.rows[0].n), 1);
  await t.close();
});

Deno.test("mastering lesson 1 unlocks lesson 2; a low score does not", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t);
  const [first, second] = await lessonIds(t, token);
  const locked = await t.call("GET", `/api/lessons/${second}`, { token });
  assert.equal(locked.status, 403);
  assert.equal(locked.body.error.reason.code, "previous_lesson_not_mastered");
  const lockedComplete = await t.call("POST", `/api/lessons/${second}/complete`, {
    token,
    body: { score: 100 },
  });
  assert.equal(lockedComplete.status, 403);

  const low = await t.call("POST", `/api/lessons/${first}/complete`, {
    token,
    body: { score: 79, time_spent: 120 },
  });
  assert.equal(low.status, 200);
  assert.equal(low.body.data.mastered, false);
  assert.equal(low.body.data.next_lesson.status, "locked");
  assert.equal((await t.call("GET", `/api/lessons/${second}`, { token })).status, 403);

  const good = await masterLesson(t, token, first, { time_spent: 100 });
  assert.equal(good.body.data.mastered, true);
  assert.equal(good.body.data.best_score, 100);
  assert.equal(good.body.data.course_progress.completed_lessons, 1);
  assert.equal(good.body.data.course_progress.completion_percentage, 10);
  const opened = await t.call("GET", `/api/lessons/${second}`, { token });
  assert.equal(opened.status, 200);
  assert.equal(opened.body.data.status, "available");

  // Completing again improves the best score but does not count twice.
  const again = await t.call("POST", `/api/lessons/${first}/complete`, {
    token,
    body: { score: 95 },
  });
  assert.equal(again.body.data.already_completed, true);
  assert.equal(again.body.data.best_score, 100);
  assert.equal(again.body.data.course_progress.completed_lessons, 1);
  assert.equal(again.body.data.xp_earned, 0, "a repeat the same day pays nothing");
  t.clock.advance(86_400_000);
  const nextDay = await t.call("POST", `/api/lessons/${first}/complete`, { token });
  assert.equal(nextDay.body.data.xp_earned, 5, "a repeat on another day pays 5, once");
  assert.equal(
    (await t.call("POST", `/api/lessons/${first}/complete`, { token })).body.data.xp_earned,
    0,
  );
  const activity = await t.database.client.execute(
    "SELECT count(*) AS n, (SELECT sum(xp) FROM activity_log) AS xp FROM activity_log WHERE kind = 'lesson'",
  );
  assert.equal(Number(activity.rows[0].n), 5);
  const user = await t.call("GET", "/api/auth/user", { token });
  assert.equal(user.body.data.xp, Number(activity.rows[0].xp), "XP equals the activity log's sum");
  assert.equal(user.body.data.progress_summary.enrolled_courses, 1);
  assert.equal(user.body.data.progress_summary.lessons_completed, 1);
  assert.ok(user.body.data.progress_summary.words_studied > 0);
  await t.close();
});

Deno.test("an empty or self-scored completion masters nothing, unlocks nothing, pays once", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t);
  const [first, second] = await lessonIds(t, token);
  const paid: number[] = [];
  for (const body of [undefined, {}, { score: 100 }, { score: 100, time_spent: 600 }]) {
    const res = await t.call("POST", `/api/lessons/${first}/complete`, { token, body });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.mastered, false, JSON.stringify(body));
    assert.equal(res.body.data.score, 0, "the server's score, not the client's");
    assert.equal(res.body.data.next_lesson.status, "locked");
    paid.push(res.body.data.xp_earned);
  }
  assert.deepEqual(paid, [0, 0, 0, 0], "no right answer behind it: no XP at all");
  assert.equal((await t.call("GET", `/api/lessons/${second}`, { token })).status, 403);
  // Half the words recalled is not mastery either; all of them and the exercises are.
  const lesson = await t.call("GET", `/api/lessons/${first}`, { token });
  const words = lesson.body.data.vocabulary;
  for (const w of words.slice(0, Math.floor(words.length / 2))) {
    await t.call("POST", `/api/vocabulary/${w.id}/practice`, {
      token,
      body: { user_answer: w.translation, response_time: 2000 },
    });
  }
  const half = await t.call("POST", `/api/lessons/${first}/complete`, { token, body: {} });
  assert.equal(half.body.data.mastered, false);
  assert.ok(half.body.data.score > 0 && half.body.data.score < 80, String(half.body.data.score));
  const done = await masterLesson(t, token, first);
  assert.equal(done.body.data.mastered, true);
  assert.equal(done.body.data.score, 100);
  assert.ok(done.body.data.xp_earned >= 20, "first mastery pays");
  assert.equal((await t.call("GET", `/api/lessons/${second}`, { token })).status, 200);
  await t.close();
});

Deno.test("exercises answered right in grammar practice count toward a lesson's mastery", async () => {
  const t = await testApp();
  const { token, user } = await enrolledLearner(t);
  const lessonId = "es-a1-03-people-gender";
  await t.database.client.execute({
    sql:
      "INSERT INTO user_lessons (user_id, lesson_id, status, unlocked_at) VALUES (?, ?, 'available', 0)",
    args: [user.id, lessonId],
  });
  const body = await lessonAnswers(t, token, lessonId); // practises the words
  assert.ok(body.answers.length > 0);
  const before = await t.call("POST", `/api/lessons/${lessonId}/complete`, { token, body: {} });
  assert.equal(before.body.data.mastered, false, "words alone are not enough");
  const practice = await t.call("POST", "/api/grammar/es-articles-gender/exercise", {
    token,
    body: { answers: body.answers, time_spent: 60 },
  });
  assert.equal(practice.body.data.correct, body.answers.length);
  const after = await t.call("POST", `/api/lessons/${lessonId}/complete`, { token, body: {} });
  assert.equal(after.body.data.mastered, true);
  assert.equal(after.body.data.score, 100);
  await t.close();
});

Deno.test("lesson completion validates its body and requires enrolment", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t);
  const [first] = await lessonIds(t, token);
  for (
    const body of [{ score: 101 }, { score: -1 }, { time_spent: -5 }, { time_spent: 1.5 }, {
      extra: 1,
    }, { score: "90" }]
  ) {
    const res = await t.call("POST", `/api/lessons/${first}/complete`, { token, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, "VALIDATION_ERROR");
  }
  const bare = await t.call("POST", `/api/lessons/${first}/complete`, { token });
  assert.equal(bare.status, 200);
  assert.equal(bare.body.data.mastered, false, "nothing answered: not mastered");
  for (
    const answers of [
      [{ exercise_id: "not-in-this-lesson", answer: "x" }],
      [{ exercise_id: "x", answer: 3 }],
    ]
  ) {
    const res = await t.call("POST", `/api/lessons/${first}/complete`, {
      token,
      body: { answers },
    });
    assert.equal(res.status, 400, JSON.stringify(answers));
  }
  const other = await signUp(t);
  const notEnrolled = await t.call("GET", `/api/lessons/${first}`, { token: other.token });
  assert.equal(notEnrolled.status, 403);
  assert.equal(notEnrolled.body.error.reason.code, "not_enrolled");
  assert.equal((await t.call("GET", `/api/lessons/${first}`)).status, 401);
  assert.equal((await t.call("GET", "/api/lessons/unknown-lesson", { token })).status, 404);
  assert.equal(
    (await t.call("POST", "/api/lessons/unknown-lesson/complete", { token })).status,
    404,
  );
  assert.equal((await t.call("GET", "/api/lessons")).status, 400, "signed out needs course_id");
  await t.close();
});

Deno.test("GET /api/lessons defaults to the most recently active course", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t, "it-a1");
  t.clock.advance(60_000);
  await t.call("POST", "/api/courses/de-a1/enroll", { token });
  const res = await t.call("GET", "/api/lessons", { token });
  assert.equal(res.status, 200);
  assert.equal(res.body.meta.course_id, "de-a1");
  const fresh = await signUp(t);
  assert.equal((await t.call("GET", "/api/lessons", { token: fresh.token })).status, 404);
  await t.close();
});

Deno.test("finishing every A1 lesson completes the course and opens A2", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t);
  const ids = await lessonIds(t, token);
  let last: Json;
  for (const id of ids) {
    last = await masterLesson(t, token, id, { time_spent: 60 });
    assert.equal(last.status, 200, id);
  }
  assert.equal(last.body.data.course_progress.completion_percentage, 100);
  assert.equal(last.body.data.course_progress.completed, true);
  assert.equal(last.body.data.next_lesson, null);
  const a2 = await t.call("POST", "/api/courses/es-a2/enroll", { token });
  assert.equal(a2.status, 201);
  await t.close();
});

Deno.test("lesson content is localized and its exercises carry no answers", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t, "fr-a1", "es");
  const ids = await lessonIds(t, token, "fr-a1");
  const lesson = await t.call("GET", `/api/lessons/${ids[0]}`, { token });
  assert.equal(lesson.status, 200);
  assert.ok(lesson.body.data.content.text.length > 40);
  assert.ok(lesson.body.data.vocabulary.length > 0);
  const word = lesson.body.data.vocabulary[0];
  assert.ok(word.ipa && word.translation && word.example.translation);
  assert.ok(["easy", "medium", "hard"].includes(word.difficulty.label));
  // Walk every lesson the learner may open to find one with exercises.
  for (const id of ids) {
    await masterLesson(t, token, id);
  }
  let checked = 0;
  for (const id of ids) {
    const res = await t.call("GET", `/api/lessons/${id}`, { token });
    for (const ex of res.body.data.exercises) {
      assertNoAnswerFields(ex);
      checked++;
    }
  }
  assert.ok(checked > 0, "some lesson has exercises");
  await t.close();
});

function assertNoAnswerFields(value: Json, path = "") {
  if (Array.isArray(value)) return value.forEach((v, i) => assertNoAnswerFields(v, `${path}.${i}`));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      assert.ok(
        !["answer", "accepted", "correct_answer", "explanation"].includes(k),
        `${path}.${k} leaks`,
      );
      assertNoAnswerFields(v, `${path}.${k}`);
    }
  }
}

Deno.test("grammar topics list with progress; a topic shows rules and exercises without answers", async () => {
  const t = await testApp();
  const list = await t.call("GET", "/api/grammar?language=de&max_level=A1");
  assert.equal(list.status, 200);
  assert.ok(list.body.data.length >= 3);
  assert.ok(list.body.data.every((g: Json) => g.level === "A1"));
  assert.equal(list.body.data[0].progress.status, "not_started");
  const topic = await t.call("GET", `/api/grammar/${list.body.data[0].id}`, {
    headers: { "accept-language": "es-ES,es;q=0.9" },
  });
  assert.equal(topic.status, 200);
  assert.equal(topic.headers.get("content-language"), "es");
  assert.ok(topic.body.data.explanation.length > 50);
  assert.ok(topic.body.data.examples.length >= 3);
  assert.ok(topic.body.data.exercises.length >= 4);
  assertNoAnswerFields(topic.body.data.exercises);
  assert.equal((await t.call("GET", "/api/grammar/nope")).status, 404);
  assert.equal((await t.call("GET", "/api/grammar?language=zz")).status, 404);
  assert.equal((await t.call("GET", "/api/grammar?max_level=Q")).status, 400);
  await t.close();
});

Deno.test("grammar exercise answers are checked with accents counted and named", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  // Find a Spanish exercise whose answer has an accent, through the database (answers are never served).
  const rows = await t.database.client.execute(
    "SELECT id, topic_id, answer FROM grammar_exercises WHERE topic_id LIKE 'es-%' ORDER BY id",
  );
  const accented = rows.rows.find((r) => /[áéíóú]/.test(String(r.answer)))!;
  assert.ok(accented, "an exercise with an accented answer");
  const topicId = String(accented.topic_id);
  const others = rows.rows.filter((r) => r.topic_id === topicId && r.id !== accented.id);
  const plain = String(accented.answer).normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const res = await t.call("POST", `/api/grammar/${topicId}/exercise`, {
    token,
    body: {
      answers: [
        { exercise_id: accented.id, answer: plain.toUpperCase() + " " },
        { exercise_id: others[0].id, answer: `  ${String(others[0].answer).toUpperCase()}. ` },
        { exercise_id: others[1].id, answer: "definitely wrong" },
      ],
      time_spent: 90,
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const [accent, right, wrong] = res.body.data.results;
  assert.equal(accent.correct, false);
  assert.equal(accent.error, "accent");
  assert.match(accent.feedback, /accent/);
  assert.equal(accent.correct_answer, accented.answer);
  assert.ok(accent.explanation.length > 5);
  assert.equal(right.correct, true, "case, spacing and punctuation are ignored");
  assert.equal(wrong.correct, false);
  assert.equal(res.body.data.score, 33.3);
  assert.equal(res.body.data.xp_earned, 2);
  const listed = await t.call("GET", `/api/grammar?language=es`, { token });
  assert.equal(listed.body.data.find((g: Json) => g.id === topicId).progress.status, "in_progress");

  const bad = [
    { answers: [] },
    { answers: [{ exercise_id: "nope", answer: "x" }] },
    {
      answers: [{ exercise_id: accented.id, answer: "x" }, {
        exercise_id: accented.id,
        answer: "y",
      }],
    },
    { answers: [{ exercise_id: accented.id, answer: 5 }] },
    { answers: [{ exercise_id: accented.id, answer: "x" }], time_spent: -1 },
  ];
  for (const body of bad) {
    const r = await t.call("POST", `/api/grammar/${topicId}/exercise`, { token, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(r.body.error.details?.length, JSON.stringify(r.body));
  }
  assert.equal(
    (await t.call("POST", `/api/grammar/${topicId}/exercise`, { body: bad[1] })).status,
    401,
  );
  assert.equal(
    (await t.call("POST", `/api/grammar/nope/exercise`, {
      token,
      body: { answers: [{ exercise_id: "a", answer: "b" }] },
    })).status,
    404,
  );
  await t.close();
});

Deno.test("authoring is for editors and admins; learners get 403", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const course = {
    language: "it",
    slug: "it-b1",
    level: "B1",
    title: { en: "Italian B1", es: "Italiano B1" },
    description: { en: "Intermediate Italian", es: "Italiano intermedio" },
    objectives: [{ en: "a", es: "a" }, { en: "b", es: "b" }, { en: "c", es: "c" }],
    estimated_hours: 80,
    prerequisite: "it-a2",
  };
  assert.equal(
    (await t.call("POST", "/api/courses", { token: learner.token, body: course })).status,
    403,
  );
  assert.equal((await t.call("POST", "/api/courses", { body: course })).status, 401);

  const editor = await signUp(t);
  await grantRole(t, editor.user.id, "editor");
  const created = await t.call("POST", "/api/courses", { token: editor.token, body: course });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const invalid = await t.call("POST", "/api/courses", {
    token: editor.token,
    body: { ...course, slug: "Bad Slug", objectives: [] },
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(invalid.body.error.details.map((d: Json) => d.field).sort(), [
    "objectives",
    "slug",
  ]);

  const lesson = {
    slug: "it-b1-01-travel",
    type: "conversation",
    title: { en: "At the station", es: "En la estación" },
    summary: { en: "Buying tickets", es: "Comprar billetes" },
    estimated_minutes: 15,
    content: { text: { en: "Text", es: "Texto" } },
    vocabulary: ["treno"],
    grammar_topics: [],
  };
  const addedLesson = await t.call("POST", "/api/courses/it-b1/lessons", {
    token: editor.token,
    body: lesson,
  });
  assert.ok([201, 400].includes(addedLesson.status), JSON.stringify(addedLesson.body));

  const word = {
    language: "it",
    word: "biglietteria",
    translation: { en: "ticket office", es: "taquilla" },
    part_of_speech: "noun",
    gender: "f",
    ipa: "biʎ.ʎet.te.ˈri.a",
    example: {
      text: "La biglietteria è chiusa.",
      translation: { en: "The ticket office is closed.", es: "La taquilla está cerrada." },
    },
    level: "B1",
    category: "travel",
  };
  const w = await t.call("POST", "/api/vocabulary", { token: editor.token, body: word });
  assert.equal(w.status, 201, JSON.stringify(w.body));
  assert.equal(
    (await t.call("POST", "/api/vocabulary", { token: editor.token, body: word })).status,
    409,
  );
  const patched = await t.call("PATCH", `/api/vocabulary/${w.body.data.id}`, {
    token: editor.token,
    body: { translation: { en: "box office", es: "taquilla" } },
  });
  assert.equal(patched.status, 200);
  const lesson2 = { ...lesson, slug: "it-b1-02-tickets", vocabulary: ["biglietteria"] };
  const l2 = await t.call("POST", "/api/courses/it-b1/lessons", {
    token: editor.token,
    body: lesson2,
  });
  assert.equal(l2.status, 201, JSON.stringify(l2.body));
  const unknownWord = await t.call("POST", "/api/courses/it-b1/lessons", {
    token: editor.token,
    body: { ...lesson, slug: "it-b1-03-x", vocabulary: ["not-a-word"] },
  });
  assert.equal(unknownWord.status, 400);
  assert.equal(
    (await t.call("DELETE", `/api/vocabulary/${w.body.data.id}`, { token: learner.token })).status,
    403,
  );
  const removed = await t.call("DELETE", `/api/vocabulary/${w.body.data.id}`, {
    token: editor.token,
  });
  assert.equal(removed.body.data.outcome, "deleted");
  assert.equal((await t.call("DELETE", "/api/courses/nope", { token: editor.token })).status, 404);
  await t.close();
});

Deno.test("deleting content learners have progress on archives it instead", async () => {
  const t = await testApp();
  const { token } = await enrolledLearner(t, "pt-a1");
  const editor = await signUp(t);
  await grantRole(t, editor.user.id, "editor");
  const prerequisite = await t.call("DELETE", "/api/courses/pt-a1", { token: editor.token });
  assert.equal(prerequisite.status, 409, "pt-a2 requires pt-a1");
  const [first] = await lessonIds(t, token, "pt-a1");
  const lesson = await t.call("DELETE", `/api/lessons/${first}`, { token: editor.token });
  assert.equal(lesson.body.data.outcome, "archived");
  assert.equal((await t.call("GET", `/api/lessons/${first}`, { token })).status, 404);
  const a2 = await t.call("DELETE", "/api/courses/pt-a2", { token: editor.token });
  assert.equal(a2.body.data.outcome, "deleted", "nobody is enrolled in pt-a2");
  const kept = await t.database.client.execute("SELECT count(*) AS n FROM user_lessons");
  assert.equal(Number(kept.rows[0].n), 1, "learner rows are not orphaned or lost");
  await t.close();
});

Deno.test("an admin grants the editor role; editors cannot", async () => {
  const t = await testApp();
  const admin = await signUp(t);
  await grantRole(t, admin.user.id, "admin");
  const someone = await signUp(t);
  const byLearner = await t.call("PUT", `/api/admin/users/${admin.user.id}/role`, {
    token: someone.token,
    body: { role: "learner" },
  });
  assert.equal(byLearner.status, 403);
  const granted = await t.call("PUT", `/api/admin/users/${someone.user.id}/role`, {
    token: admin.token,
    body: { role: "editor" },
  });
  assert.equal(granted.status, 200);
  assert.equal(granted.body.data.role, "editor");
  const me = await t.call("GET", "/api/auth/user", { token: someone.token });
  assert.equal(me.body.data.role, "editor");
  assert.equal(
    (await t.call("PUT", `/api/admin/users/${someone.user.id}/role`, {
      token: admin.token,
      body: { role: "boss" },
    })).status,
    400,
  );
  assert.equal(
    (await t.call("PUT", "/api/admin/users/nobody/role", {
      token: admin.token,
      body: { role: "editor" },
    })).status,
    404,
  );
  await t.close();
});

Deno.test("content import validates the whole file before writing anything", async () => {
  const t = await testApp();
  const editor = await signUp(t);
  await grantRole(t, editor.user.id, "editor");
  const [content] = await readAllContent();
  const broken = structuredClone(content) as Json;
  broken.vocabulary[3].gender = "x";
  broken.vocabulary[5].ipa = "/slashes/";
  const before = await t.database.client.execute("SELECT count(*) AS n FROM vocabulary");
  const refused = await t.call("POST", "/api/content/import", {
    token: editor.token,
    body: broken,
  });
  assert.equal(refused.status, 400);
  const fields = refused.body.error.details.map((d: Json) => d.field);
  assert.ok(fields.includes("vocabulary.3.gender"), fields.join());
  assert.ok(fields.includes("vocabulary.5.ipa"), fields.join());
  const dangling = structuredClone(content) as Json;
  dangling.courses[0].lessons[0].vocabulary.push("no-such-word");
  const refs = await t.call("POST", "/api/content/import", { token: editor.token, body: dangling });
  assert.equal(refs.status, 400);
  assert.match(JSON.stringify(refs.body.error.details), /Unknown word no-such-word/);
  const after = await t.database.client.execute("SELECT count(*) AS n FROM vocabulary");
  assert.equal(after.rows[0].n, before.rows[0].n);

  const same = await t.call("POST", "/api/content/import", { token: editor.token, body: content });
  assert.equal(same.status, 200);
  assert.equal(same.body.data.written, false, "an unchanged file writes nothing");
  const changed = structuredClone(content) as Json;
  changed.language.description.en = "Updated description";
  const written = await t.call("POST", "/api/content/import", {
    token: editor.token,
    body: changed,
  });
  assert.equal(written.status, 201);
  assert.equal(written.body.data.written, true);
  await t.close();
});
