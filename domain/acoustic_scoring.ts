/**
 * Scoring a recording of a word against a reference recording, from the audio
 * alone: first checks that there is something to score (silence, level,
 * clipping, noise, length for the word's syllables), then MFCC features with
 * cepstral mean and variance normalisation aligned by dynamic time warping
 * against one or more references (several voices), turned into
 * 0–100 by the calibration below. Pure: samples in, numbers out.
 */
import type { Locale } from "./content_schema.ts";
import {
  cepstra,
  FRAME_MS,
  frameEnergiesDb,
  normaliseCepstra,
  powerSpectra,
  withDeltas,
} from "./speech_features.ts";

// ---------------------------------------------------------------- finding the speech

/** Where the speech is, in frames, and how loud it and the background are. */
export interface SpeechSpan {
  /** First and one-past-last speech frame (0, 0 when none). */
  start: number;
  end: number;
  peakDb: number;
  /** Median level of the speech frames. */
  speechDb: number;
  /**
   * The background: the median level of the frames before and after the
   * speech, or where there are fewer than {@link MIN_BACKGROUND_FRAMES} of them
   * (noise loud enough to pass for speech, or no pause), the quietest 3%.
   */
  noiseDb: number;
}

/** Frames in a row above the threshold that make speech (a click makes two or three). */
const MIN_RUN = 5;
const MIN_BACKGROUND_FRAMES = 10;

