/**
 * Benchmark: reference audio for the six languages on a fresh database. Times
 * the seed (which assigns clip ids), the bulk rendering `deno task seed` does
 * after it, a reseed (which must skip everything), and one clip's rendering
 * (what a first request waits for when clips are left to render lazily); and
 * the database growth. Writes bench/results/audio_seed.json.
 *
 *   deno task bench:audio-seed
 */
import { openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { renderPendingClips, seedReferenceAudio } from "../db/speech_clips.ts";
import { REFERENCE_FORMAT, renderReferenceAudio } from "../platform/reference_audio.ts";
import { LANGUAGE_VOICES, SPEECH_ENGINE } from "../platform/speech_synthesis.ts";
import { seedContent } from "../seed.ts";

const dir = await Deno.makeTempDir({ prefix: "bench-audio-seed-" });
const path = `${dir}/bench.db`;
const database = await openDatabase(`file:${path}`);
const { client, db } = database;

async function databaseBytes(): Promise<number> {
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  return (await Deno.stat(path)).size;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await run();
  return [result, Math.round(performance.now() - start)];
}

await migrateDatabase(db);
const emptyBytes = await databaseBytes();
const [, seedMs] = await timed(() => seedContent(db));
const seededBytes = await databaseBytes();

// The share of the seed spent assigning clip ids: drop them and assign again.
await client.batch([
  "DELETE FROM speech_clips",
  "UPDATE vocabulary SET audio_id = NULL, speech_audio_id = NULL, example_audio_id = NULL",
  "UPDATE lessons SET example_audio = NULL",
  "UPDATE grammar_topics SET example_audio = NULL",
]);
const [assigned, assignMs] = await timed(() => seedReferenceAudio(db));

// Language by language, for the time each takes; then the sum.
const renderMsByVoice = new Map<string, number>();
const render = { rendered: 0, bytes: 0, audioMs: 0 };
let renderMs = 0;
for (const voice of Object.values(LANGUAGE_VOICES)) {
  const [report, ms] = await timed(() => renderPendingClips(db, { voice }));
  renderMsByVoice.set(voice, ms);
  renderMs += ms;
  render.rendered += report.rendered;
  render.bytes += report.bytes;
  render.audioMs += report.audioMs;
}
const renderedBytes = await databaseBytes();

const [reseed, reseedMs] = await timed(async () => ({
  seed: await seedContent(db),
  render: await renderPendingClips(db),
}));

const perLanguage = (await client.execute(
  `SELECT c.voice AS voice, count(*) AS clips, sum(a.byte_length) AS bytes,
     sum(a.duration_ms) AS audio_ms
   FROM speech_clips c JOIN audio_assets a ON a.id = c.id GROUP BY c.voice ORDER BY c.voice`,
)).rows.map((r) => ({
  voice: String(r.voice),
  render_ms: renderMsByVoice.get(String(r.voice)),
  clips: Number(r.clips),
  mp3_bytes: Number(r.bytes),
  audio_seconds: Math.round(Number(r.audio_ms) / 1000),
}));
const [counts] = (await client.execute(
  `SELECT count(*) AS words, sum(audio_id IS NOT NULL) AS word_audio,
     sum(example_audio_id IS NOT NULL) AS example_audio,
     (SELECT count(*) FROM lessons l, json_each(l.content, '$.examples')) +
       (SELECT count(*) FROM grammar_topics g, json_each(g.examples)) AS sentences,
     (SELECT count(*) FROM lessons l, json_each(l.example_audio)) +
       (SELECT count(*) FROM grammar_topics g, json_each(g.example_audio)) AS sentence_audio
   FROM vocabulary`,
)).rows;

// One clip on demand: a word and a sentence, 20 of each after a warm-up.
const samples = (await client.execute(
  `SELECT c.voice AS voice, c.text AS text FROM speech_clips c
   ORDER BY length(c.text) LIMIT 20`,
)).rows.concat(
  (await client.execute(
    `SELECT c.voice AS voice, c.text AS text FROM speech_clips c
     WHERE c.id IN (SELECT example_audio_id FROM vocabulary) ORDER BY c.id LIMIT 20`,
  )).rows,
);
await renderReferenceAudio("hola", "es");
const latencies: { kind: string; ms: number }[] = [];
for (const [i, s] of samples.entries()) {
  const [, ms] = await timed(() => renderReferenceAudio(String(s.text), String(s.voice)));
  latencies.push({ kind: i < 20 ? "word" : "sentence", ms });
}
const median = (kind: string) => {
  const xs = latencies.filter((l) => l.kind === kind).map((l) => l.ms).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
};

const audioSeconds = render.audioMs / 1000;
const result = {
  benchmark: "reference audio for every word and example sentence, six languages",
  date: new Date().toISOString(),
  machine: `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores, ` +
    "shared with other agents' builds and tests while it ran: times are noisy, compare ratios",
  engine: SPEECH_ENGINE,
  format: `${REFERENCE_FORMAT} (audio/mpeg, 22050 Hz mono, 32 kbit/s CBR)`,
  words: Number(counts.words),
  words_with_audio: Number(counts.word_audio),
  examples_with_audio: Number(counts.example_audio),
  lesson_and_grammar_example_sentences: Number(counts.sentences),
  lesson_and_grammar_example_sentences_with_audio: Number(counts.sentence_audio),
  clips: render.rendered,
  seed: {
    total_ms: seedMs,
    clip_id_assignment_ms: assignMs,
    assigned,
    database_bytes_before: emptyBytes,
    database_bytes_after: seededBytes,
  },
  render_all: {
    ms: renderMs,
    clips: render.rendered,
    audio_seconds: Math.round(audioSeconds),
    mp3_bytes: render.bytes,
    wav_16khz_16bit_bytes_equivalent: Math.round(audioSeconds * 16000 * 2),
    database_growth_bytes: renderedBytes - seededBytes,
    database_bytes_after: renderedBytes,
  },
  reseed: {
    ms: reseedMs,
    content_written: reseed.seed.written,
    clips_rendered: reseed.render.rendered,
  },
  on_demand_render_ms: { word_median: median("word"), sentence_median: median("sentence") },
  per_language: perLanguage,
};

await Deno.mkdir("bench/results", { recursive: true });
await Deno.writeTextFile("bench/results/audio_seed.json", JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
database.close();
await Deno.remove(dir, { recursive: true });
