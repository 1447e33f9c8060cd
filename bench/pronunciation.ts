/**
 * `deno task bench:pronunciation`: how well the audio-only score tells words
 * apart, and what it costs.
 *
 * For every word of every course language (100+ each), a probe recording is
 * synthesised with eSpeak NG in another voice variant, speed and pitch than the
 * references (the word's seeded clip: the language's default voice as MP3; and
 * the variants the check endpoint synthesises, REFERENCE_VARIANTS), padded with pauses and mixed with white noise at 20 dB SNR.
 * The probe goes through the endpoint's own path (WAV encode and decode, signal
 * checks, features with vocal-tract warps, DTW) and is compared with the
 * reference of its own word and of the four other words of the language
 * nearest by spelling. Reported per language: how often the own word scores
 * higher than all four (`top_of_5`) and than each one (`pairwise`), the
 * distance percentiles the score calibration is read from, the scores, and the
 * CPU time of scoring a 2-second recording.
 *
 * Writes bench/results/pronunciation.json (a run naming languages only prints). The machine is shared: times are
 * indicative, ratios within one run comparable.
 */
import process from "node:process";
import { createMp3Encoder } from "wasm-media-encoders";
import { readAllContent } from "../db/content_files.ts";
import {
  CALIBRATION,
  checkRecording,
  compareUtterances,
  utteranceFeatures,
  WARPS,
} from "../domain/acoustic_scoring.ts";
import { editDistance, stripLatinAccents } from "../domain/answer_matching.ts";
import { sniffAudio } from "../domain/audio_format.ts";
import { syllableCount } from "../domain/pronunciation.ts";
import { decodeRecording } from "../platform/audio_decoding.ts";
import { REFERENCE_VARIANTS, referenceSet } from "../platform/pronunciation_reference.ts";
import { renderReferenceAudio } from "../platform/reference_audio.ts";
import { LANGUAGE_VOICES, speechText, synthesize } from "../platform/speech_synthesis.ts";
import { pcmWav } from "../tests/audio_fixtures.ts";

const LANGUAGES = Deno.args.length ? Deno.args : ["es", "fr", "de", "it", "pt", "ja"];
/** Speakers other than the references' voices (REFERENCE_VARIANTS). */
const VARIANTS = ["m3", "f2", "m6", "f4", "klatt"];
const SPEEDS = [0.8, 1.2, 0.9, 1.1];
const PITCHES = [30, 70, 40, 60];
const SNR_DB = 20;
const COMPETITORS = 4;

let seed = 1234;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

/** Pauses before and after, white noise at `SNR_DB` under the speech's RMS. */
function asRecorded(samples: Float32Array, rate: number, totalSeconds?: number): Float32Array {
  const lead = Math.round(rate * 0.3);
  const length = Math.max(
    lead + samples.length + Math.round(rate * 0.4),
    (totalSeconds ?? 0) * rate,
  );
  const out = new Float32Array(length);
  out.set(samples, lead);
  let power = 0;
  for (const s of samples) power += s * s;
  const noise = Math.sqrt(power / samples.length) * 10 ** (-SNR_DB / 20);
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.max(-1, Math.min(1, out[i] + noise * gaussian()));
  }
  return out;
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.floor(p * (sorted.length - 1))] * 100) / 100;
  return { p10: at(0.1), p25: at(0.25), p50: at(0.5), p75: at(0.75), p90: at(0.9) };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** The endpoint's path: WAV bytes in, 16 kHz mono samples and the signal checks out. */
async function decodeAndCheck(wav: Uint8Array, ipa: string) {
  const decoded = await decodeRecording(wav, sniffAudio(wav)!, { maxSeconds: 15, budgetMs: 5000 });
  const check = checkRecording(decoded.samples, {
    clipped: decoded.clipped,
    syllables: syllableCount(ipa),
    locale: "en",
  });
  return { decoded, check };
}

/**
 * The references the endpoint uses once a word's seeded clip is rendered: the
 * clip (eSpeak's default voice as 32 kbit/s MP3, decoded) and the other
 * variants synthesised.
 */
