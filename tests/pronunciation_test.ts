import assert from "node:assert/strict";
import { fixture, pcmWav, pngFile, toBase64, tone, wavFile } from "./audio_fixtures.ts";
import { grantRole, signUp, type TestApp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";

/** "hola" said by another eSpeak voice, slower and lower than the models (WebM/Opus). */
const RECORDING = toBase64(fixture("hola_learner.webm"));
/** "perro" by the same voice: the wrong word for a "hola" check. */
const WRONG_WORD = toBase64(fixture("perro_learner.webm"));
const SILENCE = toBase64(wavFile(1));

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
  // Synthesised reference audio (tests/reference_audio_test.ts serves it).
  assert.match(d.audio_url, /^\/api\/audio\/[\w-]{16}$/);
  assert.match(d.examples[0].audio_url, /^\/api\/audio\/[\w-]{16}$/);
  assert.notEqual(d.examples[0].audio_url, d.audio_url);
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
  assert.equal(res.body.data.evidence.phonetic, 100);
  assert.equal(res.body.data.method, "acoustic+phonetic");
  assert.equal(res.body.data.passed, true);
  assert.deepEqual(res.body.data.problems, []);
  assert.ok(dbRoundTrips(res) <= 4);
  // "ola" is how a recogniser may spell it: the h is silent, so it sounds the same.
  const silentH = await check(t, learner.token, { target_word: "hola", transcript: "ola" });
  assert.equal(silentH.body.data.evidence.phonetic, 100);
  // b and v are one sound in Spanish.
  const bv = await check(t, learner.token, {
    target_word: "vaca",
    language: "es",
    transcript: "baca",
  });
  assert.equal(bv.status, 200);
  assert.equal(bv.body.data.evidence.phonetic, 100);
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

Deno.test("check: the recording alone is scored against the word's model", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const d = res.body.data;
  assert.equal(d.method, "acoustic");
  assert.equal(d.recognized, false);
  // The seeded clip when it is rendered, else the same voice synthesised now.
  assert.ok(["stored", "synthesized"].includes(d.evidence.reference));
  assert.equal(d.evidence.phonetic, null);
  assert.equal(d.score, d.evidence.acoustic);
  assert.ok(d.score >= 80, `hola scored ${d.score}`);
  assert.equal(d.passed, true);
  assert.ok(d.xp_earned > 0);
  assert.deepEqual(d.signal.issues, []);
  assert.equal(d.audio.codec, "opus");
  assert.ok(d.audio.duration_ms > 300 && d.audio.duration_ms < 2000);
  assert.ok(["o", "la"].includes(d.weakest_syllable.ipa), JSON.stringify(d.weakest_syllable));
  assert.equal(d.alignment.syllable_costs.length, 2);
  assert.ok(d.alignment.peak_at >= 0 && d.alignment.peak_at <= 1);

  // The wrong word scores far lower, fails, earns nothing, and says which part to work on.
  const wrong = await check(t, learner.token, {
    target_word: "hola",
    language: "es",
    audio_data: WRONG_WORD,
  });
  assert.equal(wrong.status, 200);
  assert.ok(wrong.body.data.score < d.score - 30, `perro for hola: ${wrong.body.data.score}`);
  assert.equal(wrong.body.data.passed, false);
  assert.equal(wrong.body.data.xp_earned, 0);
  assert.match(wrong.body.data.feedback, /syllable “(o|la)”/);
  // And "perro" is right for "perro".
  const perro = await check(t, learner.token, {
    target_word: "perro",
    language: "es",
    audio_data: WRONG_WORD,
  });
  assert.ok(perro.body.data.score >= 80, `perro scored ${perro.body.data.score}`);
  await t.close();
});

Deno.test("check: the word's stored audio is the model when it has one", async () => {
  const t = await testApp();
  const admin = await signUp(t);
  await grantRole(t, admin.user.id, "admin");
  const upload = await t.call("POST", "/api/audio", {
    token: admin.token,
    body: { audio_data: RECORDING, vocabulary_id: "es-hola" },
  });
  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  const learner = await signUp(t);
  const res = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.evidence.reference, "stored");
  // The same recording as the model: as close as it gets.
  assert.equal(res.body.data.evidence.acoustic, 100);
  // The file came with the word's lookup: no round trip of its own.
  assert.ok(dbRoundTrips(res) <= 3);
  // The model's features are cached: the next check does not read the file again
  // (garbled in place, it would no longer decode, and the model would be synthesised).
  await t.database.client.execute({
    sql: "UPDATE audio_assets SET data = zeroblob(byte_length) WHERE id = ?",
    args: [upload.body.data.id],
  });
  const again = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.equal(again.body.data.evidence.reference, "stored");
  assert.equal(again.body.data.evidence.acoustic, 100);
  assert.ok(dbRoundTrips(again) <= 3);
  await t.close();
});

