import assert from "node:assert/strict";
import {
  m4aFile,
  mp3File,
  oggOpusFile,
  pngFile,
  toBase64,
  wavFile,
  webmFile,
} from "./audio_fixtures.ts";
import { grantRole, signUp, type TestApp, testApp } from "./helpers.ts";
import { dbRoundTrips } from "../http/logging.ts";

async function editor(t: TestApp) {
  const account = await signUp(t);
  await grantRole(t, account.user.id, "editor");
  return account.token;
}

function upload(t: TestApp, token: string, bytes: Uint8Array, extra: Record<string, string> = {}) {
  return t.call("POST", "/api/audio", { token, body: { audio_data: toBase64(bytes), ...extra } });
}

/** `app.request` for binary answers (t.call reads bodies as text). */
function raw(t: TestApp, path: string, headers: Record<string, string> = {}, method = "GET") {
  return t.app.request(path, { method, headers });
}

Deno.test("uploads are typed from their bytes, with durations from the headers", async () => {
  const t = await testApp();
  const token = await editor(t);
  const cases: [string, Uint8Array, string, number | null][] = [
    ["wav", wavFile(2), "audio/wav", 2000],
    ["ogg opus", oggOpusFile(2), "audio/ogg", 2000],
    ["mp3", mp3File(10), "audio/mpeg", 261], // 4170 bytes at 128 kbit/s
    ["mp3 without ID3", mp3File(10, false), "audio/mpeg", 261],
    ["webm", webmFile(), "audio/webm", null],
    ["m4a", m4aFile(1500), "audio/mp4", 1500],
  ];
  for (const [name, bytes, mime, duration] of cases) {
    const res = await upload(t, token, bytes);
    assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.data.mime_type, mime, name);
    assert.equal(res.body.data.duration_ms, duration, name);
    assert.equal(res.body.data.byte_length, bytes.length, name);
    assert.equal(res.headers.get("location"), res.body.data.url);
  }
  const ogg = await upload(t, token, oggOpusFile(1));
  assert.equal(ogg.body.data.codec, "opus");
  await t.close();
});

Deno.test("a multipart upload is sniffed too, whatever type the client claims", async () => {
  const t = await testApp();
  const token = await editor(t);
  const form = new FormData();
  form.append(
    "file",
    new File([wavFile(1) as Uint8Array<ArrayBuffer>], "x.png", { type: "image/png" }),
  );
  const res = await t.app.request("/api/audio", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.data.mime_type, "audio/wav");
  assert.equal(body.data.duration_ms, 1000);

  const image = new FormData();
  image.append(
    "file",
    new File([pngFile() as Uint8Array<ArrayBuffer>], "a.wav", { type: "audio/wav" }),
  );
  const refused = await t.app.request("/api/audio", {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: image,
  });
  assert.equal(refused.status, 415);
  assert.equal((await refused.json()).error.code, "UNSUPPORTED_MEDIA_TYPE");
  await t.close();
});

