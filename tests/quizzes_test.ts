import assert from "node:assert/strict";
import { scoreQuestion, totalScore } from "../domain/quiz_scoring.ts";
import { checkWriting } from "../domain/writing_check.ts";
import { wavFile } from "./audio_fixtures.ts";
import { type Json, recordEveryWord, signUp, type TestApp, testApp } from "./helpers.ts";
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

/** Every string in a served question: `[path, text]`. */
function strings(value: Json, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}.${i}`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  }
  return [];
}

const norm = (s: string) =>
  ` ${
    s.normalize("NFC").toLowerCase().replace(/[\p{P}\p{S}]+/gu, " ").replace(/\s+/g, " ").trim()
  } `;

/** The texts a question's stored key accepts as (part of) its answer. */
function answerTexts(key: Json): string[] {
  switch (key.type) {
    case "multiple_choice":
      return key.correct;
    case "fill_blank":
      return key.blanks.flat();
    case "translation":
    case "listening":
    case "reorder":
      return key.accepted;
    default:
      return []; // true/false; matching pairs are the two columns it shows by design
  }
}

/**
 * Fails when a served question holds one of its answers by value: a string that
 * is an answer or contains it as a whole phrase. The lists a learner chooses
 * from (options, words to order, the two matching columns) hold the answer by
 * design and are skipped; so are ids and type names.
 */
function assertNoAnswerInside(question: Json, key: Json, where: string) {
  const answers = answerTexts(key).map(norm).filter((a) => a.trim());
  for (const [path, text] of strings(question)) {
    if (/^\.(id|type|options\.\d+|words\.\d+|left\.\d+|right\.\d+)$/.test(path)) continue;
    const found = answers.find((a) => norm(text).includes(a));
    assert.ok(!found, `${where} ${question.id}${path} = ${JSON.stringify(text)} holds ${found}`);
  }
}

const COURSES = ["es", "fr", "de", "it", "pt", "ja"].flatMap((l) => [`${l}-a1`, `${l}-a2`]);

Deno.test("no quiz of any course carries an answer by value, with or without recordings", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  // Enrolled everywhere at once (A2 courses otherwise wait for A1 or a placement test).
  await t.database.client.execute({
    sql:
      "INSERT INTO user_progress (user_id, course_id, enrolled_at, last_activity_at) SELECT ?, id, 0, 0 FROM courses",
    args: [learner.user.id],
  });
  const courses = (await t.database.client.execute("SELECT id FROM courses ORDER BY id")).rows
    .map((r) => String(r.id));
  assert.ok(courses.length >= COURSES.length);
  const keys = new Map(
    (await t.database.client.execute("SELECT id, answer FROM quiz_questions")).rows
      .map((r) => [String(r.id), JSON.parse(String(r.answer))]),
  );
  const served = new Set<string>();
  for (const recorded of [false, true]) {
    if (recorded) await recordEveryWord(t, wavFile(0.2));
    for (const course of courses) {
      for (const kind of ["vocabulary", "grammar", "final"]) {
        const r = await t.call("GET", `/api/quizzes/${course}-${kind}`, { token: learner.token });
        assert.equal(r.status, 200, `${course}-${kind}`);
        for (const q of r.body.data.questions) {
          served.add(q.type);
          assertNoAnswerInside(q, keys.get(q.id), `${course}-${kind}`);
          walkForAnswers(q);
        }
      }
    }
  }
  for (const type of ["multiple_choice", "translation", "true_false", "listening", "matching"]) {
    assert.ok(served.has(type), type);
  }
  await t.close();
});

Deno.test("listening questions play an opaque per-learner URL, and only words with a recording are asked by ear", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  // Every word has synthesised reference audio; take it away to see words without any.
  const seeded = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.ok(seeded.body.data.questions.some((q: Json) => q.type === "listening"));
  await t.database.client.execute("UPDATE vocabulary SET audio_id = NULL");
  const before = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.ok(!before.body.data.questions.some((q: Json) => q.type === "listening"));
  const wav = wavFile(0.3);
  await recordEveryWord(t, wav, "es");
  const after = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  const listening = after.body.data.questions.filter((q: Json) => q.type === "listening");
  assert.ok(listening.length >= 1);
  for (const q of listening) {
    assert.match(q.audio_url, /^\/api\/quizzes\/es-a1-vocabulary\/audio\/[A-Za-z0-9_-]{22}$/);
    assert.ok(!q.audio_url.includes("test-recording"), "not the word's own audio id");
    assert.equal(q.tts, undefined);
    const audio = await t.app.request(q.audio_url, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get("content-type"), "audio/wav");
    assert.equal(audio.headers.get("etag"), null, "the public file's hash would name the word");
    assert.deepEqual(new Uint8Array(await audio.arrayBuffer()), wav);
  }
  const part = await t.app.request(listening[0].audio_url, {
    headers: { authorization: `Bearer ${token}`, range: "bytes=0-1" },
  });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 0-1/${wav.length}`);
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), wav.subarray(0, 2));
  // Another learner's URL for the same question differs, and the first one is not theirs.
  const other = await enrolled(t);
  const theirs = (await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token: other.token }))
    .body.data.questions.find((q: Json) => q.id === listening[0].id);
  assert.notEqual(theirs.audio_url, listening[0].audio_url);
  assert.equal((await t.call("GET", listening[0].audio_url, { token: other.token })).status, 404);
  assert.equal((await t.call("GET", listening[0].audio_url)).status, 401);
  await t.close();
});

