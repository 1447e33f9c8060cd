import assert from "node:assert/strict";
import { scoreQuestion, totalScore } from "../domain/quiz_scoring.ts";
import { checkWriting } from "../domain/writing_check.ts";
import { type Json, signUp, type TestApp, testApp } from "./helpers.ts";
import { rightAnswers as rightAnswersFromKeys } from "./quiz_keys.ts";

Deno.test("scoring gives partial credit where it is fair and names mistakes", () => {
  const multi = { type: "multiple_choice" as const, correct: ["casa", "mesa"] };
  assert.equal(scoreQuestion(multi, ["casa", "mesa"]).credit, 1);
  assert.equal(scoreQuestion(multi, ["casa"]).credit, 0.5);
  assert.equal(scoreQuestion(multi, ["casa", "perro"]).credit, 0);
  assert.equal(scoreQuestion(multi, ["casa", "mesa", "perro"]).credit, 0.5);
  const blanks = { type: "fill_blank" as const, blanks: [["soy"], ["está"]] };
  assert.equal(scoreQuestion(blanks, ["soy", "esta"]).credit, 0.5);
  assert.equal(scoreQuestion(blanks, ["soy", "esta"]).error, "accent");
  assert.equal(scoreQuestion({ type: "fill_blank", blanks: [["la"]] }, "la").credit, 1);
  const match = {
    type: "matching" as const,
    pairs: { casa: "house", perro: "dog", gato: "cat", mesa: "table" },
  };
  assert.equal(
    scoreQuestion(match, { casa: "house", perro: "cat", gato: "dog", mesa: "table" }).credit,
    0.5,
  );
  const reorder = { type: "reorder" as const, accepted: ["Yo hablo español"] };
  assert.equal(scoreQuestion(reorder, ["yo", "hablo", "español"]).correct, true);
  assert.equal(scoreQuestion(reorder, ["hablo", "yo", "español"]).error, "word_order");
  const tr = { type: "translation" as const, accepted: ["la canción"], articles: ["la", "el"] };
  assert.equal(scoreQuestion(tr, "cancion").note, "accent");
  assert.equal(scoreQuestion(tr, "cancion").correct, true);
  assert.equal(scoreQuestion({ type: "true_false", value: false }, false).credit, 1);
  const gender = { type: "fill_blank" as const, blanks: [["la casa"]] };
  assert.equal(
    scoreQuestion(gender, "el casa", { articles: ["el", "la"] }).error,
    "gender_article",
  );
  assert.deepEqual(
    totalScore([{ credit: 0.5, points: 4 }, { credit: 1, points: 1 }, { credit: 0, points: 1 }]),
    {
      score: 3,
      max_score: 6,
      percentage: 50,
    },
  );
});

Deno.test("writing checks name gender, verb-form, accent and capital errors, and say what they cannot judge", () => {
  const known = [
    { word: "perro", gender: "m", partOfSpeech: "noun" },
    { word: "casa", gender: "f", partOfSpeech: "noun" },
    { word: "agua", gender: "f", partOfSpeech: "noun" },
    { word: "también", gender: null, partOfSpeech: "adverb" },
  ];
  const es = checkWriting(
    "es",
    "Yo es feliz. La perro come en el agua y tambien en la casa.",
    known,
    ["perro", "gato"],
  );
  assert.deepEqual(es.issues.map((i) => i.type).sort(), ["accent", "gender_article", "verb_form"]);
  assert.equal(es.issues.find((i) => i.type === "verb_form")!.suggestion, "Yo soy");
  assert.deepEqual(es.expected_words, [{ word: "perro", found: true }, {
    word: "gato",
    found: false,
  }]);
  assert.equal(es.checks_passed, false);
  const de = checkWriting("de", "Das Frau hat ein haus.", [
    { word: "Frau", gender: "f", partOfSpeech: "noun" },
    { word: "Haus", gender: "n", partOfSpeech: "noun" },
  ]);
  assert.deepEqual(de.issues.map((i) => i.type).sort(), ["capitalization", "gender_article"]);
  assert.equal(
    checkWriting("de", "Ich gebe der Frau das Buch.", [{
      word: "Frau",
      gender: "f",
      partOfSpeech: "noun",
    }]).issues.length,
    0,
    "dative der Frau is right",
  );
  const ja = checkWriting("ja", "わたしは がくせいです。", [], ["がくせい"]);
  assert.deepEqual(ja.issues, []);
  assert.equal(ja.expected_words[0].found, true);
});

async function enrolled(t: TestApp, course = "es-a1") {
  const learner = await signUp(t);
  assert.equal(
    (await t.call("POST", `/api/courses/${course}/enroll`, { token: learner.token })).status,
    201,
  );
  return learner;
}