Deno.test("images, text, bad base64 and empty bodies are refused in the envelope", async () => {
  const t = await testApp();
  const token = await editor(t);
  const png = await upload(t, token, pngFile());
  assert.equal(png.status, 415);
  assert.equal(png.body.error.code, "UNSUPPORTED_MEDIA_TYPE");
  const text = await upload(t, token, new TextEncoder().encode("RIFF? no, just some text here"));
  assert.equal(text.status, 415);
  const bad = await t.call("POST", "/api/audio", {
    token,
    body: { audio_data: "%%%not base64%%%" },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "VALIDATION_ERROR");
  assert.equal(bad.body.error.details[0].field, "audio_data");
  const empty = await t.call("POST", "/api/audio", { token, body: { audio_data: "" } });
  assert.equal(empty.status, 400);
  const plain = await t.call("POST", "/api/audio", {
    token,
    body: "hello",
    headers: { "content-type": "text/plain" },
  });
  assert.equal(plain.status, 415);
  await t.close();
});

Deno.test("files over AUDIO_MAX_BYTES get 413; larger than the global body limit is fine", async () => {
  const small = await testApp({ AUDIO_MAX_BYTES: 4096 });
  const token = await editor(small);
  const over = await upload(small, token, wavFile(1)); // 16 044 bytes
  assert.equal(over.status, 413);
  assert.equal(over.body.error.code, "PAYLOAD_TOO_LARGE");
  const under = await upload(small, token, wavFile(0.2)); // 3 244 bytes
  assert.equal(under.status, 201);
  await small.close();

  const t = await testApp();
  const editorToken = await editor(t);
  // 2 MB of audio, 2.7 MB of JSON: over BODY_LIMIT_BYTES (1 MiB), under AUDIO_MAX_BYTES.
  const big = await upload(t, editorToken, wavFile(131, { sampleRate: 8000 }));
  assert.equal(big.status, 201, JSON.stringify(big.body));
  assert.ok(big.body.data.byte_length > 2_000_000);
  const huge = await upload(t, editorToken, wavFile(330, { sampleRate: 8000 })); // 5.3 MB
  assert.equal(huge.status, 413);
  // Other routes keep the global limit.
  const other = await t.call("POST", "/api/auth/login", {
    body: { username: "x", password: "y".repeat(1_100_000) },
  });
  assert.equal(other.status, 413);
  await t.close();
});

Deno.test("only editors and admins upload or delete", async () => {
  const t = await testApp();
  const anonymous = await t.call("POST", "/api/audio", {
    body: { audio_data: toBase64(wavFile(1)) },
  });
  assert.equal(anonymous.status, 401);
  const learner = await signUp(t);
  const forbidden = await upload(t, learner.token, wavFile(1));
  assert.equal(forbidden.status, 403);
  const token = await editor(t);
  const created = await upload(t, token, wavFile(1));
  const del = await t.call("DELETE", created.body.data.url, { token: learner.token });
  assert.equal(del.status, 403);
  await t.close();
});

Deno.test("an upload attached to a word replaces its synthesised audio until deleted", async () => {
  const t = await testApp();
  const token = await editor(t);
  const synthesised = (await t.call("GET", "/api/pronunciation/hola?language=es")).body.data
    .audio_url;
  assert.match(synthesised, /^\/api\/audio\//);
  const res = await upload(t, token, wavFile(1), {
    vocabulary_id: "es-hola",
    lesson_id: "es-a1-01-greetings",
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const url = res.body.data.url;
  assert.equal(res.body.data.vocabulary_id, "es-hola");
  assert.equal(res.body.data.lesson_id, "es-a1-01-greetings");

  const word = await t.call("GET", "/api/pronunciation/hola?language=es");
  assert.equal(word.body.data.audio_url, url);
  const learner = await signUp(t);
  await t.call("POST", "/api/courses/es-a1/enroll", { token: learner.token });
  const lesson = await t.call("GET", `/api/lessons/${res.body.data.lesson_id}`, {
    token: learner.token,
  });
  assert.equal(lesson.body.data.audio_url, url);

  const unknown = await upload(t, token, wavFile(1), { vocabulary_id: "es-no-such-word" });
  assert.equal(unknown.status, 404);

  assert.equal((await t.call("DELETE", url, { token })).status, 200);
  assert.equal((await raw(t, url)).status, 404);
  const after = await t.call("GET", "/api/pronunciation/hola?language=es");
  assert.equal(after.body.data.audio_url, synthesised);
  const again = await t.call("GET", `/api/lessons/${res.body.data.lesson_id}`, {
    token: learner.token,
  });
  assert.equal(again.body.data.audio_url, null);
  await t.close();
});

Deno.test("serving: type, strong ETag, immutable caching, 304 and HEAD", async () => {
  const t = await testApp();
  const token = await editor(t);
  const bytes = wavFile(1, { frequency: 440 });
  const { body } = await upload(t, token, bytes);
  const res = await raw(t, body.data.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "audio/wav");
  assert.equal(res.headers.get("etag"), `"${body.data.sha256}"`);
  assert.match(body.data.sha256, /^[0-9a-f]{64}$/);
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(res.headers.get("accept-ranges"), "bytes");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);

  const cached = await raw(t, body.data.url, { "if-none-match": `"${body.data.sha256}"` });
  assert.equal(cached.status, 304);
  assert.equal(await cached.text(), "");
  const stale = await raw(t, body.data.url, { "if-none-match": '"something-else"' });
  assert.equal(stale.status, 200);
  await stale.arrayBuffer();

  const head = await raw(t, body.data.url, {}, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), String(bytes.length));
  assert.equal(await head.text(), "");

  const missing = await t.call("GET", "/api/audio/nope");
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, "NOT_FOUND");
  await t.close();
});

Deno.test("byte ranges: a-b, a-, -n answer 206; past the end answers 416", async () => {
  const t = await testApp();
  const token = await editor(t);
  const bytes = wavFile(1, { frequency: 440 });
  const size = bytes.length;
  const { body } = await upload(t, token, bytes);
  const url = body.data.url;

  const first = await raw(t, url, { range: "bytes=0-99" });
  assert.equal(first.status, 206);
  assert.equal(first.headers.get("content-range"), `bytes 0-99/${size}`);
  assert.equal(first.headers.get("content-length"), "100");
  assert.equal(first.headers.get("accept-ranges"), "bytes");
  assert.deepEqual(new Uint8Array(await first.arrayBuffer()), bytes.slice(0, 100));
  assert.ok(dbRoundTrips(first) <= 3);

  const open = await raw(t, url, { range: "bytes=1000-" });
  assert.equal(open.status, 206);
  assert.equal(open.headers.get("content-range"), `bytes 1000-${size - 1}/${size}`);
  assert.deepEqual(new Uint8Array(await open.arrayBuffer()), bytes.slice(1000));

  const suffix = await raw(t, url, { range: "bytes=-50" });
  assert.equal(suffix.status, 206);
  assert.equal(suffix.headers.get("content-range"), `bytes ${size - 50}-${size - 1}/${size}`);
  assert.deepEqual(new Uint8Array(await suffix.arrayBuffer()), bytes.slice(size - 50));

  const clamped = await raw(t, url, { range: `bytes=10-${size + 500}` });
  assert.equal(clamped.status, 206);
  assert.equal(clamped.headers.get("content-range"), `bytes 10-${size - 1}/${size}`);
  await clamped.arrayBuffer();

  const past = await raw(t, url, { range: `bytes=${size}-` });
  assert.equal(past.status, 416);
  assert.equal(past.headers.get("content-range"), `bytes */${size}`);
  assert.equal((await past.json()).error.code, "RANGE_NOT_SATISFIABLE");

  // A range the server does not do (several at once) gets the whole file.
  const multi = await raw(t, url, { range: "bytes=0-1,5-6" });
  assert.equal(multi.status, 200);
  assert.equal((await multi.arrayBuffer()).byteLength, size);
  await t.close();
});

Deno.test("the upload and serving routes are in the OpenAPI document", async () => {
  const t = await testApp();
  const doc = await t.call("GET", "/api/openapi.json");
  const paths = doc.body.paths;
  assert.ok(paths["/api/audio"].post.requestBody);
  assert.ok(paths["/api/audio/{id}"].get);
  assert.ok(paths["/api/pronunciation/{word}"].get);
  assert.ok(paths["/api/pronunciation/check"].post.requestBody);
  assert.ok(paths["/api/translations"].get);
  assert.ok(paths["/api/translations/check"].post.requestBody);
  await t.close();
});