Deno.test("GET of a quiz is safe: any number of them, cross-site or not, uses no attempt", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  for (let i = 0; i < 5; i++) {
    // What a link on another site makes the browser send: the Lax session cookie, no Origin.
    const r = await t.call("GET", "/api/quizzes/es-a1-final", {
      headers: { cookie: `session=${token}`, "sec-fetch-site": "cross-site" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.data.attempt.attempt_number, 1);
    t.clock.advance(3600_000); // past every deadline: an opened attempt would now be spent
  }
  const final = (await t.call("GET", "/api/quizzes", { token })).body.data
    .find((q: Json) => q.id === "es-a1-final");
  assert.equal(final.attempts_used, 0);
  assert.equal(final.attempts_remaining, final.max_attempts);
  const rows = await t.database.client.execute("SELECT count(*) AS n FROM quiz_attempts");
  assert.equal(Number(rows.rows[0].n), 0);
  await t.close();
});

Deno.test("a cross-origin form POST cannot submit an attempt, even with the token in it", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const start = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  const attempt = start.body.data.attempt.token;
  const forms: Record<string, string>[] = [
    { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    { origin: "null", "content-type": "text/plain" },
    { "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
  ];
  for (const headers of forms) {
    const r = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
      headers: { ...headers, cookie: `session=${token}; quiz_attempt=${attempt}` },
      body: `attempt_token=${attempt}&time_taken=1`,
    });
    assert.equal(r.status, 403, JSON.stringify(headers));
  }
  const used = (await t.call("GET", "/api/quizzes", { token })).body.data
    .find((q: Json) => q.id === "es-a1-vocabulary").attempts_used;
  assert.equal(used, 0);
  await t.close();
});

/** A browser-like client: session and attempt cookies kept and sent by path, nothing else. */
function cookieClient(t: TestApp, session: string) {
  const jar = new Map<string, { value: string; path: string }>([["session", {
    value: session,
    path: "/",
  }]]);
  return async (method: string, path: string, body?: unknown) => {
    const cookie = [...jar].filter(([, c]) =>
      c.path === "/" || path === c.path || path.startsWith(`${c.path}/`)
    )
      .map(([name, c]) => `${name}=${c.value}`).join("; ");
    const res = await t.call(method, path, { body, headers: { cookie } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";").map((s) => s.trim());
      const [name, value] = pair.split("=");
      const cookiePath = attrs.find((a) => a.startsWith("Path="))?.slice(5) ?? "/";
      if (value) jar.set(name, { value, path: cookiePath });
      else jar.delete(name);
    }
    return res;
  };
}

Deno.test("a client that follows the spec (GET, submit, GET again, submit) works on cookies alone", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  const call = cookieClient(t, token);
  const first = await call("GET", "/api/quizzes/es-a1-vocabulary");
  assert.equal(first.status, 200);
  assert.equal(first.body.data.quiz.quiz_type, "vocabulary");
  assert.match(first.headers.get("set-cookie") ?? "", /HttpOnly/);
  assert.match(first.headers.get("set-cookie") ?? "", /SameSite=Strict/);
  t.clock.advance(60_000);
  const reload = await call("GET", "/api/quizzes/es-a1-vocabulary");
  assert.deepEqual(reload.body.data.questions, first.body.data.questions, "same order on reload");
  assert.equal(reload.body.data.attempt.deadline, first.body.data.attempt.deadline, "same clock");
  const one = await call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
    answers: [],
    time_taken: 60,
  });
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.equal(one.body.data.attempt_number, 1);
  assert.equal(one.body.data.time_taken_seconds, 60, "timed from the first GET, not the reload");
  const again = await call("GET", "/api/quizzes/es-a1-vocabulary");
  assert.equal(again.body.data.attempt.attempt_number, 2);
  assert.notDeepEqual(
    again.body.data.questions.map((q: Json) => q.id),
    first.body.data.questions.map((q: Json) => q.id),
    "a new order for a new attempt",
  );
  const two = await call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
    answers: [],
    time_taken: 5,
  });
  assert.equal(two.status, 200, JSON.stringify(two.body));
  assert.equal(two.body.data.attempt_number, 2);
  assert.equal(two.body.data.attempts_remaining, 1);
  await t.close();
});