function percentile(values: ArrayLike<number>, p: number): number {
  if (!values.length) return -100;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Speech frames are those well above the quietest tenth of the recording (8
 * dB, or 15 dB under the peak when the recording has no pauses) and within 35
 * dB of the loudest frame; the span runs from the first to the last run of at
 * least {@link MIN_RUN} of them, padded by two frames.
 */
export function findSpeech(samples: Float32Array): SpeechSpan {
  const energies = frameEnergiesDb(samples);
  const peakDb = energies.length ? Math.max(...energies) : -100;
  const floor = percentile(energies, 0.1);
  const threshold = Math.max(peakDb - 35, Math.min(floor + 8, peakDb - 15));
  let start = -1;
  let end = -1;
  let run = 0;
  for (let f = 0; f < energies.length; f++) {
    run = energies[f] > threshold ? run + 1 : 0;
    if (run >= MIN_RUN) {
      if (start < 0) start = f - MIN_RUN + 1;
      end = f + 1;
    }
  }
  if (start < 0) return { start: 0, end: 0, peakDb, speechDb: -100, noiseDb: floor };
  start = Math.max(0, start - 2);
  end = Math.min(energies.length, end + 2);
  const speech = energies.subarray(start, end).filter((e) => e > threshold);
  const background = [...energies.subarray(0, start), ...energies.subarray(end)];
  return {
    start,
    end,
    peakDb,
    speechDb: percentile(speech, 0.5),
    noiseDb: background.length >= MIN_BACKGROUND_FRAMES
      ? percentile(background, 0.5)
      : percentile(energies, 0.03),
  };
}

// ---------------------------------------------------------------- signal checks

export type SignalIssue =
  | "silence"
  | "near_silence"
  | "too_short"
  | "too_long"
  | "clipping"
  | "noise";

/** Issues that leave nothing worth scoring. */
const BLOCKING: ReadonlySet<SignalIssue> = new Set([
  "silence",
  "near_silence",
  "too_short",
  "too_long",
]);

export interface SignalCheck {
  /** False when a blocking issue means there is no score. */
  scoreable: boolean;
  issues: { code: SignalIssue; blocking: boolean; message: string }[];
  speech: SpeechSpan;
  speechMs: number;
  /** Expected length of the word said clearly, from its syllables. */
  expectedMs: { min: number; max: number };
  /** Speech over background, dB. */
  snrDb: number;
}

/** Thresholds of the signal checks (dBFS, shares and milliseconds). */
export const SIGNAL_LIMITS = {
  silencePeakDb: -55,
  nearSilencePeakDb: -42,
  clippedShare: 0.005,
  noisySnrDb: 15,
  /** Per syllable, plus a fixed part for the word's onset and release. */
  minMsPerSyllable: 60,
  minMs: 120,
  maxMsPerSyllable: 600,
  maxExtraMs: 1200,
} as const;

/**
 * The checks before scoring, each with its own feedback. `clipped` is the
 * share of full-scale samples in the source (resampling hides clipping).
 */
export function checkRecording(
  samples: Float32Array,
  args: { clipped: number; syllables: number; locale: Locale },
): SignalCheck {
  const L = SIGNAL_LIMITS;
  const speech = findSpeech(samples);
  const speechMs = (speech.end - speech.start) * FRAME_MS;
  const syllables = Math.max(1, args.syllables);
  const expectedMs = {
    min: Math.max(L.minMs, L.minMsPerSyllable * syllables),
    max: L.maxExtraMs + L.maxMsPerSyllable * syllables,
  };
  const snrDb = speech.speechDb - speech.noiseDb;
  const codes: SignalIssue[] = [];
  if (speech.peakDb < L.silencePeakDb) codes.push("silence");
  else if (speech.peakDb < L.nearSilencePeakDb) codes.push("near_silence");
  else {
    if (speechMs < expectedMs.min) codes.push("too_short");
    if (speechMs > expectedMs.max) codes.push("too_long");
    if (snrDb < L.noisySnrDb) codes.push("noise");
  }
  if (args.clipped > L.clippedShare) codes.push("clipping");
  return {
    scoreable: !codes.some((c) => BLOCKING.has(c)),
    issues: codes.map((code) => ({
      code,
      blocking: BLOCKING.has(code),
      message: SIGNAL_MESSAGES[code][args.locale] ?? SIGNAL_MESSAGES[code].en,
    })),
    speech,
    speechMs: Math.round(speechMs),
    expectedMs,
    snrDb: Math.round(snrDb * 10) / 10,
  };
}

const SIGNAL_MESSAGES: Record<SignalIssue, Record<Locale, string>> = {
  silence: {
    en: "The recording is silent: check that the microphone is on and allowed, then try again.",
    es: "La grabación está en silencio: comprueba que el micrófono está activado y permitido.",
  },
  near_silence: {
    en: "The recording is too quiet to hear the word: speak up or move closer to the microphone.",
    es:
      "La grabación es demasiado baja para oír la palabra: habla más alto o acércate al micrófono.",
  },
  too_short: {
    en: "The recording is far too short for this word: say the whole word, not just its start.",
    es: "La grabación es demasiado corta para esta palabra: di la palabra entera.",
  },
  too_long: {
    en: "The recording is far too long for this word: record just the word, on its own.",
    es: "La grabación es demasiado larga para esta palabra: graba solo la palabra.",
  },
  clipping: {
    en: "The recording is distorted (too loud): move back from the microphone or speak softer.",
    es: "La grabación está distorsionada (demasiado fuerte): aléjate un poco del micrófono.",
  },
  noise: {
    en: "There is a lot of background noise: a quieter place will give a more reliable score.",
    es: "Hay mucho ruido de fondo: en un lugar más tranquilo la puntuación será más fiable.",
  },
};

// ---------------------------------------------------------------- features and alignment

/** Features of one utterance: normalised cepstra with deltas, speech frames only. */
export interface Utterance {
  /** One set per vocal-tract warp tried (the reference has just the unwarped one). */
  variants: Float64Array[][];
  /** Milliseconds of the first feature frame within the recording. */
  offsetMs: number;
}

/** Frequency warps tried for the learner's recording: voices differ in vocal tract length. */
export const WARPS = [0.88, 0.94, 1, 1.06, 1.12] as const;

/** Features of the speech in `samples` (found by {@link findSpeech} unless given). */
export function utteranceFeatures(
  samples: Float32Array,
  options: { span?: SpeechSpan; warps?: readonly number[] } = {},
): Utterance {
  const span = options.span ?? findSpeech(samples);
  const spectra = powerSpectra(samples, { from: span.start, to: span.end });
  return {
    variants: (options.warps ?? [1]).map((w) => withDeltas(normaliseCepstra(cepstra(spectra, w)))),
    offsetMs: span.start * FRAME_MS,
  };
}

function distance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Symmetric dynamic time warping of `probe` onto `reference` (Sakoe and Chiba:
 * a diagonal step counts its distance twice, so the path's total weight is
 * n + m whatever its shape), within a band around the diagonal so one frame
 * cannot absorb the whole other utterance. Returns the total over n + m, the
 * mean distance per frame, and per reference frame the mean distance of the
 * probe frames aligned to it.
 */
export function dtw(
  reference: readonly Float64Array[],
  probe: readonly Float64Array[],
): { cost: number; perReference: Float64Array } {
  const n = reference.length;
  const m = probe.length;
  if (!n || !m) return { cost: Infinity, perReference: new Float64Array(n) };
  const band = Math.max(8, Math.ceil(0.4 * Math.max(n, m)));
  const total = new Float64Array(n * m).fill(Infinity);
  const local = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const center = Math.round(i * (m - 1) / Math.max(1, n - 1));
    const lo = Math.max(0, center - band);
    const hi = Math.min(m - 1, center + band);
    for (let j = lo; j <= hi; j++) {
      const d = distance(reference[i], probe[j]);
      local[i * m + j] = d;
      if (i === 0 && j === 0) {
        total[0] = 2 * d;
        continue;
      }
      const diagonal = i > 0 && j > 0 ? total[(i - 1) * m + j - 1] + 2 * d : Infinity;
      const down = i > 0 ? total[(i - 1) * m + j] + d : Infinity;
      const right = j > 0 ? total[i * m + j - 1] + d : Infinity;
      total[i * m + j] = Math.min(diagonal, down, right);
    }
  }
  const end = n * m - 1;
  if (total[end] === Infinity) return { cost: Infinity, perReference: new Float64Array(n) };
  // Walk back along the path to spread its cost over the reference frames.
  const sums = new Float64Array(n);
  const counts = new Float64Array(n);
  let i = n - 1;
  let j = m - 1;
  while (true) {
    sums[i] += local[i * m + j];
    counts[i]++;
    if (i === 0 && j === 0) break;
    const here = total[i * m + j];
    const d = local[i * m + j];
    if (i > 0 && j > 0 && here === total[(i - 1) * m + j - 1] + 2 * d) {
      i--;
      j--;
    } else if (j === 0 || (i > 0 && here === total[(i - 1) * m + j] + d)) i--;
    else j--;
  }
  return {
    cost: total[end] / (n + m),
    perReference: sums.map((s, k) => s / Math.max(1, counts[k])),
  };
}

