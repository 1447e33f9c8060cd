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
import { LANGUAGE_VOICES, SPEECH_ENGINE, speechIpa } from "../platform/speech_synthesis.ts";
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

// How eSpeak reads the content: its own IPA for each word against the
// content's (stress, syllable and separator marks dropped; similarity is
// 1 - edit distance / longer length, in code points), and how many clip texts make it switch
// language mid-text (for Japanese, a kanji spelled out in English).
// Diacritics and modifier letters are dropped too: eSpeak transcribes narrowly
// (Japanese ä, o̞, ɯᵝ where the content writes a, o, ɯ).
const plain = (ipa: string) =>
  ipa.normalize("NFD").replace(/[_ˈˌ.\s‿\u0300-\u036f\u1d2c-\u1d6a]/gu, "");
function similarity(a: string, b: string): number {
  const x = [...a], y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return 1 - prev[y.length] / Math.max(x.length, y.length, 1);
}
const ipaAgreement: Record<
  string,
  { words: number; mean_similarity: number; at_least_80: number }
> = {};
const wordRows = (await client.execute(
  `SELECT v.language_id AS lang, v.ipa AS ipa, c.text AS text, c.voice AS voice
   FROM vocabulary v JOIN speech_clips c ON c.id = v.speech_audio_id ORDER BY v.id`,
)).rows;
for (const lang of Object.keys(LANGUAGE_VOICES)) {
  const scores = [];
  for (const r of wordRows.filter((r) => r.lang === lang)) {
    const spoken = await speechIpa(String(r.text), String(r.voice));
    scores.push(similarity(plain(spoken), plain(String(r.ipa))));
  }
  ipaAgreement[lang] = {
    words: scores.length,
    mean_similarity: Math.round(scores.reduce((a, b) => a + b, 0) / scores.length * 1000) / 1000,
    at_least_80: Math.round(scores.filter((x) => x >= 0.8).length / scores.length * 1000) / 1000,
  };
}
const switches: Record<string, number> = {};
for (const r of (await client.execute("SELECT voice, text FROM speech_clips")).rows) {
  const spoken = await speechIpa(String(r.text), String(r.voice));
  if (/\([a-z-]+\)/.test(spoken)) switches[String(r.voice)] = (switches[String(r.voice)] ?? 0) + 1;
}

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
  espeak_reading: {
    ipa_agreement_with_content: ipaAgreement,
    clips_with_a_language_switch: switches,
  },
};

await Deno.mkdir("bench/results", { recursive: true });
await Deno.writeTextFile("bench/results/audio_seed.json", JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
database.close();
await Deno.remove(dir, { recursive: true });
