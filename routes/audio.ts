/**
 * `/api/audio`: uploading recordings (editor or admin) and serving them so a
 * browser `<audio>` element can play and seek: the sniffed `Content-Type`, a
 * strong `ETag`, year-long immutable caching, `If-None-Match` (304) and byte
 * ranges (206/416).
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { attachAudio, findAudioTargets } from "../db/audio_store.ts";
import { audioStoreFor } from "../db/speech_clips.ts";
import { decodeBase64Audio, parseRange, sniffAudio } from "../domain/audio_format.ts";
import { audioUrl } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { describe, DOC, type RouteDoc } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { requireRole } from "../http/session.ts";
import { fieldProblems, validate } from "../http/validate.ts";
import { audioBytesResponse } from "../http/byte_ranges.ts";
import { randomId, sha256Hex } from "../platform/tokens.ts";

const Target = {
  vocabulary_id: IdParam.shape.id.optional(),
  lesson_id: IdParam.shape.id.optional(),
};

const JsonUpload = z.object({
  /** The file, base64 (standard or URL-safe; a `data:` URL prefix is accepted). */
  audio_data: z.string().min(1, "Send the audio as base64"),
  ...Target,
}).strict();

const FormUpload = z.object({
  file: z.instanceof(File, { message: "Attach the audio as a file field named file" }),
  ...Target,
}).strict();

type Upload = { bytes: Uint8Array | null; vocabulary_id?: string; lesson_id?: string };
type AudioEnv = AppEnv & { Variables: AppEnv["Variables"] & { upload: Upload } };

/**
 * Reads the upload as multipart (`file`) or JSON (`audio_data`), validated with
 * zod like every other body. (Not `validate()`: it takes one content type.)
 */
function uploadBody(): MiddlewareHandler<AudioEnv> {
  const middleware: MiddlewareHandler<AudioEnv> = async (
    c,
    next,
  ) => {
    const type = c.req.header("content-type") ?? "";
    if (/^multipart\/form-data/i.test(type)) {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        throw badRequest("Form data could not be read");
      }
      const parsed = FormUpload.safeParse(form);
      if (!parsed.success) {
        throw badRequest("Form data is invalid", fieldProblems(parsed.error.issues, "form"));
      }
      const { file, ...target } = parsed.data;
      c.set("upload", { bytes: new Uint8Array(await file.arrayBuffer()), ...target });
    } else if (/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
      let json: unknown;
      try {
        json = await c.req.json();
      } catch {
        throw badRequest("Request body is not valid JSON");
      }
      const parsed = JsonUpload.safeParse(json);
      if (!parsed.success) {
        throw badRequest("Request body is invalid", fieldProblems(parsed.error.issues));
      }
      const { audio_data, ...target } = parsed.data;
      const bytes = decodeBase64Audio(audio_data);
      if (!bytes) {
        throw badRequest("audio_data is not valid base64", [
          { field: "audio_data", message: "Not valid base64" },
        ]);
      }
      c.set("upload", { bytes, ...target });
    } else {
      throw new ApiError(
        "UNSUPPORTED_MEDIA_TYPE",
        "Send the audio as multipart/form-data (field file) or as JSON with audio_data in base64",
      );
    }
    await next();
  };
  const doc: RouteDoc = {
    validators: [{ target: "form", schema: FormUpload }, { target: "json", schema: JsonUpload }],
  };
  return Object.assign(middleware, { [DOC]: doc });
}

/**
 * The upload route's own body limit: the global one (BODY_LIMIT_BYTES) skips
 * this path (see app.ts), and this one allows a file of AUDIO_MAX_BYTES as
 * base64 (4/3 larger) or multipart, plus room for the other fields.
 */
const audioBodyLimit: MiddlewareHandler<AppEnv> = (c, next) => {
  const max = c.var.config.AUDIO_MAX_BYTES;
  return bodyLimit({
    maxSize: Math.ceil(max * 4 / 3) + 64 * 1024,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `Audio files are limited to ${max} bytes`);
    },
  })(c, next);
};