/** The right answer for a question, read from the database (never served before submitting). */
function rightAnswers(t: TestApp, quizId: string) {
  return rightAnswersFromKeys(t.database.client, quizId);
}

function wrongAnswer(q: Json) {
  switch (q.type) {
    case "true_false":
      return null; // left unanswered: scored 0
    case "matching":
      return {};
    case "multiple_choice":
      return q.multiple ? [] : "zzz";
    case "fill_blank":
      return q.blanks === 2 ? ["zzz", "zzz"] : "zzz";
    default:
      return "zzz";
  }
}

function walkForAnswers(value: Json, path = "") {
  if (Array.isArray(value)) return value.forEach((v, i) => walkForAnswers(v, `${path}.${i}`));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      assert.ok(
        ![
          "answer",
          "key",
          "correct",
          "accepted",
          "pairs",
          "blanks_answers",
          "correct_answer",
          "explanation",
          "value",
        ].includes(k),
        `${path}.${k} would leak the answer`,
      );
      walkForAnswers(v, `${path}.${k}`);
    }
  }
}

Deno.test("GET /api/quizzes lists the learner's course quizzes with attempts", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const res = await t.call("GET", "/api/quizzes", { token });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.data.map((q: Json) => q.kind).sort(), [
    "final",
    "grammar",
    "vocabulary",
  ]);
  const q = res.body.data[0];
  assert.ok(q.question_count >= 10);
  assert.equal(q.attempts_used, 0);
  assert.equal(q.attempts_remaining, q.max_attempts);
  assert.equal(q.best_score, null);
  assert.ok(q.time_limit_seconds > 0);
  const other = await signUp(t);
  assert.deepEqual((await t.call("GET", "/api/quizzes", { token: other.token })).body.data, []);
  assert.equal(
    (await t.call("GET", "/api/quizzes?course_id=es-a2", { token: other.token })).body.data.length,
    3,
  );
  assert.equal((await t.call("GET", "/api/quizzes?kind=essay", { token })).status, 400);
  assert.equal((await t.call("GET", "/api/quizzes")).status, 401);
  await t.close();
});

Deno.test("an attempt keeps its order on reload and never carries answers", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const first = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.equal(first.status, 201);
  const again = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.equal(again.status, 200);
  assert.equal(again.body.data.attempt.id, first.body.data.attempt.id);
  assert.deepEqual(
    again.body.data.questions,
    first.body.data.questions,
    "same order, same options",
  );
  walkForAnswers(first.body.data.questions);
  const types = new Set(first.body.data.questions.map((q: Json) => q.type));
  for (const type of ["multiple_choice", "translation", "true_false", "listening", "matching"]) {
    assert.ok(types.has(type), type);
  }
  assert.ok(first.body.data.attempt.deadline);
  // Every quiz of every course: no answer key anywhere.
  for (const course of ["fr-a1", "ja-a1"]) {
    const l = await enrolled(t, course);
    for (const kind of ["vocabulary", "grammar", "final"]) {
      const r = await t.call("GET", `/api/quizzes/${course}-${kind}`, { token: l.token });
      walkForAnswers(r.body.data.questions);
    }
  }
  const stranger = await signUp(t);
  assert.equal(
    (await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token: stranger.token })).status,
    403,
  );
  assert.equal((await t.call("GET", "/api/quizzes/nope", { token })).status, 404);
  await t.close();
});

Deno.test("a learner fails a quiz, sees the answers and explanations, and passes a later attempt", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const start = await t.call("GET", "/api/quizzes/es-a1-grammar", { token });
  const questions = start.body.data.questions;
  const fail = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      answers: questions.map((q: Json) => ({ question_id: q.id, answer: wrongAnswer(q) }))
        .filter((a: Json) => a.answer !== null),
      time_taken: 42,
    },
  });
  assert.equal(fail.status, 200, JSON.stringify(fail.body));
  const f = fail.body.data;
  assert.equal(f.passed, false);
  assert.equal(f.score, 0);
  assert.equal(f.attempt_number, 1);
  assert.equal(f.attempts_remaining, 2);
  for (const r of f.results) {
    assert.equal(r.correct, false);
    assert.ok(r.correct_answer !== undefined && r.correct_answer !== null);
    assert.ok(r.explanation.length > 5);
  }
  const double = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: { attempt_id: f.attempt_id, answers: [], time_taken: 1 },
  });
  assert.equal(double.status, 409);
  assert.equal(double.body.error.reason, "already_submitted");

  const second = await t.call("GET", "/api/quizzes/es-a1-grammar", { token });
  assert.equal(second.status, 201);
  assert.equal(second.body.data.attempt.attempt_number, 2);
  const keys = await rightAnswers(t, "es-a1-grammar");
  const pass = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      answers: second.body.data.questions.map((q: Json) => ({
        question_id: q.id,
        answer: keys.get(q.id)!.answer,
      })),
      time_taken: 100,
    },
  });
  assert.equal(pass.status, 200, JSON.stringify(pass.body));
  assert.equal(pass.body.data.passed, true);
  assert.equal(pass.body.data.percentage, 100);
  assert.equal(pass.body.data.score, pass.body.data.max_score);
  assert.ok(pass.body.data.xp_earned > 0);
  assert.ok(pass.body.data.new_achievements.some((a: Json) => a.id === "perfect-quiz"));
  const list = await t.call("GET", "/api/quizzes", { token });
  const g = list.body.data.find((q: Json) => q.id === "es-a1-grammar");
  assert.equal(g.best_score, 100);
  assert.equal(g.attempts_used, 2);
  assert.equal(g.passed, true);
  await t.close();
});

