/**
 * Synthesised reference audio for every word and example sentence.
 *
 * Two steps, so seeding stays fast: {@link referenceAudioStatements} gives
 * each word a clip id for itself and for its example (a `speech_clips` row:
 * random public id, content key, voice, text), cheaply and inside the seed;
 * the bytes are rendered either in bulk ({@link renderPendingClips}, run by
 * `deno task seed`) or on the first request for the clip
 * ({@link referenceRenderingStore}). A rendered clip is an `audio_assets` row
 * with the clip's id, served like any upload.
 *
 * An editor's upload wins: `vocabulary.audio_id` (what views and listening
 * questions use) is set to the synthesised clip only while it is empty or
 * still the previous synthesised clip.
 */
import { Buffer } from "node:buffer";
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type AudioMeta, type AudioStore, databaseAudioStore, metaColumns } from "./audio_store.ts";
import type { Db } from "./client.ts";
import type { ContentFile } from "../domain/content_schema.ts";
import { audioAssets, courses, grammarTopics, lessons, speechClips, vocabulary } from "./schema.ts";
import { resolveRange } from "../domain/audio_format.ts";
import {
  type ReferenceAudio,
  referenceKey,
  renderReferenceAudio,
} from "../platform/reference_audio.ts";
import { speechText, voiceForLanguage } from "../platform/speech_synthesis.ts";
import { randomId, sha256Hex } from "../platform/tokens.ts";

/** The fields of a word that decide what its clips say. */
export interface SpokenWord {
  id: string;
  languageId: string;
  word: string;
  reading: string | null;
  romanization: string | null;
  example: { text: string; reading?: string; romanization?: string };
}

/** The columns {@link SpokenWord} is read from. */
export const spokenColumns = {
  id: vocabulary.id,
  languageId: vocabulary.languageId,
  word: vocabulary.word,
  reading: vocabulary.reading,
  romanization: vocabulary.romanization,
  example: vocabulary.example,
};

interface ClipSource {
  key: string;
  voice: string;
  text: string;
}

function clipSources(word: SpokenWord): { word: ClipSource; example: ClipSource } {
  const voice = voiceForLanguage(word.languageId);
  const source = (text: string): ClipSource => ({ key: referenceKey(text, voice), voice, text });
  return {
    word: source(speechText(word.languageId, {
      text: word.word,
      reading: word.reading,
      romanization: word.romanization,
    })),
    example: source(speechText(word.languageId, word.example)),
  };
}

/** The clip id for a content key, as a subquery (the clip exists by then). */
const clipIdFor = (key: string) =>
  sql`(select ${speechClips.id} from ${speechClips} where ${speechClips.contentHash} = ${key})`;

/** Inserts the clips not stored yet (existing content keys are skipped). */
function clipInserts(db: Db, sources: Iterable<ClipSource>): BatchItem<"sqlite">[] {
  const rows = [...sources].map((c) => ({
    id: randomId(12),
    contentHash: c.key,
    voice: c.voice,
    text: c.text,
  }));
  const out: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    out.push(db.insert(speechClips).values(rows.slice(i, i + 200)).onConflictDoNothing());
  }
  return out;
}

/**
 * For a word about to be inserted: the statements that create its clips (run
 * first, in the same batch) and the audio columns for its row.
 */
export function newWordAudio(db: Db, word: Omit<SpokenWord, "id">) {
  const sources = clipSources({ ...word, id: "" });
  const wordClip = clipIdFor(sources.word.key);
  return {
    statements: clipInserts(db, [sources.word, sources.example]),
    columns: {
      audioId: wordClip,
      speechAudioId: wordClip,
      exampleAudioId: clipIdFor(sources.example.key),
    },
  };
}

/**
 * Statements (for one `db.batch`) that create the clips these words need and
 * point the words at them. Existing clips are reused by content key; a word
 * whose ids are already right is not touched.
 */