/** Headers every successful answer carries: the file never changes under its id. */
function cacheHeaders(meta: { sha256: string; mimeType: string }) {
  return {
    "Content-Type": meta.mimeType,
    ETag: `"${meta.sha256}"`,
    "Cache-Control": "public, max-age=31536000, immutable",
    "Accept-Ranges": "bytes",
    // The bytes are the same for everyone: do not vary on the session.
    Vary: "Origin",
    // Pages on other origins may play it in an <audio> element, even cross-origin isolated ones.
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
}

/** Whether an `If-None-Match` list names this ETag (weak comparison, as RFC 9110 asks). */
function etagMatches(header: string, sha256: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").map((t) => t.trim().replace(/^W\//, "")).includes(`"${sha256}"`);
}

export const audioRoutes = new Hono<AudioEnv>()
  .post(
    "/",
    describe({
      summary: "Upload a recording (editor or admin), optionally attaching it to a word or lesson",
      description: "Multipart with a `file` field, or JSON with `audio_data` in base64; " +
        "`vocabulary_id` / `lesson_id` attach it so their views carry `audio_url`. The type " +
        "is sniffed from the bytes (WAV, MP3, Ogg/Opus, WebM, M4A); anything else gets 415, " +
        "a file over AUDIO_MAX_BYTES (5 MiB by default) 413. `duration_ms` is read from the " +
        "headers where the format records it, else null.",
      tags: ["audio"],
      auth: "editor",
      responses: { 201: "Stored", 413: "Too large", 415: "Not a supported audio type" },
    }),
    requireRole("editor", "admin"),
    audioBodyLimit,
    uploadBody(),
    async (c) => {
      const { db, config } = c.var;
      const { bytes, vocabulary_id, lesson_id } = c.var.upload;
      if (!bytes || bytes.length === 0) throw badRequest("The audio file is empty");
      if (bytes.length > config.AUDIO_MAX_BYTES) {
        throw new ApiError(
          "PAYLOAD_TOO_LARGE",
          `Audio files are limited to ${config.AUDIO_MAX_BYTES} bytes`,
        );
      }
      const info = sniffAudio(bytes);
      if (!info) {
        throw new ApiError(
          "UNSUPPORTED_MEDIA_TYPE",
          "Not a supported audio file: send WAV, MP3, Ogg (Vorbis or Opus), WebM or M4A",
        );
      }
      const target = { vocabularyId: vocabulary_id, lessonId: lesson_id };
      if (vocabulary_id || lesson_id) {
        const found = await findAudioTargets(db, target);
        if (vocabulary_id && !found.vocabulary) throw notFound("Vocabulary item");
        if (lesson_id && !found.lesson) throw notFound("Lesson");
      }
      const store = audioStoreFor(db);
      const meta = await store.put({
        id: randomId(12),
        mimeType: info.mimeType,
        durationMs: info.durationMs,
        sha256: sha256Hex(bytes),
        data: bytes,
        uploadedBy: c.var.user?.id ?? null,
      });
      let attached = { vocabulary: false, lesson: false };
      if (vocabulary_id || lesson_id) {
        attached = await attachAudio(db, meta.id, target);
        if ((vocabulary_id && !attached.vocabulary) || (lesson_id && !attached.lesson)) {
          // Deleted between the check and the write: do not keep an orphan file.
          await store.delete(meta.id);
          throw notFound(vocabulary_id && !attached.vocabulary ? "Vocabulary item" : "Lesson");
        }
      }
      c.header("Location", audioUrl(meta.id));
      return c.json({
        data: {
          id: meta.id,
          url: audioUrl(meta.id),
          mime_type: meta.mimeType,
          codec: info.codec,
          byte_length: meta.byteLength,
          duration_ms: meta.durationMs,
          sha256: meta.sha256,
          created_at: meta.createdAt.toISOString(),
          vocabulary_id: attached.vocabulary ? vocabulary_id : null,
          lesson_id: attached.lesson ? lesson_id : null,
        },
      }, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A recording's bytes, with caching, conditional requests and byte ranges",
      description: "Public. `ETag` is the SHA-256 of the bytes; `If-None-Match` answers 304. " +
        "`Range: bytes=a-b`, `bytes=a-` and `bytes=-n` answer 206 with `Content-Range`; a " +
        "range past the end answers 416 with `Content-Range: bytes */<length>`. HEAD reads " +
        "only the metadata. A synthesised reference clip (a word's or example's `audio_url`) " +
        "not rendered yet is rendered on its first request (MP3) and stored.",
      tags: ["audio"],
      auth: "none",
      responses: { 200: "The file", 206: "Part of the file", 304: "Not modified", 404: "Unknown" },
    }),
    validate("param", IdParam),
    async (c) => {
      const store = audioStoreFor(c.var.db);
      const id = c.req.valid("param").id;
      const ifNoneMatch = c.req.header("if-none-match");
      const ifRange = c.req.header("if-range");
      const head = c.req.method === "HEAD";
      let range = parseRange(c.req.header("range"));
      // Metadata first only when it decides the answer: 304, HEAD, or an
      // If-Range whose validator may be stale (then the whole file is sent).
      if (ifNoneMatch || head || (range && ifRange)) {
        const meta = await store.head(id);
        if (!meta) throw notFound("Audio file");
        if (ifNoneMatch && etagMatches(ifNoneMatch, meta.sha256)) {
          const { "Content-Type": _type, ...headers } = cacheHeaders(meta);
          return c.body(null, 304, headers);
        }
        if (head) {
          return c.body(null, 200, {
            ...cacheHeaders(meta),
            "Content-Length": String(meta.byteLength),
          });
        }
        if (ifRange && ifRange.trim() !== `"${meta.sha256}"`) range = null;
      }
      const found = await store.get(id, range);
      if (!found) throw notFound("Audio file");
      return audioBytesResponse(c, found, range, cacheHeaders(found.meta));
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a recording (editor or admin); words and lessons using it lose audio_url",
      tags: ["audio"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const id = c.req.valid("param").id;
      if (!(await audioStoreFor(c.var.db).delete(id))) throw notFound("Audio file");
      return c.json({ data: { id, outcome: "deleted" } });
    },
  );