Deno.test("orders differ between learners; tokens are bound to learner and quiz", async () => {
  const t = await testApp();
  const a = await enrolled(t);
  const b = await enrolled(t);
  const ga = await t.call("GET", "/api/quizzes/es-a1-final", { token: a.token });
  const gb = await t.call("GET", "/api/quizzes/es-a1-final", { token: b.token });
  const ids = (r: Json) => r.body.data.questions.map((q: Json) => q.id);
  assert.notDeepEqual(ids(ga), ids(gb));
  assert.deepEqual([...ids(ga)].sort(), [...ids(gb)].sort());
  const submit = (token: string, quiz: string, attempt_token: string) =>
    t.call("POST", `/api/quizzes/${quiz}/submit`, {
      token,
      body: { attempt_token, answers: [], time_taken: 1 },
    });
  const tokenA = ga.body.data.attempt.token;
  assert.equal((await submit(b.token, "es-a1-final", tokenA)).status, 400, "not b's token");
  assert.equal((await submit(a.token, "es-a1-grammar", tokenA)).status, 400, "not this quiz");
  const forged = tokenA.replace(/\.(\d+)\./, `.${Date.now() + 3600_000}.`);
  assert.equal((await submit(a.token, "es-a1-final", forged)).status, 400, "issue time is signed");
  assert.equal((await submit(a.token, "es-a1-final", tokenA)).status, 200);
  assert.equal((await submit(a.token, "es-a1-final", tokenA)).status, 409, "once");
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
      attempt_token: start.body.data.attempt.token,
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
    body: { attempt_token: start.body.data.attempt.token, answers: [], time_taken: 1 },
  });
  assert.equal(double.status, 409);
  assert.equal(double.body.error.reason, "already_submitted");

  const second = await t.call("GET", "/api/quizzes/es-a1-grammar", { token });
  assert.equal(second.status, 200);
  assert.equal(second.body.data.attempt.attempt_number, 2);
  assert.equal(second.body.data.quiz.quiz_type, "grammar");
  // Each correct_answer has the shape of an answer: sent back, it scores everything.
  const shown = new Map(f.results.map((r: Json) => [r.question_id, r.correct_answer]));
  const pass = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: {
      attempt_token: second.body.data.attempt.token,
      answers: second.body.data.questions.map((q: Json) => ({
        question_id: q.id,
        answer: shown.get(q.id),
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
      attempt_token: start.body.data.attempt.token,
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
  const attempt_token = start.body.data.attempt.token;
  for (const body of cases) {
    const res = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
      token,
      body: { attempt_token, ...body },
    });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.ok(res.body.error.details.length > 0);
  }
  t.clock.advance((start.body.data.quiz.time_limit_seconds + 11) * 1000);
  const late = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
    token,
    body: { attempt_token, answers: [], time_taken: 5 },
  });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.reason, "deadline_passed");
  // A reload after the deadline starts the clock again for the same attempt number.
  const restart = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
  assert.equal(restart.body.data.attempt.attempt_number, 1);
  const notStarted = await t.call("POST", "/api/quizzes/es-a1-grammar/submit", {
    token,
    body: { answers: [], time_taken: 5 },
  });
  assert.equal(notStarted.status, 409);
  await t.close();
});

Deno.test("the attempt limit counts submissions", async () => {
  const t = await testApp();
  const { token } = await enrolled(t);
  for (let i = 1; i <= 3; i++) {
    const r = await t.call("GET", "/api/quizzes/es-a1-vocabulary", { token });
    assert.equal(r.body.data.attempt.attempt_number, i);
    assert.equal(r.body.data.attempt.attempts_remaining, 3 - i);
    const s = await t.call("POST", "/api/quizzes/es-a1-vocabulary/submit", {
      token,
      body: { attempt_token: r.body.data.attempt.token, answers: [], time_taken: 5 },
    });
    assert.equal(s.status, 200);
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
      attempt_token: start.body.data.attempt.token,
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
      attempt_token: start.body.data.attempt.token,
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