export function referenceAudioStatements(db: Db, words: SpokenWord[]): BatchItem<"sqlite">[] {
  const clips = new Map<string, ClipSource>();
  const links = words.map((w) => {
    const sources = clipSources(w);
    clips.set(sources.word.key, sources.word);
    clips.set(sources.example.key, sources.example);
    return { id: w.id, wordKey: sources.word.key, exampleKey: sources.example.key };
  });
  const out = clipInserts(db, clips.values());
  for (const link of links) {
    const wordClip = clipIdFor(link.wordKey);
    const exampleClip = clipIdFor(link.exampleKey);
    out.push(
      db.update(vocabulary).set({
        // An editor's recording stays; a previous synthesised one is replaced.
        audioId: sql`case when ${vocabulary.audioId} is null
          or ${vocabulary.audioId} = ${vocabulary.speechAudioId}
          then ${wordClip} else ${vocabulary.audioId} end`,
        speechAudioId: wordClip,
        exampleAudioId: exampleClip,
      }).where(and(
        eq(vocabulary.id, link.id),
        or(
          isNull(vocabulary.audioId),
          sql`${vocabulary.speechAudioId} is not ${wordClip}`,
          sql`${vocabulary.exampleAudioId} is not ${exampleClip}`,
        ),
      )).returning({ id: vocabulary.id }),
    );
  }
  return out;
}

/** An example sentence kept in a lesson's or grammar topic's JSON. */
export interface Sentence {
  text: string;
  reading?: string;
  romanization?: string;
}

/** Tables whose example sentences carry an `example_audio` map (text → clip id). */
type SentenceTable = typeof lessons | typeof grammarTopics;

/**
 * Statements that create the clips for a lesson's or topic's example sentences
 * and store its `example_audio` map; append them to the batch that writes the
 * sentences so the map always matches them.
 */
export function sentenceAudioStatements(
  db: Db,
  table: SentenceTable,
  id: string,
  languageId: string,
  sentences: Sentence[],
): BatchItem<"sqlite">[] {
  const voice = voiceForLanguage(languageId);
  const sources = sentences.map((e) => {
    const text = speechText(languageId, e);
    return { sentence: e.text, source: { key: referenceKey(text, voice), voice, text } };
  });
  const pairs = sources.flatMap((s) => [sql`${s.sentence}`, clipIdFor(s.source.key)]);
  return [
    ...clipInserts(db, sources.map((s) => s.source)),
    db.update(table).set({ exampleAudio: sql`json_object(${sql.join(pairs, sql`, `)})` })
      .where(eq(table.id, id)),
  ];
}

/**
 * The reference-audio statements for a whole content file, appended to the
 * batch that stores it (seed or `POST /api/content/import`), so its words and
 * example sentences never go without audio.
 */
export function contentAudioStatements(
  db: Db,
  content: ContentFile,
  wordIds: Map<string, string>,
): BatchItem<"sqlite">[] {
  const languageId = content.language.code;
  const words = content.vocabulary.map((v) => ({
    id: wordIds.get(v.word)!,
    languageId,
    word: v.word,
    reading: v.reading ?? null,
    romanization: v.romanization ?? null,
    example: v.example,
  }));
  return [
    ...referenceAudioStatements(db, words),
    ...content.courses.flatMap((course) =>
      course.lessons.flatMap((lesson) =>
        sentenceAudioStatements(db, lessons, lesson.slug, languageId, lesson.content.examples ?? [])
      )
    ),
    ...content.grammar.flatMap((topic) =>
      sentenceAudioStatements(db, grammarTopics, topic.slug, languageId, topic.examples)
    ),
  ];
}

/** Whether a stored `example_audio` map points every sentence at its current clip. */
function sentencesCurrent(
  languageId: string,
  sentences: Sentence[],
  map: Record<string, string> | null,
  clipIds: Map<string, string>,
): boolean {
  const voice = voiceForLanguage(languageId);
  return sentences.every((e) => {
    const clip = clipIds.get(referenceKey(speechText(languageId, e), voice));
    return clip !== undefined && map?.[e.text] === clip;
  });
}

/**
 * Gives the example sentences of every lesson and grammar topic their clips;
 * like {@link assignReferenceAudio}, writes only rows that are out of date.
 * Returns how many rows changed.
 */
