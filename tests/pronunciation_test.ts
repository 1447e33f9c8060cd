import assert from "node:assert/strict";
import { pngFile, toBase64, wavFile } from "./audio_fixtures.ts";
import { signUp, type TestApp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";

const RECORDING = toBase64(wavFile(1));

function check(t: TestApp, token: string, body: Record<string, unknown>) {
  return t.call("POST", "/api/pronunciation/check", {
    token,
    body: { audio_data: RECORDING, ...body },
  });
}

async function speakingRows(t: TestApp, userId: string) {
  const rows = await t.database.client.execute({
    sql: "SELECT kind, skill, score, xp FROM activity_log WHERE user_id = ? ORDER BY id",
    args: [userId],
  });
  return rows.rows.map((r) => ({ ...r }));
}

Deno.test("a word's IPA, syllables with stress, respelling, examples and a TTS hint", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/pronunciation/hola?language=es");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const d = res.body.data;
  assert.equal(d.word, "hola");
  assert.equal(d.ipa, "ˈo.la");
  assert.deepEqual(d.syllables, [[
    { ipa: "o", stressed: true, stress: "primary" },
    { ipa: "la", stressed: false, stress: null },
  ]]);
  assert.equal(d.respelling, "OH-lah");
  assert.deepEqual(d.tts, { lang: "es-ES", text: "hola" });
  assert.equal(d.audio_url, null);
  assert.ok(d.examples[0].text.length > 0);
  assert.ok(d.examples[0].translation.length > 0);
  assert.equal(d.language.code, "es");
  await t.close();
});

Deno.test("tips are the word's sounds that are hard for the learner, hardest first", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/pronunciation/rojo?language=es");
  assert.equal(res.status, 200);
  const tips = res.body.data.tips as { ipa: string; difficulty: number; tip: string }[];
  const ipas = tips.map((s) => s.ipa);
  assert.ok(ipas.includes("r") && ipas.includes("x"), JSON.stringify(ipas));
  assert.ok(tips.every((s) => s.difficulty >= 2 && s.tip.length > 10));
  assert.deepEqual(
    tips.map((s) => s.difficulty),
    [...tips.map((s) => s.difficulty)].sort((a, b) => b - a),
  );
  // "θ" is familiar to English speakers (difficulty 1): no tip for "gracias"' θ.
  const gracias = await t.call("GET", "/api/pronunciation/gracias?language=es");
  assert.ok(!gracias.body.data.tips.some((s: { ipa: string }) => s.ipa === "θ"));
  await t.close();
});