Deno.test("check: no score and no XP for silence, whatever the transcript says", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const res = await check(t, learner.token, {
    target_word: "hola",
    language: "es",
    transcript: "hola",
    audio_data: SILENCE,
  });
  assert.equal(res.status, 200);
  const d = res.body.data;
  assert.equal(d.score, null);
  assert.equal(d.method, null);
  assert.equal(d.passed, null);
  assert.equal(d.xp_earned, 0);
  assert.equal(d.signal.scoreable, false);
  assert.deepEqual(d.signal.issues.map((i: { code: string }) => i.code), ["silence"]);
  assert.match(d.feedback, /silent/);
  const rows = await speakingRows(t, learner.user.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].kind, "pronunciation");
  assert.equal(rows[0].skill, "speaking");
  assert.equal(rows[0].score, null);
  assert.equal(rows[0].xp, 0);
  // A tone far too short for the word's syllables is not scored either.
  const blip = await check(t, learner.token, {
    target_word: "buenos días",
    language: "es",
    audio_data: toBase64(pcmWav([
      Float32Array.from([...new Float32Array(8000), ...tone(0.06, 300), ...new Float32Array(8000)]),
    ], { rate: 16000, bits: 16 })),
  });
  assert.equal(blip.body.data.score, null);
  assert.deepEqual(blip.body.data.signal.issues.map((i: { code: string }) => i.code), [
    "too_short",
  ]);
  await t.close();
});

Deno.test("check: audio that cannot be decoded is 400 or 415 with the reason", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const ogg = fixture("gracias.ogg");
  const cases = [
    [ogg.subarray(0, ogg.length - 300), 400, "truncated"],
    [fixture("gracias.m4a"), 415, "unsupported_codec"],
    [fixture("gracias_vorbis.ogg"), 415, "unsupported_codec"],
    [pcmWav([tone(0.5, 440, { rate: 96000 })], { rate: 96000, bits: 16 }), 400, "sample_rate"],
  ] as const;
  for (const [bytes, status, reason] of cases) {
    const res = await check(t, learner.token, {
      target_word: "hola",
      language: "es",
      audio_data: toBase64(bytes),
    });
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error.reason, reason);
    assert.equal(res.body.error.details[0].field, "audio_data");
  }
  assert.equal((await speakingRows(t, learner.user.id)).length, 0);
  await t.close();
});

Deno.test("check: every attempt is logged as speaking activity", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const good = await check(t, learner.token, {
    target_word: "hola",
    language: "es",
    transcript: "hola",
  });
  await check(t, learner.token, {
    target_word: "hola",
    language: "es",
    transcript: "cola",
    audio_data: WRONG_WORD,
  });
  const rows = await speakingRows(t, learner.user.id);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].score, good.body.data.score);
  assert.ok((rows[0].xp as number) > 0);
  assert.ok((rows[1].score as number) < (rows[0].score as number));
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
  assert.equal(kana.body.data.evidence.phonetic, 100);
  const romaji = await check(t, learner.token, {
    target_word: "こんにちは",
    language: "ja",
    transcript: "konnichiwa",
  });
  assert.equal(romaji.body.data.evidence.phonetic, 100);
  const off = await check(t, learner.token, {
    target_word: "こんにちは",
    language: "ja",
    transcript: "こんばんは",
  });
  assert.ok(off.body.data.evidence.phonetic < 80);
  await t.close();
});

Deno.test("check: a short word outside the list is modelled by synthesis, a long one is not", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  // "ola" (a wave) is not in the word list; it sounds like "hola".
  const short = await check(t, learner.token, { target_word: "ola", language: "es" });
  assert.equal(short.status, 200);
  assert.equal(short.body.data.vocabulary_id, null);
  assert.equal(short.body.data.method, "acoustic");
  assert.equal(short.body.data.evidence.reference, "synthesized");
  assert.ok(short.body.data.score >= 80, `ola scored ${short.body.data.score}`);
  const long = await check(t, learner.token, {
    target_word: "holaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    language: "es",
    transcript: "hola",
  });
  assert.equal(long.status, 200);
  assert.equal(long.body.data.method, "phonetic");
  assert.equal(long.body.data.evidence.acoustic, null);
  await t.close();
});

Deno.test("check: a word pays its XP once a day, however often it is said well", async () => {
  const t = await testApp();
  const learner = await signUp(t);
  const first = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.ok(first.body.data.xp_earned > 0, JSON.stringify(first.body.data));
  assert.ok(dbRoundTrips(first) <= 4);
  const again = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.equal(again.body.data.score, first.body.data.score);
  assert.equal(again.body.data.xp_earned, 0);
  const rows = await speakingRows(t, learner.user.id);
  assert.deepEqual(rows.map((r) => r.xp), [first.body.data.xp_earned, 0]);
  // Another word still pays.
  const other = await check(t, learner.token, {
    target_word: "perro",
    language: "es",
    audio_data: WRONG_WORD,
  });
  assert.ok(other.body.data.xp_earned > 0);
  // The next day the word pays again.
  t.clock.advance(24 * 3600 * 1000);
  const tomorrow = await check(t, learner.token, { target_word: "hola", language: "es" });
  assert.ok(tomorrow.body.data.xp_earned > 0);
  await t.close();
});