export async function assignSentenceAudio(db: Db): Promise<number> {
  const [lessonRows, topicRows, clips] = await db.batch([
    db.select({
      id: lessons.id,
      languageId: courses.languageId,
      content: lessons.content,
      map: lessons.exampleAudio,
    }).from(lessons).innerJoin(courses, eq(courses.id, lessons.courseId)),
    db.select({
      id: grammarTopics.id,
      languageId: grammarTopics.languageId,
      examples: grammarTopics.examples,
      map: grammarTopics.exampleAudio,
    }).from(grammarTopics),
    db.select({ id: speechClips.id, key: speechClips.contentHash }).from(speechClips),
  ]);
  const clipIds = new Map(clips.map((c) => [c.key, c.id]));
  const owners = [
    ...lessonRows.map((l) => ({ ...l, table: lessons, sentences: l.content.examples ?? [] })),
    ...topicRows.map((t) => ({ ...t, table: grammarTopics, sentences: t.examples })),
  ].filter((o) => o.map === null || !sentencesCurrent(o.languageId, o.sentences, o.map, clipIds));
  if (!owners.length) return 0;
  await db.batch(
    owners.flatMap((o) =>
      sentenceAudioStatements(db, o.table, o.id, o.languageId, o.sentences)
    ) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
  return owners.length;
}

/** The columns whose change alters what a word's clips say. */
export const SPOKEN_FIELDS = ["reading", "romanization", "example"] as const;

/** Re-points one edited word at clips for its current text (one batch). */
export async function refreshWordAudio(db: Db, word: SpokenWord): Promise<void> {
  await db.batch(
    referenceAudioStatements(db, [word]) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
}

/**
 * Gives every word (or the given ones) its reference clips. Returns how many
 * words changed. Run by the seed after the content files are stored: it reads
 * first and writes only the words whose clips are missing or out of date, so
 * a reseed of unchanged content writes nothing.
 */
export async function assignReferenceAudio(db: Db, ids?: string[]): Promise<number> {
  const [words, clips] = await db.batch([
    db.select({
      ...spokenColumns,
      audioId: vocabulary.audioId,
      speechAudioId: vocabulary.speechAudioId,
      exampleAudioId: vocabulary.exampleAudioId,
    }).from(vocabulary).where(ids ? inArray(vocabulary.id, ids) : undefined),
    db.select({ id: speechClips.id, key: speechClips.contentHash }).from(speechClips),
  ]);
  const clipIds = new Map(clips.map((c) => [c.key, c.id]));
  const stale = words.filter((w) => {
    const sources = clipSources(w);
    const wordClip = clipIds.get(sources.word.key);
    return !wordClip || w.audioId === null || w.speechAudioId !== wordClip ||
      w.exampleAudioId !== clipIds.get(sources.example.key);
  });
  if (!stale.length) return 0;
  const results = await db.batch(
    referenceAudioStatements(db, stale) as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
  return results.filter((r) => Array.isArray(r) && r.length > 0).length;
}

/** The seeder: names what it wrote, like the others in seed.ts. */
export async function seedReferenceAudio(db: Db): Promise<string[]> {
  const words = await assignReferenceAudio(db);
  const owners = await assignSentenceAudio(db);
  return [
    ...(words ? [`reference audio for ${words} words`] : []),
    ...(owners ? [`reference audio for the examples of ${owners} lessons and topics`] : []),
  ];
}

/** What rendering a clip needs. */
const clipColumns = { id: speechClips.id, voice: speechClips.voice, text: speechClips.text };

/** The `audio_assets` row for a rendered clip: stored under the clip's id. */
function assetRow(id: string, audio: ReferenceAudio) {
  return {
    id,
    mimeType: audio.mimeType,
    byteLength: audio.data.length,
    durationMs: audio.durationMs,
    sha256: sha256Hex(audio.data),
    data: Buffer.from(audio.data.buffer, audio.data.byteOffset, audio.data.byteLength),
    uploadedBy: null,
  };
}

/** Renders one clip and stores it. */
async function renderClip(
  db: Db,
  clip: { id: string; voice: string; text: string },
): Promise<{ meta: AudioMeta; data: Uint8Array }> {
  const audio = await renderReferenceAudio(clip.text, clip.voice);
  const [meta] = await db.insert(audioAssets).values(assetRow(clip.id, audio))
    .onConflictDoNothing().returning(metaColumns);
  if (meta) return { meta, data: audio.data };
  // Another instance rendered it first: serve theirs, so the ETag is stable.
  const [theirs] = await db.select({ ...metaColumns, data: audioAssets.data }).from(audioAssets)
    .where(eq(audioAssets.id, clip.id));
  const { data, ...rest } = theirs;
  return { meta: rest, data: new Uint8Array(data) };
}

export interface RenderReport {
  rendered: number;
  bytes: number;
  audioMs: number;
  ms: number;
}

/**
 * Renders every clip (of one voice, if given) that has no stored audio yet (a
 * reseed finds none and returns at once). Writes in batches so a long run
 * keeps what it did.
 */
export async function renderPendingClips(
  db: Db,
  options: { voice?: string } = {},
): Promise<RenderReport> {
  const start = performance.now();
  const pending = await db.select(clipColumns).from(speechClips)
    .leftJoin(audioAssets, eq(audioAssets.id, speechClips.id))
    .where(and(
      isNull(audioAssets.id),
      options.voice ? eq(speechClips.voice, options.voice) : undefined,
    ));
  const report = { rendered: 0, bytes: 0, audioMs: 0, ms: 0 };
  for (let i = 0; i < pending.length; i += 50) {
    const rows = [];
    for (const clip of pending.slice(i, i + 50)) {
      const audio = await renderReferenceAudio(clip.text, clip.voice);
      rows.push(assetRow(clip.id, audio));
      report.bytes += audio.data.length;
      report.audioMs += audio.durationMs;
    }
    await db.insert(audioAssets).values(rows).onConflictDoNothing();
    report.rendered += rows.length;
  }
  report.ms = Math.round(performance.now() - start);
  return report;
}

/** In-flight lazy renders, so concurrent first requests synthesise once. */
const rendering = new Map<string, Promise<{ meta: AudioMeta; data: Uint8Array } | null>>();

/** Renders a clip not yet stored; null when `id` is no clip either. */
function renderOnDemand(db: Db, id: string) {
  let job = rendering.get(id);
  if (!job) {
    job = (async () => {
      const [clip] = await db.select(clipColumns).from(speechClips).where(eq(speechClips.id, id));
      return clip ? await renderClip(db, clip) : null;
    })().finally(() => rendering.delete(id));
    rendering.set(id, job);
  }
  return job;
}

/**
 * Wraps a store so that a synthesised clip not rendered yet is rendered on
 * its first request (synthesis and encoding take ~30 ms for a word) and
 * answered from memory; later requests read the stored file.
 */
export function referenceRenderingStore(db: Db, store: AudioStore): AudioStore {
  return {
    ...store,
    async head(id) {
      return await store.head(id) ?? (await renderOnDemand(db, id))?.meta ?? null;
    },
    async get(id, range) {
      const found = await store.get(id, range);
      if (found) return found;
      const rendered = await renderOnDemand(db, id);
      if (!rendered) return null;
      if (!range) return rendered;
      // The same clamping as the database store's substr(): an unsatisfiable
      // range gets no bytes.
      const span = resolveRange(range, rendered.data.length);
      const data = span === "unsatisfiable"
        ? new Uint8Array(0)
        : rendered.data.subarray(span.start, span.end + 1);
      return { meta: rendered.meta, data };
    },
  };
}

/**
 * The store audio is served from. The database blob store is the default; an
 * object store would be chosen here (e.g. from configuration).
 */
export function audioStoreFor(db: Db): AudioStore {
  // Synthesised reference clips not rendered yet are rendered on first request.
  return referenceRenderingStore(db, databaseAudioStore(db));
}