Deno.test("the word in the path is Unicode, normalised to NFC and case-folded", async () => {
  const t = await testApp();
  const decomposed = encodeURIComponent("ADIO\u0301S"); // O + combining acute, upper case
  const res = await t.call("GET", `/api/pronunciation/${decomposed}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.data.word, "adiós");
  const ja = await t.call("GET", `/api/pronunciation/${encodeURIComponent("こんにちは")}`);
  assert.equal(ja.status, 200);
  assert.equal(ja.body.data.language.code, "ja");
  assert.equal(ja.body.data.tts.lang, "ja-JP");
  const romaji = await t.call("GET", "/api/pronunciation/Konnichiwa?language=ja");
  assert.equal(romaji.body.data.word, "こんにちは");
  await t.close();
});

Deno.test("an unknown word is a 404 with close known words", async () => {
  const t = await testApp();
  const res = await t.call("GET", "/api/pronunciation/holla?language=es");
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, "NOT_FOUND");
  assert.ok(res.body.error.suggestions.length <= 5);
  assert.equal(res.body.error.suggestions[0].word, "hola");
  const accentless = await t.call("GET", "/api/pronunciation/adios?language=es");
  assert.equal(accentless.status, 404);
  assert.equal(accentless.body.error.suggestions[0].word, "adiós");
  const language = await t.call("GET", "/api/pronunciation/hola?language=xx");
  assert.equal(language.status, 404);
  await t.close();
});

Deno.test("check: a transcript that matches scores 100, phonetically not by spelling", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    target_word: "hola",
    language: "es",
    transcript: "Hola",
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.data.recognized, true);
  assert.equal(res.body.data.score, 100);
  assert.equal(res.body.data.passed, true);
  assert.deepEqual(res.body.data.problems, []);
  assert.ok(dbRoundTrips(res) <= 4);
  // "ola" is how a recogniser may spell it: the h is silent, so it sounds the same.
  const silentH = await check(t, learner.token, { target_word: "hola", transcript: "ola" });
  assert.equal(silentH.body.data.score, 100);
  // b and v are one sound in Spanish.
  const bv = await check(t, learner.token, {
    target_word: "vaca",
    language: "es",
    transcript: "baca",
  });
  assert.equal(bv.status, 200);
  assert.equal(bv.body.data.score, 100);
  await t.close();
});

Deno.test("check: a transcript that does not match scores low and names the sounds", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    target_word: "rojo",
    language: "es",
    transcript: "rocco",
  });
  assert.equal(res.status, 200);
  const d = res.body.data;
  assert.ok(d.score < 80, `score ${d.score}`);
  assert.equal(d.passed, false);
  const jota = d.problems.find((p: { expected: string }) => p.expected === "x");
  assert.ok(jota, JSON.stringify(d.problems));
  assert.ok(jota.name, "the guide names the sound");
  assert.ok(d.feedback.includes(jota.name));
  await t.close();
});

Deno.test("check: without a transcript there is no invented score", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.recognized, false);
  assert.equal(res.body.data.score, null);
  assert.equal(res.body.data.passed, null);
  assert.match(res.body.data.feedback, /no speech recognition/i);
  const rows = await speakingRows(t, learner.user.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].kind, "pronunciation");
  assert.equal(rows[0].skill, "speaking");
  assert.equal(rows[0].score, null);
  assert.equal(rows[0].xp, 0);
  await t.close();
});

Deno.test("check: every attempt is logged as speaking activity", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  await check(t, learner.token, { target_word: "hola", language: "es", transcript: "hola" });
  await check(t, learner.token, { target_word: "hola", language: "es", transcript: "cola" });
  const rows = await speakingRows(t, learner.user.id);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].score, 100);
  assert.ok((rows[0].xp as number) > 0);
  assert.ok((rows[1].score as number) < 100);
  await t.close();
});

Deno.test("check: the recording is validated", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const anonymous = await t.call("POST", "/api/pronunciation/check", {
    body: { audio_data: RECORDING, target_word: "hola" },
  });
  assert.equal(anonymous.status, 401);
  const bad = await check(t, learner.token, { target_word: "hola", audio_data: "***" });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "VALIDATION_ERROR");
  const empty = await check(t, learner.token, { target_word: "hola", audio_data: "" });
  assert.equal(empty.status, 400);
  const image = await check(t, learner.token, {
    target_word: "hola",
    audio_data: toBase64(pngFile()),
  });
  assert.equal(image.status, 415);
  assert.equal(image.body.error.code, "UNSUPPORTED_MEDIA_TYPE");
  const long = await check(t, learner.token, {
    target_word: "hola",
    audio_data: toBase64(wavFile(16, { sampleRate: 4000 })),
  });
  assert.equal(long.status, 400);
  assert.match(long.body.error.message, /longer than 15 seconds/);
  const missing = await t.call("POST", "/api/pronunciation/check", {
    token: learner.token,
    body: { audio_data: RECORDING },
  });
  assert.equal(missing.status, 400);
  const noLetters = await check(t, learner.token, { target_word: "¡!", language: "es" });
  assert.equal(noLetters.status, 400);
  const unknown = await check(t, learner.token, { target_word: "zzzzqqq", transcript: "x" });
  assert.equal(unknown.status, 404);
  // Nothing was logged for refused attempts.
  assert.equal((await speakingRows(t, learner.user.id)).length, 0);
  await t.close();
});

Deno.test("check: Japanese kana and romaji transcripts are compared by sound", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const kana = await check(t, learner.token, {
    target_word: "こんにちは",
    language: "ja",
    transcript: "こんにちは",
  });
  assert.equal(kana.body.data.score, 100);
  const romaji = await check(t, learner.token, {
    target_word: "こんにちは",
    language: "ja",
    transcript: "konnichiwa",
  });
  assert.equal(romaji.body.data.score, 100);
  const off = await check(t, learner.token, {
    target_word: "こんにちは",
    language: "ja",
    transcript: "こんばんは",
  });
  assert.ok(off.body.data.score < 80);
  await t.close();
});