Deno.test("partial credit adds up across question types", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const start = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  const keys = await rightAnswers(t, "es-a1-vocabulary");
  const matching = start.body.data.questions.find((q: Json) => q.type === "matching");
  const multi = start.body.data.questions.find((q: Json) =>
    q.type === "multiple_choice" && q.multiple
  );
  const pairs = keys.get(matching.id)!.answer as Record<string, string>;
  const left = Object.keys(pairs);
  // Two pairs right, two swapped.
  const half = { ...pairs, [left[0]]: pairs[left[1]], [left[1]]: pairs[left[0]] };
  const multiRight = keys.get(multi.id)!.answer as string[];
  const res = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
    token,
    body: {
      answers: [
        { question_id: matching.id, answer: half },
        { question_id: multi.id, answer: [multiRight[0]] },
      ],
      time_taken: 30,
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const byId = new Map(res.body.data.results.map((r: Json) => [r.question_id, r]));
  const m = byId.get(matching.id) as Json;
  assert.equal(m.credit, 0.5);
  assert.equal(m.points, m.max_points / 2);
  assert.equal((byId.get(multi.id) as Json).credit, 0.5);
  const sum = res.body.data.results.reduce((n: number, r: Json) => n + r.points, 0);
  assert.equal(sum, res.body.data.score);
  const max = res.body.data.results.reduce((n: number, r: Json) => n + r.max_points, 0);
  assert.equal(max, res.body.data.max_score);
  assert.equal(res.body.data.percentage, Math.round((sum / max) * 1000) / 10);
  await t.close();
});

Deno.test("submissions with unknown, duplicate or mistyped answers are 400; late ones 409", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const start = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  const [q1] = start.body.data.questions;
  const tf = start.body.data.questions.find((q: Json) => q.type === "true_false");
  const cases = [
    { answers: [{ question_id: "nope", answer: "x" }], time_taken: 1 },
    {
      answers: [{ question_id: q1.id, answer: "a" }, { question_id: q1.id, answer: "b" }],
      time_taken: 1,
    },
    { answers: [{ question_id: tf.id, answer: "true" }], time_taken: 1 },
    { answers: [], time_taken: -1 },
    { answers: [{ question_id: q1.id }], time_taken: 1 },
  ];
  for (const body of cases) {
    const res = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", { token, body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.ok(res.body.error.details.length > 0);
  }
  t.clock.advance((start.body.data.quiz.time_limit_seconds + 11) * 1000);
  const late = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
    token,
    body: { answers: [], time_taken: 5 },
  });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.reason, "deadline_passed");
  const notStarted = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: { answers: [], time_taken: 5 },
  });
  assert.equal(notStarted.status, 409);
  await t.close();
});

Deno.test("the attempt limit holds, counting expired attempts", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  for (let i = 1; i <= 3; i++) {
    const r = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
    assert.equal(r.body.data.attempt.attempt_number, i);
    if (i < 3) {
      await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
        token,
        body: { answers: [], time_taken: 5 },
      });
    } else {
      t.clock.advance(3600_000); // let the last one expire unsubmitted
    }
  }
  const refused = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.reason, "attempts_exhausted");
  await t.close();
});

