import assert from "node:assert/strict";
import { Hono } from "hono";
import { parseRange } from "../domain/audio_format.ts";
import { ApiError } from "../http/errors.ts";
import { audioBytesResponse } from "../http/byte_ranges.ts";

const BYTES = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

const app = new Hono().get(
  "/",
  (c) =>
    audioBytesResponse(
      c,
      { meta: { byteLength: BYTES.length }, data: BYTES },
      parseRange(c.req.header("range")),
      {
        "Content-Type": "audio/wav",
      },
    ),
).onError((e, c) =>
  e instanceof ApiError
    ? c.json({ error: e.code }, e.status, e.headers)
    : c.json({ error: String(e) }, 500)
);

Deno.test("audioBytesResponse: the whole file, a part with Content-Range, or 416", async () => {
  const whole = await app.request("/");
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("content-length"), "10");
  assert.equal(whole.headers.get("content-type"), "audio/wav");
  assert.deepEqual(new Uint8Array(await whole.arrayBuffer()), BYTES);

  // The store hands back only the bytes asked for; the header names where they sit.
  const part = await new Hono().get(
    "/",
    (c) =>
      audioBytesResponse(c, { meta: { byteLength: 10 }, data: BYTES.subarray(2, 5) }, {
        start: 2,
        end: 4,
      }, {}),
  ).request("/");
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), "bytes 2-4/10");
  assert.equal(part.headers.get("content-length"), "3");

  const outside = await app.request("/", { headers: { range: "bytes=20-30" } });
  assert.equal(outside.status, 416);
  assert.equal(outside.headers.get("content-range"), "bytes */10");
});