// ---------------------------------------------------------------- score

/**
 * The calibration from mean DTW distance to 0–100: a logistic curve, 50 at
 * `midpoint`, 80 and 20 at `midpoint` ∓ 1.39 `scale` (ln 4).
 * Read from `deno task bench:pronunciation` (bench/results/pronunciation.json,
 * `calibration`): over all six languages, a recording's distance to its own
 * word's references at the 90th percentile scores 80 (the pass mark), and the
 * median distance to a similar-looking other word scores 20. So nine in ten
 * recordings of the right word pass, and a different word rarely does.
 */
export const CALIBRATION = { midpoint: 3.16, scale: 0.191 } as const;

export function scoreFromDistance(d: number): number {
  if (!Number.isFinite(d)) return 0;
  return Math.round(100 / (1 + Math.exp((d - CALIBRATION.midpoint) / CALIBRATION.scale)));
}

export interface AcousticComparison {
  score: number;
  /** Mean DTW distance (what the score is calibrated from). */
  distance: number;
  /** Which reference (index) and which vocal-tract warp of the probe matched best. */
  reference: number;
  warp: number;
  /** Per frame of the best reference, the mean distance of the probe frames aligned to it. */
  perReference: Float64Array;
}

/**
 * Compares a learner's utterance (several warps) with each reference (the same
 * word in several voices) and keeps the closest pair: a learner is not marked
 * down for sounding like one voice rather than another.
 */
export function compareUtterances(
  references: readonly Utterance[],
  probe: Utterance,
): AcousticComparison {
  let best: { cost: number; perReference: Float64Array; reference: number; warp: number } = {
    cost: Infinity,
    perReference: new Float64Array(0),
    reference: 0,
    warp: 1,
  };
  references.forEach((reference, r) => {
    probe.variants.forEach((variant, k) => {
      const result = dtw(reference.variants[0], variant);
      if (result.cost < best.cost) {
        best = {
          ...result,
          reference: r,
          warp: probe.variants.length === WARPS.length ? WARPS[k] : 1,
        };
      }
    });
  });
  return {
    score: scoreFromDistance(best.cost),
    distance: Math.round(best.cost * 1000) / 1000,
    reference: best.reference,
    warp: best.warp,
    perReference: best.perReference,
  };
}

/**
 * Where along the model the alignment cost peaks, 0–1: the centre of the
 * costliest 110 ms stretch (±5 frames), so one odd frame does not decide it.
 */
export function costPeak(perReference: Float64Array): number {
  const n = perReference.length;
  if (n <= 1) return 0.5;
  let best = -Infinity;
  let from = 0;
  let to = 0; // the first run of frames whose stretch is costliest: its middle counts
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, i - 5); k <= Math.min(n - 1, i + 5); k++, count++) {
      sum += perReference[k];
    }
    const mean = sum / count;
    if (mean > best + 1e-9) {
      best = mean;
      from = to = i;
    } else if (mean > best - 1e-9 && to === i - 1) to = i;
  }
  return Math.round(((from + to) / 2 + 0.5) / n * 100) / 100;
}

const VOWELS = /[aeiouyæøœɐɑɒɔəɘɛɜɞɤɨɪʉʊʌʏɯɵ]/u;

/**
 * Each syllable's share of the word, as its sounds' share (vowels count
 * double: they last longer), as [start, end) fractions. An approximation: the
 * reference carries no phone timings.
 */
export function syllableSpans(syllableIpas: readonly string[]): [number, number][] {
  const weights = syllableIpas.map((s) =>
    [...s.normalize("NFD").replace(/[\u0300-\u036f ːˑ͡]/g, "")]
      .reduce((w, ch) => w + (VOWELS.test(ch) ? 2 : 1), 0) || 1
  );
  const total = weights.reduce((a, b) => a + b, 0);
  let edge = 0;
  return weights.map((w) => {
    const start = edge;
    edge += w / total;
    return [start, edge];
  });
}

/**
 * The mean alignment cost over each syllable's stretch of the reference: where
 * the learner's recording strays from the model, syllable by syllable.
 */
export function syllableCosts(
  perReference: Float64Array,
  syllableIpas: readonly string[],
): number[] {
  const n = perReference.length;
  return syllableSpans(syllableIpas).map(([start, end]) => {
    const from = Math.min(n - 1, Math.floor(start * n));
    const to = Math.max(from + 1, Math.round(end * n));
    let sum = 0;
    for (let i = from; i < to && i < n; i++) sum += perReference[i];
    return n ? Math.round(sum / (Math.min(to, n) - from) * 100) / 100 : 0;
  });
}
