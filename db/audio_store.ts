/**
 * Where audio files live. Routes talk to the small {@link AudioStore} interface;
 * the default keeps the bytes in the `audio_assets` table as a blob, which works
 * wherever the database does (Deno Deploy has no local disk). An object store
 * (S3, R2) can replace it by implementing the same four methods, keeping the
 * metadata row in the database and the bytes elsewhere.
 */
import { Buffer } from "node:buffer";
import { eq, sql } from "drizzle-orm";
import type { RangeSpec } from "../domain/audio_format.ts";
import type { Db } from "./client.ts";
import { audioAssets, lessons, vocabulary } from "./schema.ts";

/** What is known about a stored file without reading its bytes. */
export interface AudioMeta {
  id: string;
  mimeType: string;
  byteLength: number;
  durationMs: number | null;
  /** Hex SHA-256 of the bytes: the strong ETag. */
  sha256: string;
  createdAt: Date;
}

/** A file to store; the type and duration were sniffed from the bytes. */
export interface NewAudio {
  id: string;
  mimeType: string;
  durationMs: number | null;
  sha256: string;
  data: Uint8Array;
  uploadedBy: string | null;
}

/** Storage for audio bytes and their metadata. */
export interface AudioStore {
  put(asset: NewAudio): Promise<AudioMeta>;
  /** Metadata only (for HEAD, 304 and 416 answers). */
  head(id: string): Promise<AudioMeta | null>;
  /**
   * Metadata and bytes in one read; with `range`, only those bytes (the range is
   * clamped to the file; an unsatisfiable one returns no bytes).
   */
  get(id: string, range?: RangeSpec | null): Promise<{ meta: AudioMeta; data: Uint8Array } | null>;
  delete(id: string): Promise<boolean>;
}

/** The columns of {@link AudioMeta}. */
export const metaColumns = {
  id: audioAssets.id,
  mimeType: audioAssets.mimeType,
  byteLength: audioAssets.byteLength,
  durationMs: audioAssets.durationMs,
  sha256: audioAssets.sha256,
  createdAt: audioAssets.createdAt,
};

/** The default store: bytes in the `audio_assets` blob column. */
export function databaseAudioStore(db: Db): AudioStore {
  return {
    async put(asset) {
      const [row] = await db.insert(audioAssets).values({
        id: asset.id,
        mimeType: asset.mimeType,
        byteLength: asset.data.length,
        durationMs: asset.durationMs,
        sha256: asset.sha256,
        data: Buffer.from(asset.data.buffer, asset.data.byteOffset, asset.data.byteLength),
        uploadedBy: asset.uploadedBy,
      }).returning(metaColumns);
      return row;
    },
    async head(id) {
      const [row] = await db.select(metaColumns).from(audioAssets).where(eq(audioAssets.id, id));
      return row ?? null;
    },
    async get(id, range) {
      // SQLite's substr() slices blobs by byte (1-based), so a range request
      // reads only the bytes it returns.
      const slice = !range
        ? sql`${audioAssets.data}`
        : "suffix" in range
        ? sql`substr(${audioAssets.data}, max(1, length(${audioAssets.data}) - ${range.suffix} + 1))`
        : range.end === undefined
        ? sql`substr(${audioAssets.data}, ${range.start + 1})`
        : sql`substr(${audioAssets.data}, ${range.start + 1}, ${range.end - range.start + 1})`;
      const [row] = await db.select({ ...metaColumns, data: sql<unknown>`${slice}` })
        .from(audioAssets).where(eq(audioAssets.id, id));
      if (!row) return null;
      const { data, ...meta } = row;
      return { meta, data: toBytes(data) };
    },
    async delete(id) {
      // Words that pointed at the file fall back to their synthesised clip
      // (which renders again on request if this was it); lessons lose the URL.
      const [, , removed] = await db.batch([
        db.update(vocabulary).set({ audioId: vocabulary.speechAudioId })
          .where(eq(vocabulary.audioId, id)),
        db.update(lessons).set({ audioId: null }).where(eq(lessons.audioId, id)),
        db.delete(audioAssets).where(eq(audioAssets.id, id)).returning({ id: audioAssets.id }),
      ]);
      return removed.length > 0;
    },
  };
}

/** libSQL returns blobs as ArrayBuffer (raw SQL) or Buffer (typed column). */
function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value === null || value === undefined) return new Uint8Array(0);
  if (typeof value === "string") return new TextEncoder().encode(value);
  throw new TypeError("Unexpected blob value");
}

/** Which of the given word and lesson exist (checked before storing an upload). */
export async function findAudioTargets(
  db: Db,
  ids: { vocabularyId?: string; lessonId?: string },
) {
  const [words, lessonRows] = await db.batch([
    db.select({ id: vocabulary.id }).from(vocabulary)
      .where(eq(vocabulary.id, ids.vocabularyId ?? "")),
    db.select({ id: lessons.id }).from(lessons).where(eq(lessons.id, ids.lessonId ?? "")),
  ]);
  return { vocabulary: words.length > 0, lesson: lessonRows.length > 0 };
}

/**
 * Points a word and/or a lesson at a stored file so their views carry
 * `audio_url`; returns what was updated.
 */
export async function attachAudio(
  db: Db,
  audioId: string,
  ids: { vocabularyId?: string; lessonId?: string },
) {
  const [words, lessonRows] = await db.batch([
    db.update(vocabulary).set({ audioId, updatedAt: sql`(unixepoch() * 1000)` })
      .where(eq(vocabulary.id, ids.vocabularyId ?? "")).returning({ id: vocabulary.id }),
    db.update(lessons).set({ audioId, updatedAt: sql`(unixepoch() * 1000)` })
      .where(eq(lessons.id, ids.lessonId ?? "")).returning({ id: lessons.id }),
  ]);
  return { vocabulary: words.length > 0, lesson: lessonRows.length > 0 };
}
