/**
 * Audio bytes as an HTTP answer: the whole file (200), or the part a `Range`
 * asked for (206 with `Content-Range`), or 416 when the range is outside the file.
 * Browsers' <audio> (Safari's above all) will not play without ranges.
 */
import type { Context } from "hono";
import { type RangeSpec, resolveRange } from "../domain/audio_format.ts";
import { ApiError } from "./errors.ts";

export function audioBytesResponse(
  c: Context,
  found: { meta: { byteLength: number }; data: Uint8Array },
  range: RangeSpec | null,
  headers: Record<string, string>,
): Response {
  const size = found.meta.byteLength;
  const body = found.data as Uint8Array<ArrayBuffer>;
  const sized = { ...headers, "Content-Length": String(found.data.length) };
  if (!range) return c.body(body, 200, sized);
  const part = resolveRange(range, size);
  if (part === "unsatisfiable") {
    throw new ApiError(
      "RANGE_NOT_SATISFIABLE",
      `The range is outside the file (${size} bytes)`,
      undefined,
      { "Content-Range": `bytes */${size}`, "Accept-Ranges": "bytes" },
    );
  }
  return c.body(body, 206, {
    ...sized,
    "Content-Range": `bytes ${part.start}-${part.end}/${size}`,
  });
}