async function references(code: string, word: Word) {
  const text = speechText(code, word);
  const set = await referenceSet(code, word, {
    id: `${code}:${text}`,
    load: async () => {
      const clip = await renderReferenceAudio(text, LANGUAGE_VOICES[code]);
      return { bytes: clip.data, info: sniffAudio(clip.data)! };
    },
  });
  if (set?.source !== "stored") throw new Error(`${text}: the MP3 clip did not decode`);
  return set.utterances;
}

/** Samples as a 32 kbit/s mono MP3 (LAME in wasm), for the lossy-codec condition. */
async function mp3Bytes(samples: Float32Array, rate: number): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: rate, channels: 1, bitrate: 32 });
  const body = encoder.encode([samples]).slice();
  const tail = encoder.finalize().slice();
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}

interface Word {
  text: string;
  reading: string | null;
  romanization: string | null;
  ipa: string;
  key: string;
}

const contents = await readAllContent();
const results: Record<string, unknown> = {};
const allTimes: number[] = [];
const allOwn: number[] = [];
const allOther: number[] = [];
for (const code of LANGUAGES) {
  const content = contents.find((c) => c.language.code === code);
  if (!content) continue;
  const seen = new Set<string>();
  const words: Word[] = [];
  for (const v of content.vocabulary) {
    const item = { text: v.word, reading: v.reading ?? null, romanization: v.romanization ?? null };
    const spoken = speechText(code, item);
    if (seen.has(spoken)) continue;
    seen.add(spoken);
    const key = stripLatinAccents(
      (code === "ja" ? v.romanization ?? v.word : v.word).toLowerCase(),
    );
    words.push({ ...item, ipa: v.ipa, key });
  }
  let top = 0;
  let topMp3 = 0;
  let pairs = 0;
  let pairsWon = 0;
  let refused = 0;
  const own: number[] = [];
  const other: number[] = [];
  const ownScores: number[] = [];
  const otherScores: number[] = [];
  const failures: string[] = [];
  const started = performance.now();
  for (const [index, word] of words.entries()) {
    const competitors = words.filter((w) => w !== word)
      .map((w) => ({ w, d: editDistance(word.key, w.key) }))
      .sort((a, b) => a.d - b.d || a.w.key.localeCompare(b.w.key))
      .slice(0, COMPETITORS).map((c) => c.w);
    const speech = await synthesize({
      text: speechText(code, word),
      voice: `${LANGUAGE_VOICES[code]}+${VARIANTS[index % VARIANTS.length]}`,
      speed: SPEEDS[index % SPEEDS.length],
      pitch: PITCHES[(index >> 1) % PITCHES.length],
    });
    const recorded = asRecorded(speech.samples, speech.sampleRate);
    const wav = pcmWav([recorded], { rate: speech.sampleRate, bits: 16 });
    const { decoded, check } = await decodeAndCheck(wav, word.ipa);
    if (!check.scoreable) {
      refused++;
      failures.push(`${word.text}: ${check.issues.map((i) => i.code).join(",")}`);
      continue;
    }
    const probe = utteranceFeatures(decoded.samples, { span: check.speech, warps: WARPS });
    const mine = compareUtterances(await references(code, word), probe);
    own.push(mine.distance);
    ownScores.push(mine.score);
    let wonAll = true;
    for (const c of competitors) {
      const theirs = compareUtterances(await references(code, c), probe);
      other.push(theirs.distance);
      otherScores.push(theirs.score);
      pairs++;
      if (mine.distance < theirs.distance) pairsWon++;
      else wonAll = false;
    }
    if (wonAll) top++;
    // The same recording through a lossy codec (MP3, 32 kbit/s): does the ranking hold?
    const lossy = await mp3Bytes(recorded, speech.sampleRate);
    const afterCodec = await decodeAndCheck(lossy, word.ipa);
    if (afterCodec.check.scoreable) {
      const p = utteranceFeatures(afterCodec.decoded.samples, {
        span: afterCodec.check.speech,
        warps: WARPS,
      });
      const d = compareUtterances(await references(code, word), p).distance;
      let all = true;
      for (const c of competitors) {
        if (compareUtterances(await references(code, c), p).distance <= d) all = false;
      }
      if (all) topMp3++;
    } else if (failures.length < 15) {
      failures.push(`${word.text} vs ${competitors.map((c) => c.text).join("/")}`);
    }
  }
  // CPU for one 2-second recording: decode, checks, features, one comparison.
  const times: number[] = [];
  for (const word of words.slice(0, 30)) {
    const speech = await synthesize({
      text: speechText(code, word),
      voice: `${LANGUAGE_VOICES[code]}+m3`,
    });
    const recorded = asRecorded(speech.samples, speech.sampleRate, 2);
    const wav = pcmWav([recorded.subarray(0, 2 * speech.sampleRate)], {
      rate: speech.sampleRate,
      bits: 16,
    });
    const reference = await references(code, word);
    const before = cpuMs();
    const { decoded, check } = await decodeAndCheck(wav, word.ipa);
    compareUtterances(
      reference,
      utteranceFeatures(decoded.samples, { span: check.speech, warps: WARPS }),
    );
    times.push(cpuMs() - before);
  }
  allTimes.push(...times);
  allOwn.push(...own);
  allOther.push(...other);
  const scored = words.length - refused;
  results[code] = {
    words: words.length,
    refused_by_signal_checks: refused,
    top_of_5: Math.round(top / words.length * 1000) / 10,
    pairwise: Math.round(pairsWon / Math.max(1, pairs) * 1000) / 10,
    top_of_5_through_mp3: Math.round(topMp3 / words.length * 1000) / 10,
    own_word_distance: percentiles(own),
    other_word_distance: percentiles(other),
    own_word_score: percentiles(ownScores),
    other_word_score: percentiles(otherScores),
    score_2s_cpu_ms: percentiles(times),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    scored,
    examples_of_failures: failures.slice(0, 10),
  };
  console.log(code, JSON.stringify(results[code]));
}

