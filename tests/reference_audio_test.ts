/**
 * Synthesised reference audio: every word and example sentence of the six
 * languages gets an opaque audio URL at seed, rendered in bulk by the seed
 * task or on its first request, and served like an upload.
 */
import assert from "node:assert/strict";
import { sniffAudio } from "../domain/audio_format.ts";
import { dbRoundTrips } from "../http/logging.ts";
import { assignReferenceAudio, renderPendingClips } from "../db/speech_clips.ts";
import { referenceKey } from "../platform/reference_audio.ts";
import { readAllContent } from "../db/content_files.ts";
import { seedContent } from "../seed.ts";
import { toBase64, wavFile } from "./audio_fixtures.ts";
import { grantRole, type Json, signUp, type TestApp, testApp } from "./helpers.ts";

const LANGUAGES = ["de", "es", "fr", "it", "ja", "pt"];
const AUDIO_URL = /^\/api\/audio\/([\w-]{16})$/;

async function rows(t: TestApp, sql: string, args: (string | number)[] = []) {
  return (await t.database.client.execute({ sql, args })).rows;
}

async function fetchAudio(t: TestApp, url: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(url, { headers });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function editor(t: TestApp) {
  const account = await signUp(t);
  await grantRole(t, account.user.id, "editor");
  return account.token;
}

Deno.test("after seeding, every word and example of the six languages has its own clip", async () => {
  const t = await testApp();
  const perLanguage = await rows(
    t,
    `SELECT language_id AS lang, count(*) AS words,
       sum(audio_id IS NOT NULL AND audio_id = speech_audio_id) AS word_audio,
       sum(example_audio_id IS NOT NULL) AS example_audio,
       sum(speech_audio_id IN (SELECT id FROM speech_clips)) AS word_clip,
       sum(example_audio_id IN (SELECT id FROM speech_clips)) AS example_clip
     FROM vocabulary GROUP BY language_id ORDER BY language_id`,
  );
  assert.deepEqual(perLanguage.map((r) => r.lang), LANGUAGES);
  for (const r of perLanguage) {
    assert.ok(Number(r.words) > 100, `${r.lang}: ${r.words} words`);
    for (const column of ["word_audio", "example_audio", "word_clip", "example_clip"]) {
      assert.equal(Number(r[column]), Number(r.words), `${r.lang}: ${column}`);
    }
  }
  // Clips are voiced per language, Japanese from kana (no kanji reaches eSpeak).
  const voices = await rows(t, "SELECT DISTINCT voice FROM speech_clips ORDER BY voice");
  assert.deepEqual(voices.map((v) => v.voice), ["de", "es", "fr", "it", "ja", "pt"]);
  const kanji = await rows(
    t,
    "SELECT count(*) AS n FROM speech_clips WHERE voice = 'ja' AND text GLOB '*[一-龯]*'",
  );
  assert.equal(Number(kanji[0].n), 0);
  await t.close();
});

Deno.test("a sample of words and examples per language is served as MP3 on first request", async () => {
  const t = await testApp();
  for (const language of LANGUAGES) {
    const list = await t.call("GET", `/api/vocabulary?language=${language}&limit=100`);
    assert.equal(list.status, 200);
    const words = list.body.data as Json[];
    assert.ok(words.length >= 20);
    // First, middle and last of the page: a spread, not just the easy start.
    for (const w of [words[0], words[Math.floor(words.length / 2)], words.at(-1)]) {
      for (const url of [w.audio_url, w.example.audio_url]) {
        assert.match(url, AUDIO_URL, `${language} ${w.word}`);
        const { res, bytes } = await fetchAudio(t, url);
        assert.equal(res.status, 200, `${language} ${w.word} ${url}`);
        assert.equal(res.headers.get("content-type"), "audio/mpeg");
        assert.match(res.headers.get("etag") ?? "", /^"[0-9a-f]{64}"$/);
        const info = sniffAudio(bytes);
        assert.equal(info?.format, "mp3");
        assert.ok(info!.durationMs! > 150 && info!.durationMs! < 15_000, `${info!.durationMs} ms`);
      }
      assert.notEqual(w.audio_url, w.example.audio_url);
    }
  }
  await t.close();
});

Deno.test("a clip renders once: later requests read the stored file (ETag, 304, ranges)", async () => {
  const t = await testApp();
  const word = (await t.call("GET", "/api/pronunciation/gracias?language=es")).body.data;
  // The very first request is a range: it is answered from the fresh rendering.
  const first = await fetchAudio(t, word.audio_url, { range: "bytes=0-99" });
  assert.equal(first.res.status, 206);
  assert.ok(dbRoundTrips(first.res) <= 3, `${dbRoundTrips(first.res)} statements`);
  const size = Number(first.res.headers.get("content-range")!.split("/")[1]);
  assert.equal(first.bytes.length, 100);
  const whole = await fetchAudio(t, word.audio_url);
  assert.equal(whole.res.status, 200);
  assert.equal(whole.bytes.length, size);
  assert.deepEqual(whole.bytes.slice(0, 100), first.bytes);
  assert.equal(whole.res.headers.get("etag"), first.res.headers.get("etag"));
  const cached = await fetchAudio(t, word.audio_url, {
    "if-none-match": whole.res.headers.get("etag")!,
  });
  assert.equal(cached.res.status, 304);
  const stored = await rows(t, "SELECT count(*) AS n FROM audio_assets WHERE id = ?", [
    AUDIO_URL.exec(word.audio_url)![1],
  ]);
  assert.equal(Number(stored[0].n), 1);
  // Concurrent first requests for another clip synthesise it once.
  const racing = await Promise.all([1, 2, 3].map(() => fetchAudio(t, word.examples[0].audio_url)));
  assert.ok(racing.every((r) => r.res.status === 200));
  assert.equal(new Set(racing.map((r) => r.res.headers.get("etag"))).size, 1);
  // Still unknown ids are 404, not a synthesis attempt.
  assert.equal((await fetchAudio(t, "/api/audio/AAAAAAAAAAAAAAAA")).res.status, 404);
  await t.close();
});

Deno.test("audio ids are random, not the content key, which no response carries", async () => {
  const t = await testApp();
  const clips = await rows(
    t,
    "SELECT id, content_hash, voice, text FROM speech_clips WHERE voice = 'es' LIMIT 50",
  );
  for (const clip of clips) {
    assert.equal(clip.content_hash, referenceKey(String(clip.text), String(clip.voice)));
    assert.notEqual(clip.id, clip.content_hash);
    assert.ok(!String(clip.content_hash).includes(String(clip.id)));
  }
  const res = await t.call("GET", "/api/vocabulary?language=es&limit=100");
  const body = JSON.stringify(res.body);
  for (const clip of clips) assert.ok(!body.includes(String(clip.content_hash)));
  // The same text and voice assigned afresh (another database) get another id.
  const [mine] = await rows(t, "SELECT speech_audio_id AS id FROM vocabulary WHERE id = 'es-hola'");
  await t.database.client.batch([
    "DELETE FROM speech_clips",
    "UPDATE vocabulary SET audio_id = NULL, speech_audio_id = NULL, example_audio_id = NULL",
  ]);
  assert.ok(await assignReferenceAudio(t.database.db) > 800);
  const [again] = await rows(
    t,
    "SELECT speech_audio_id AS id FROM vocabulary WHERE id = 'es-hola'",
  );
  assert.match(String(again.id), /^[\w-]{16}$/);
  assert.notEqual(again.id, mine.id);
  await t.close();
});

Deno.test("a reseed keeps every clip and id, and an editor's recording wins", async () => {
  const t = await testApp();
  const token = await editor(t);
  const before = await rows(
    t,
    "SELECT id, audio_id, example_audio_id FROM vocabulary ORDER BY id",
  );
  const uploaded = await t.call("POST", "/api/audio", {
    token,
    body: { audio_data: toBase64(wavFile(1)), vocabulary_id: "es-hola" },
  });
  assert.equal(uploaded.status, 201);
  const clipCount = await rows(t, "SELECT count(*) AS n FROM speech_clips");

  const report = await seedContent(t.database.db);
  assert.deepEqual(report.written, []);
  assert.equal(await assignReferenceAudio(t.database.db), 0);
  assert.deepEqual(await rows(t, "SELECT count(*) AS n FROM speech_clips"), clipCount);
  const after = await rows(t, "SELECT id, audio_id, example_audio_id FROM vocabulary ORDER BY id");
  for (const [i, row] of after.entries()) {
    if (row.id === "es-hola") assert.equal(row.audio_id, uploaded.body.data.id);
    else assert.deepEqual(row, before[i]);
  }
  // Even when the word's text changes, the editor's recording stays.
  await t.database.client.execute(
    "UPDATE vocabulary SET example = json_set(example, '$.text', 'Hola, amigos.') WHERE id = 'es-hola'",
  );
  assert.equal(await assignReferenceAudio(t.database.db, ["es-hola"]), 1);
  const [hola] = await rows(
    t,
    "SELECT audio_id, example_audio_id FROM vocabulary WHERE id = 'es-hola'",
  );
  assert.equal(hola.audio_id, uploaded.body.data.id);
  assert.notEqual(hola.example_audio_id, before.find((r) => r.id === "es-hola")!.example_audio_id);
  await t.close();
});

Deno.test("words created or edited by an editor get their audio at once", async () => {
  const t = await testApp();
  const token = await editor(t);
  const created = await t.call("POST", "/api/vocabulary", {
    token,
    body: {
      language: "es",
      word: "murciélago",
      translation: { en: "bat", es: "murciélago" },
      part_of_speech: "noun",
      gender: "m",
      ipa: "muɾˈθje.la.ɣo",
      example: {
        text: "El murciélago vuela de noche.",
        translation: { en: "The bat flies at night." },
      },
      level: "B1",
      category: "animals",
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.id;
  const view = (await t.call("GET", `/api/pronunciation/murciélago?language=es`)).body.data;
  assert.match(view.audio_url, AUDIO_URL);
  assert.match(view.examples[0].audio_url, AUDIO_URL);
  const spoken = await fetchAudio(t, view.examples[0].audio_url);
  assert.equal(spoken.res.status, 200);
  assert.equal(spoken.res.headers.get("content-type"), "audio/mpeg");

  const patched = await t.call("PATCH", `/api/vocabulary/${id}`, {
    token,
    body: { example: { text: "Vi un murciélago.", translation: { en: "I saw a bat." } } },
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.ok(dbRoundTrips(patched) <= 4, `${dbRoundTrips(patched)} statements`);
  const edited = (await t.call("GET", `/api/pronunciation/murciélago?language=es`)).body.data;
  assert.equal(edited.audio_url, view.audio_url);
  assert.notEqual(edited.examples[0].audio_url, view.examples[0].audio_url);
  assert.match(edited.examples[0].audio_url, AUDIO_URL);
  await t.close();
});

Deno.test("the seed task's bulk rendering stores pending clips once", async () => {
  const t = await testApp();
  // Keep two words' clips so the run is short; the full run is bench/audio_seed.ts.
  await t.database.client.execute(
    `DELETE FROM speech_clips WHERE id NOT IN (SELECT speech_audio_id FROM vocabulary
       WHERE id IN ('es-hola', 'ja-arigato') UNION SELECT example_audio_id FROM vocabulary
       WHERE id IN ('es-hola', 'ja-arigato'))`,
  );
  const first = await renderPendingClips(t.database.db);
  assert.equal(first.rendered, 4);
  assert.ok(first.bytes > 1000 && first.audioMs > 1000, JSON.stringify(first));
  const stored = await rows(
    t,
    `SELECT a.mime_type, a.byte_length, a.duration_ms FROM audio_assets a
       JOIN speech_clips c ON c.id = a.id`,
  );
  assert.equal(stored.length, 4);
  assert.ok(stored.every((r) => r.mime_type === "audio/mpeg" && Number(r.byte_length) > 500));
  assert.equal((await renderPendingClips(t.database.db)).rendered, 0);
  await t.close();
});

Deno.test("every lesson and grammar example sentence has a clip, served from the views", async () => {
  const t = await testApp();
  const owners = await rows(
    t,
    `SELECT l.id AS id, json_extract(l.content, '$.examples') AS examples, l.example_audio AS map
     FROM lessons l UNION ALL
     SELECT g.id, g.examples, g.example_audio FROM grammar_topics g`,
  );
  const clipIds = new Set((await rows(t, "SELECT id FROM speech_clips")).map((r) => r.id));
  let sentences = 0;
  for (const owner of owners) {
    const map = JSON.parse(String(owner.map));
    for (const e of JSON.parse(String(owner.examples ?? "[]")) as { text: string }[]) {
      assert.ok(clipIds.has(map[e.text]), `${owner.id}: ${e.text}`);
      sentences++;
    }
  }
  assert.ok(sentences > 400, `${sentences} sentences`);

  const topic = await t.call("GET", "/api/grammar/es-articles-gender");
  const learner = await signUp(t);
  await t.call("POST", "/api/courses/ja-a1/enroll", { token: learner.token });
  const lessonId = (await rows(
    t,
    "SELECT id FROM lessons WHERE course_id = 'ja-a1' ORDER BY position LIMIT 1",
  ))[0].id;
  const lesson = await t.call("GET", `/api/lessons/${lessonId}`, { token: learner.token });
  assert.equal(lesson.status, 200, JSON.stringify(lesson.body));
  const examples = [...topic.body.data.examples, ...lesson.body.data.content.examples];
  assert.ok(lesson.body.data.content.examples.length > 0);
  for (const e of examples) {
    assert.match(e.audio_url, AUDIO_URL, e.text);
    const { res } = await fetchAudio(t, e.audio_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "audio/mpeg");
  }
  await t.close();
});

Deno.test("examples an editor writes into a lesson or topic get audio in the same request", async () => {
  const t = await testApp();
  const token = await editor(t);
  const examples = ["Hace mucho calor hoy.", "La casa es roja.", "El perro duerme."]
    .map((text) => ({ text, translation: { en: "-" } }));
  const patched = await t.call("PATCH", "/api/grammar/es-articles-gender", {
    token,
    body: { examples },
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.ok(dbRoundTrips(patched) <= 4);
  const topic = (await t.call("GET", "/api/grammar/es-articles-gender")).body.data;
  assert.equal(topic.examples.length, 3);
  for (const e of topic.examples) assert.match(e.audio_url, AUDIO_URL);
  assert.equal(new Set(topic.examples.map((e: Json) => e.audio_url)).size, 3);
  assert.equal((await fetchAudio(t, topic.examples[0].audio_url)).res.status, 200);

  const lessonId = (await rows(
    t,
    "SELECT id FROM lessons WHERE course_id = 'es-a1' ORDER BY position LIMIT 1",
  ))[0].id;
  const lessonPatch = await t.call("PATCH", `/api/lessons/${lessonId}`, {
    token,
    body: { content: { text: { en: "x" }, examples } },
  });
  assert.equal(lessonPatch.status, 200, JSON.stringify(lessonPatch.body));
  const learner = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token: learner.token });
  const lesson = (await t.call("GET", `/api/lessons/${lessonId}`, { token: learner.token })).body
    .data;
  // The same sentence and voice share one clip.
  assert.equal(lesson.content.examples[0].audio_url, topic.examples[0].audio_url);
  await t.close();
});

Deno.test("an imported content file gets audio for its new words and sentences in its batch", async () => {
  const t = await testApp();
  const token = await editor(t);
  const content = (await readAllContent()).find((c) => c.language.code === "it")!;
  const changed = structuredClone(content) as Json;
  changed.vocabulary.push({
    ...changed.vocabulary[0],
    word: "pipistrello",
    alternatives: {},
    example: {
      text: "Il pipistrello vola di notte.",
      translation: { en: "The bat flies.", es: "El murciélago vuela." },
    },
  });
  changed.courses[0].lessons[0].vocabulary.push("pipistrello");
  changed.grammar[0].examples[0].text = "Questa frase è nuova.";
  const imported = await t.call("POST", "/api/content/import", { token, body: changed });
  assert.equal(imported.status, 201, JSON.stringify(imported.body).slice(0, 500));
  const word = (await t.call("GET", "/api/pronunciation/pipistrello?language=it")).body.data;
  assert.match(word.audio_url, AUDIO_URL);
  assert.match(word.examples[0].audio_url, AUDIO_URL);
  const topic = (await t.call("GET", `/api/grammar/${changed.grammar[0].slug}`)).body.data;
  const fresh = topic.examples.find((e: Json) => e.text === "Questa frase è nuova.");
  assert.match(fresh.audio_url, AUDIO_URL);
  const { res } = await fetchAudio(t, fresh.audio_url);
  assert.equal(res.status, 200);
  await t.close();
});