Deno.test("passing the final assessment issues a certificate anyone can verify", async () => {
  const t = await testApp();
  const { token } = await enrolled(t, "it-a1");
  const start = await t.call("GET", "/api/quizzes/it-a1-final", { token });
  const keys = await rightAnswers(t, "it-a1-final");
  const res = await t.call("POST", "/api/quizzes/it-a1-final/submit", {
    token,
    body: {
      answers: start.body.data.questions.map((q: Json) => ({
        question_id: q.id,
        answer: keys.get(q.id)!.answer,
      })),
      time_taken: 300,
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.data.passed, true);
  const cert = res.body.data.certificate;
  assert.ok(cert.public_id.length >= 12);
  const verify = await t.call("GET", cert.url);
  assert.equal(verify.status, 200);
  assert.equal(verify.body.data.valid, true);
  assert.equal(verify.body.data.cefr_level, "A1");
  assert.equal(verify.body.data.score, 100);
  const text = JSON.stringify(verify.body);
  assert.ok(!text.includes("@"), "no email");
  assert.ok(!text.includes("user_id"));
  assert.equal((await t.call("GET", "/api/certificates/unknown-certificate")).status, 404);
  assert.equal((await t.call("GET", "/api/certificates/x")).status, 400);
  await t.close();
});

Deno.test("wrong answers become error patterns with a practice set", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  for (const answer of ["goodbye", "nope"]) {
    await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: answer, response_time: 2000 },
    });
  }
  const start = await t.call("GET", "/api/quizzes/es-a1-grammar", { token });
  await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      answers: start.body.data.questions.map((q: Json) => ({
        question_id: q.id,
        answer: wrongAnswer(q),
      }))
        .filter((a: Json) => a.answer !== null),
      time_taken: 10,
    },
  });
  const res = await t.call("GET", "/api/progress/errors", { token });
  assert.equal(res.status, 200);
  assert.ok(res.body.data.total_errors >= 10);
  const top = res.body.data.patterns[0];
  assert.ok(top.count >= 1 && top.label && top.examples.length >= 1);
  assert.ok(res.body.data.practice_set.vocabulary.some((v: Json) => v.id === "es-hola"));
  assert.ok(res.body.data.practice_set.grammar_topics.length >= 1);
  assert.ok(res.body.data.patterns.some((p: Json) => p.grammar_topic));
  await t.close();
});

Deno.test("challenge mode enforces its deadline on the server and keeps a personal best", async () => {
  const t = await testApp();
  const { token } = await signUp(t);
  const start = await t.call("POST", "/api/quizzes/challenge", {
    token,
    body: { language: "fr", duration_seconds: 60 },
  });
  assert.equal(start.status, 201, JSON.stringify(start.body));
  walkForAnswers(start.body.data.questions);
  const run = await t.database.client.execute({
    sql: "SELECT questions FROM challenge_runs WHERE id = ?",
    args: [start.body.data.id],
  });
  const questions = JSON.parse(String(run.rows[0].questions));
  const id = start.body.data.id;
  const a1 = await t.call("POST", `/api/quizzes/challenge/${id}/answer`, {
    token,
    body: { question_id: questions[0].id, answer: questions[0].answer },
  });
  assert.equal(a1.body.data.correct, true);
  assert.equal(a1.body.data.score, 1);
  assert.equal(
    (await t.call("POST", `/api/quizzes/challenge/${id}/answer`, {
      token,
      body: { question_id: questions[0].id, answer: "x" },
    })).status,
    409,
    "answered already",
  );
  const a2 = await t.call("POST", `/api/quizzes/challenge/${id}/answer`, {
    token,
    body: { question_id: questions[1].id, answer: "definitely wrong" },
  });
  assert.equal(a2.body.data.correct, false);
  t.clock.advance(63_000);
  const late = await t.call("POST", `/api/quizzes/challenge/${id}/answer`, {
    token,
    body: { question_id: questions[2].id, answer: questions[2].answer },
  });
  assert.equal(late.status, 409);
  const result = await t.call("GET", `/api/quizzes/challenge/${id}`, { token });
  assert.equal(result.body.data.finished, true);
  assert.equal(result.body.data.correct, 1);
  assert.equal(result.body.data.personal_best, 1);
  assert.equal(
    (await t.call("POST", "/api/quizzes/challenge", {
      token,
      body: { language: "fr", duration_seconds: 5 },
    })).status,
    400,
  );
  assert.equal((await t.call("GET", "/api/quizzes/challenge/nope", { token })).status, 404);
  await t.close();
});

Deno.test("POST /api/writing/check reports issues in the learner's language", async () => {
  const t = await testApp();
  const { token } = await signUp(t, { native_language: "es" });
  const res = await t.call("POST", "/api/writing/check", {
    token,
    body: {
      language: "fr",
      text: "Je suis dans le maison avec mon chien.",
      expected_words: ["maison", "chat"],
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(
    res.body.data.issues.some((i: Json) =>
      i.type === "gender_article" && /femenino/.test(i.message)
    ),
  );
  assert.deepEqual(res.body.data.expected_words.map((e: Json) => e.found), [true, false]);
  assert.match(res.body.data.limitations, /No se revisa/);
  assert.equal(
    (await t.call("POST", "/api/writing/check", { token, body: { language: "fr", text: "" } }))
      .status,
    400,
  );
  assert.equal(
    (await t.call("POST", "/api/writing/check", { token, body: { language: "xx", text: "a" } }))
      .status,
    404,
  );
  assert.equal(
    (await t.call("POST", "/api/writing/check", { body: { language: "fr", text: "a" } })).status,
    401,
  );
  await t.close();
});