const report = {
  generated_at: new Date().toISOString(),
  machine: "2 shared cores (about six agents running at once): times are indicative",
  setup: {
    references:
      `as the check endpoint builds them: the word's seeded clip (eSpeak NG default voice, 32 kbit/s MP3, decoded) and the variants ${
        REFERENCE_VARIANTS.filter(Boolean).join(", ")
      } synthesised; speed 1, pitch 50`,
    probes: `eSpeak NG variants ${VARIANTS.join(", ")}, speeds ${SPEEDS.join("/")}, pitches ${
      PITCHES.join("/")
    }, 0.3 s + 0.4 s pauses, white noise at ${SNR_DB} dB SNR, through WAV decode`,
    competitors:
      `${COMPETITORS} other words of the language nearest by spelling (edit distance; romaji for Japanese)`,
    top_of_5:
      "share of words whose probe is closer to its own reference than to all four competitors",
    pairwise: "share of (word, competitor) pairs where the own reference is closer",
    top_of_5_through_mp3: "top_of_5 with the same probe encoded as 32 kbit/s MP3 and decoded",
  },
  score_2s_cpu_ms_all: percentiles(allTimes),
  // What CALIBRATION in domain/acoustic_scoring.ts is read from: the own word's
  // 90th percentile distance scores 80 (the pass mark), a competitor's median 20.
  calibration: (() => {
    const own90 = percentiles(allOwn).p90;
    const other50 = percentiles(allOther).p50;
    return {
      own_word_distance: percentiles(allOwn),
      other_word_distance: percentiles(allOther),
      suggested_midpoint: Math.round((own90 + other50) / 2 * 100) / 100,
      suggested_scale: Math.round((other50 - own90) / (2 * Math.log(4)) * 1000) / 1000,
      in_use: CALIBRATION,
    };
  })(),
  languages: results,
};
if (Deno.args.length) {
  // A run over some languages (`deno task bench:pronunciation fr`) only prints.
  console.log(JSON.stringify(report.calibration));
} else {
  await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(
    new URL("./results/pronunciation.json", import.meta.url),
    JSON.stringify(report, null, 2) + "\n",
  );
  console.log("wrote bench/results/pronunciation.json");
}
