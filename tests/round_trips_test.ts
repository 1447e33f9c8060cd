/**
 * Database round trips per request, counted by the client wrapper and reported
 * in `Server-Timing` (session lookup included). A round trip is one call to the
 * database: a single statement, or a whole batch of them in one transaction. On
 * Turso each one is a network hop, so reads make at most 3 and writes at most 4.
 *
 * Every operation in the OpenAPI document is exercised here, on its happy path
 * (a 2xx answer, and the expensive path where there is one: a practice with the
 * right answer, a quiz submitted with answers that get scored), unless a probe
 * says which refusal it expects. A new route fails this test until it is added
 * with its budget.
 */
import assert from "node:assert/strict";
import viewerPackage from "swagger-ui-dist/package.json" with { type: "json" };
import { toBase64, wavFile } from "./audio_fixtures.ts";
import { grantRole, type Json, recordEveryWord, signUp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";
import { rightAnswers } from "./quiz_keys.ts";

const READ = 3;
const WRITE = 4;

Deno.test({
  name: "every endpoint stays within its database round-trip budget",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const learner = await signUp(t);
    const friend = await signUp(t);
    const admin = await signUp(t);
    await grantRole(t, admin.user.id, "admin");
    const token = learner.token;
    const seen = new Map<string, number>();
    const call = async (
      op: string,
      budget: number,
      url: string,
      options: {
        token?: string;
        body?: unknown;
        headers?: Record<string, string>;
        /** A refusal this probe means to get, instead of a 2xx. */
        expect?: number;
      } = { token },
    ) => {
      const [method] = op.split(" ");
      const res = await t.call(method, url, options);
      const detail = `${op}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      if (options.expect) assert.equal(res.status, options.expect, detail);
      else assert.ok(res.status >= 200 && res.status < 300, detail);
      const trips = dbRoundTrips(res);
      assert.ok(
        trips <= budget,
        `${op} made ${trips} database round trips (budget ${budget}); status ${res.status}`,
      );
      seen.set(op, Math.max(seen.get(op) ?? 0, trips));
      return res;
    };
    const get = (op: string, url: string, options?: Parameters<typeof call>[3]) =>
      call(`GET ${op}`, READ, url, options);
    const write = (op: string, url: string, options: Parameters<typeof call>[3]) =>
      call(op, WRITE, url, options);

    // Accounts
    await write("POST /api/auth/register", "/api/auth/register", {
      body: {
        username: "rt_user",
        email: "rt@example.com",
        password: "correct horse battery",
        native_language: "en",
      },
    });
    const login = await write("POST /api/auth/login", "/api/auth/login", {
      body: { username: "rt_user", password: "correct horse battery" },
    });
    await get("/api/auth/user", "/api/auth/user");
    await write("PATCH /api/auth/user", "/api/auth/user", {
      token,
      body: { timezone: "Europe/Madrid" },
    });
    await get("/api/auth/user/export", "/api/auth/user/export");
    await get("/api/health", "/api/health");
    await get("/api/health/ready", "/api/health/ready");
    await get("/api/openapi.json", "/api/openapi.json");
    await get("/api/docs", "/api/docs");
    await get(
      "/api/docs/assets/{version}/{file}",
      `/api/docs/assets/${viewerPackage.version}/swagger-ui.css`,
    );

    // Curriculum
    await get("/api/languages", "/api/languages");
    await get("/api/courses", "/api/courses?language=es");
    await get("/api/courses/{id}", "/api/courses/es-a1");
    await write("POST /api/courses/{id}/enroll", "/api/courses/es-a1/enroll", { token });
    await get("/api/lessons", "/api/lessons");
    await write("GET /api/lessons/{id}", "/api/lessons/es-a1-01-greetings", { token }); // records the access
    await write("POST /api/lessons/{id}/complete", "/api/lessons/es-a1-01-greetings/complete", {
      token,
      body: { score: 90, time_spent: 60 },
    });
    await get("/api/grammar", "/api/grammar?language=es");
    await get("/api/grammar/{id}", "/api/grammar/es-articles-gender");
    const ex = (await t.database.client.execute(
      "SELECT id FROM grammar_exercises WHERE topic_id = 'es-articles-gender' LIMIT 1",
    )).rows[0].id;
    await write("POST /api/grammar/{id}/exercise", "/api/grammar/es-articles-gender/exercise", {
      token,
      body: { answers: [{ exercise_id: ex, answer: "la" }], time_spent: 20 },
    });

    // Vocabulary
    await get("/api/vocabulary", "/api/vocabulary?language=es&q=ho");
    await get("/api/vocabulary/review", "/api/vocabulary/review");
    await get("/api/vocabulary/stats", "/api/vocabulary/stats");
    await get("/api/vocabulary/model", "/api/vocabulary/model");
    // Too few reviews for a fit (400 are needed): the refusal reads the evidence in budget.
    await write("POST /api/vocabulary/model/refit", "/api/vocabulary/model/refit", {
      token,
      expect: 409,
    });
    const practice = await write(
      "POST /api/vocabulary/{id}/practice",
      "/api/vocabulary/es-hola/practice",
      { token, body: { user_answer: "hello", response_time: 1200 } },
    );
    assert.equal(practice.body.data.correct, true, "a right answer: scheduled, XP, awards");
    await get("/api/vocabulary/{id}/memory", "/api/vocabulary/es-hola/memory");
    await write(
      "POST /api/vocabulary/{id}/practice/undo",
      "/api/vocabulary/es-hola/practice/undo",
      { token },
    );

    // Quizzes and assessment
    await get("/api/quizzes", "/api/quizzes");
    await recordEveryWord(t, wavFile(0.2), "es"); // listening questions play these recordings
    /** Reads a quiz and submits every answer right: scored, XP, ability model, awards. */
    const passQuiz = async (quiz: string) => {
      const attempt = await get("/api/quizzes/{id}", `/api/quizzes/${quiz}`);
      const questions = attempt.body.data.questions;
      const listening = questions.find((q: Json) => q.type === "listening");
      if (listening) await get("/api/quizzes/{id}/audio/{token}", listening.audio_url);
      const keys = await rightAnswers(t.database.client, quiz);
      const submitted = await write(
        "POST /api/quizzes/{id}/submit",
        `/api/quizzes/${quiz}/submit`,
        {
          token,
          body: {
            attempt_token: attempt.body.data.attempt.token,
            answers: questions.map((q: Json) => ({
              question_id: q.id,
              answer: keys.get(q.id)!.answer,
            })),
            time_taken: 60,
          },
        },
      );
      assert.equal(submitted.body.data.percentage, 100, "every answer scored");
      return submitted.body.data;
    };
    await passQuiz("es-a1-vocabulary");
    const challenge = await write("POST /api/quizzes/challenge", "/api/quizzes/challenge", {
      token,
      body: { language: "es" },
    });
    await write(
      "POST /api/quizzes/challenge/{id}/answer",
      `/api/quizzes/challenge/${challenge.body.data.id}/answer`,
      {
        token,
        body: { question_id: challenge.body.data.questions[0].id, answer: "x" },
      },
    );
    await get("/api/quizzes/challenge/{id}", `/api/quizzes/challenge/${challenge.body.data.id}`);
    // The final assessment, passed with every answer right, issues a certificate.
    const passed = await passQuiz("es-a1-final");
    assert.ok(passed.certificate, JSON.stringify(passed).slice(0, 300));
    await get(
      "/api/certificates/{public_id}",
      `/api/certificates/${passed.certificate.public_id}`,
      {},
    );
    await write("POST /api/writing/check", "/api/writing/check", {
      token,
      body: { language: "es", text: "Yo es feliz en la casa." },
    });

    // Progress and gamification
    await get("/api/progress", "/api/progress");
    await get("/api/progress/analytics", "/api/progress/analytics?period=30");
    await get("/api/progress/errors", "/api/progress/errors");
    await get("/api/achievements", "/api/achievements?scope=friends");
    await write("POST /api/social/follow/{id}", `/api/social/follow/${friend.user.id}`, { token });
    await get("/api/social/users", `/api/social/users?q=${friend.user.username.slice(0, 4)}`);
    await get("/api/social/connections", "/api/social/connections");
    await get("/api/social/feed", "/api/social/feed");
    await write("POST /api/social/challenges", "/api/social/challenges", {
      token,
      body: { opponent_id: friend.user.id },
    });
    await get("/api/social/challenges", "/api/social/challenges");
    await write("DELETE /api/social/follow/{id}", `/api/social/follow/${friend.user.id}`, {
      token,
    });
    const goal = await write("POST /api/goals", "/api/goals", {
      token,
      body: { course_id: "es-a1", target_date: "2027-06-01" },
    });
    await get("/api/goals", "/api/goals");
    await write("DELETE /api/goals/{id}", `/api/goals/${goal.body.data.id}`, { token });

    // Pronunciation, audio, translation
    await get("/api/pronunciation/{word}", "/api/pronunciation/hola?language=es");
    await write("POST /api/pronunciation/check", "/api/pronunciation/check", {
      token,
      body: {
        audio_data: toBase64(wavFile(0.5)),
        target_word: "hola",
        language: "es",
        transcript: "ola",
      },
    });
    const upload = await write("POST /api/audio", "/api/audio", {
      token: admin.token,
      body: { audio_data: toBase64(wavFile(0.5)), vocabulary_id: "es-hola" },
    });
    await get("/api/audio/{id}", `/api/audio/${upload.body.data.id}`, {
      headers: { range: "bytes=0-99" },
    });
    await write("DELETE /api/audio/{id}", `/api/audio/${upload.body.data.id}`, {
      token: admin.token,
    });
    const list = await get("/api/translations", "/api/translations?language=es");
    await write("POST /api/translations/check", "/api/translations/check", {
      token,
      body: { exercise_id: list.body.data[0].id, user_translation: "Hola" },
    });

    // Adaptive learning
    await get("/api/learn/next", "/api/learn/next");
    await get("/api/learn/path", "/api/learn/path?course_id=es-a1");
    await get("/api/learn/practice", "/api/learn/practice?language=es");
    const placement = await write("POST /api/placement/start", "/api/placement/start", {
      token: friend.token,
      body: { language: "es" },
    });
    await write(
      "POST /api/placement/{id}/answer",
      `/api/placement/${placement.body.data.id}/answer`,
      {
        token: friend.token,
        body: { item_id: placement.body.data.current_item.item_id, answer: "x" },
      },
    );
    await get("/api/placement/{id}", `/api/placement/${placement.body.data.id}`, {
      token: friend.token,
    });

    // Authoring
    const editorToken = admin.token;
    const course = {
      language: "es",
      slug: "es-b1-rt",
      level: "B1",
      title: { en: "B1" },
      description: { en: "d" },
      objectives: [{ en: "a" }, { en: "b" }, { en: "c" }],
      estimated_hours: 10,
      prerequisite: null,
    };
    await write("POST /api/courses", "/api/courses", { token: editorToken, body: course });
    await write("PATCH /api/courses/{id}", "/api/courses/es-b1-rt", {
      token: editorToken,
      body: { estimated_hours: 12 },
    });
    await write("POST /api/courses/{id}/lessons", "/api/courses/es-b1-rt/lessons", {
      token: editorToken,
      body: {
        slug: "es-b1-rt-01",
        type: "conversation",
        title: { en: "t" },
        summary: { en: "s" },
        estimated_minutes: 10,
        content: { text: { en: "x" } },
        vocabulary: ["hola"],
        grammar_topics: [],
      },
    });
    await write("PATCH /api/lessons/{id}", "/api/lessons/es-b1-rt-01", {
      token: editorToken,
      body: { estimated_minutes: 12 },
    });
    await write("DELETE /api/lessons/{id}", "/api/lessons/es-b1-rt-01", { token: editorToken });
    await write("DELETE /api/courses/{id}", "/api/courses/es-b1-rt", { token: editorToken });
    const word = {
      language: "es",
      word: "biblioteca",
      translation: { en: "library" },
      part_of_speech: "noun",
      gender: "f",
      ipa: "bi.βljo.ˈte.ka",
      example: { text: "Voy a la biblioteca.", translation: { en: "I go to the library." } },
      level: "A2",
      category: "places",
    };
    const created = await write("POST /api/vocabulary", "/api/vocabulary", {
      token: editorToken,
      body: word,
    });
    await write("PATCH /api/vocabulary/{id}", `/api/vocabulary/${created.body.data.id}`, {
      token: editorToken,
      body: { category: "school" },
    });
    await write("DELETE /api/vocabulary/{id}", `/api/vocabulary/${created.body.data.id}`, {
      token: editorToken,
    });
    const topic = {
      language: "es",
      slug: "es-rt-topic",
      level: "A2",
      title: { en: "t" },
      summary: { en: "s" },
      explanation: { en: "e" },
      examples: [1, 2, 3].map((i) => ({
        text: `Ejemplo ${i}.`,
        translation: { en: `Example ${i}.` },
      })),
      exercises: [
        {
          id: "a",
          type: "fill_blank",
          instruction: { en: "i" },
          explanation: { en: "e" },
          question: "Yo ___ aquí.",
          answer: "estoy",
        },
        {
          id: "b",
          type: "conjugation",
          instruction: { en: "i" },
          explanation: { en: "e" },
          verb: "estar",
          person: "yo",
          tense: "presente",
          answer: "estoy",
        },
        {
          id: "c",
          type: "fill_blank",
          instruction: { en: "i" },
          explanation: { en: "e" },
          question: "Tú ___ aquí.",
          answer: "estás",
        },
        {
          id: "d",
          type: "fill_blank",
          instruction: { en: "i" },
          explanation: { en: "e" },
          question: "Él ___ aquí.",
          answer: "está",
        },
      ],
    };
    await write("POST /api/grammar", "/api/grammar", { token: editorToken, body: topic });
    await write("PATCH /api/grammar/{id}", "/api/grammar/es-rt-topic", {
      token: editorToken,
      body: { level: "B1" },
    });
    await write("PUT /api/grammar/{id}/exercises", "/api/grammar/es-rt-topic/exercises", {
      token: editorToken,
      body: { ...topic.exercises[0], id: "e" },
    });
    await write(
      "DELETE /api/grammar/{id}/exercises/{exerciseId}",
      "/api/grammar/es-rt-topic/exercises/e",
      {
        token: editorToken,
      },
    );
    await write("DELETE /api/grammar/{id}", "/api/grammar/es-rt-topic", { token: editorToken });
    await write("PUT /api/admin/users/{id}/role", `/api/admin/users/${friend.user.id}/role`, {
      token: admin.token,
      body: { role: "editor" },
    });
    // A small import: the Spanish file itself (unchanged, so nothing is written).
    const file = JSON.parse(
      await Deno.readTextFile(new URL("../content/es.json", import.meta.url)),
    );
    await write("POST /api/content/import", "/api/content/import", {
      token: admin.token,
      body: file,
    });
    await write("POST /api/auth/logout", "/api/auth/logout", { token: login.body.data.token });
    await write("DELETE /api/auth/user", "/api/auth/user", {
      token: friend.token,
      body: { password: friend.password },
    });

    // Every documented operation was exercised.
    const doc = (await t.call("GET", "/api/openapi.json")).body;
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of Object.keys(ops)) {
        const op = `${method.toUpperCase()} ${path}`;
        if (!seen.has(op)) missing.push(op);
      }
    }
    assert.deepEqual(missing, [], "operations without a round-trip check");
    await t.close();
  },
});
