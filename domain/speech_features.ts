/**
 * Speech features from samples at {@link ANALYSIS_RATE}: frame energies (for
 * finding the speech in a recording) and mel-frequency cepstral coefficients
 * with cepstral mean and variance normalisation (for comparing two recordings of a word).
 * Own implementation (radix-2 FFT, triangular mel filters, DCT-II) because it
 * is small, allocation-light and testable; no I/O.
 */
import { ANALYSIS_RATE } from "./pcm.ts";

/** 25 ms analysis windows every 10 ms: the usual speech framing. */
export const FRAME_LENGTH = 400;
export const FRAME_HOP = 160;
export const FRAME_MS = FRAME_HOP / ANALYSIS_RATE * 1000;
const FFT_SIZE = 512;
const MEL_BANDS = 26;
/** Cepstra 1…12; c0 (loudness) is left out so a quiet and a loud voice compare alike. */
export const CEPSTRA = 12;
const LOW_HZ = 100;
const HIGH_HZ = 7000;

/** Number of whole frames in `length` samples. */
export function frameCount(length: number): number {
  return length < FRAME_LENGTH ? 0 : 1 + Math.floor((length - FRAME_LENGTH) / FRAME_HOP);
}

/** Each frame's energy in dB relative to full scale (−100 for digital silence). */
export function frameEnergiesDb(samples: Float32Array): Float64Array {
  const frames = frameCount(samples.length);
  const out = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const start = f * FRAME_HOP;
    for (let i = start; i < start + FRAME_LENGTH; i++) sum += samples[i] * samples[i];
    out[f] = Math.max(-100, 10 * Math.log10(sum / FRAME_LENGTH + 1e-12));
  }
  return out;
}

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** In-place iterative radix-2 FFT of `re`/`im` (length a power of two). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  let table = twiddles.get(n);
  if (!table) {
    table = {
      cos: Float64Array.from({ length: n / 2 }, (_, k) => Math.cos(-2 * Math.PI * k / n)),
      sin: Float64Array.from({ length: n / 2 }, (_, k) => Math.sin(-2 * Math.PI * k / n)),
    };
    twiddles.set(n, table);
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = table.cos[k * stride];
        const wi = table.sin[k * stride];
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

/** A triangular filter: weights for the FFT bins from `first` on. */
interface MelFilter {
  first: number;
  weights: Float64Array;
}

const filterBanks = new Map<number, MelFilter[]>();

/**
 * Triangular mel filters over the FFT bins. `warp` scales the frequency axis
 * (vocal tract length normalisation): a warp above 1 reads a shorter vocal
 * tract's formants as if they were lower.
 */
function melFilters(warp: number): MelFilter[] {
  const cached = filterBanks.get(warp);
  if (cached) return cached;
  const bins = FFT_SIZE / 2 + 1;
  const low = hzToMel(LOW_HZ);
  const high = hzToMel(HIGH_HZ);
  const edges = Array.from(
    { length: MEL_BANDS + 2 },
    (_, i) => Math.min(ANALYSIS_RATE / 2, melToHz(low + (high - low) * i / (MEL_BANDS + 1)) * warp),
  );
  const filters = Array.from({ length: MEL_BANDS }, (_, m) => {
    const [left, center, right] = [edges[m], edges[m + 1], edges[m + 2]];
    const weights: number[] = [];
    let first = -1;
    for (let b = 0; b < bins; b++) {
      const hz = b * ANALYSIS_RATE / FFT_SIZE;
      const w = hz > left && hz <= center
        ? (hz - left) / (center - left)
        : hz > center && hz < right
        ? (right - hz) / (right - center)
        : 0;
      if (w > 0 && first < 0) first = b;
      if (first >= 0 && hz < right) weights.push(w);
    }
    return { first: Math.max(0, first), weights: Float64Array.from(weights) };
  });
  filterBanks.set(warp, filters);
  return filters;
}

const HAMMING = Float64Array.from(
  { length: FRAME_LENGTH },
  (_, i) => 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (FRAME_LENGTH - 1)),
);
const DCT = Array.from(
  { length: CEPSTRA },
  (_, k) =>
    Float64Array.from(
      { length: MEL_BANDS },
      (_, m) => Math.cos(Math.PI * (k + 1) * (m + 0.5) / MEL_BANDS),
    ),
);

/**
 * Power spectra of frames `from` to `to` (exclusive), with pre-emphasis and a
 * Hamming window: computed once, then read through as many filter banks as
 * the comparison tries.
 */
export function powerSpectra(
  samples: Float32Array,
  options: { from?: number; to?: number } = {},
): Float64Array[] {
  const from = Math.max(0, options.from ?? 0);
  const to = Math.min(options.to ?? Infinity, frameCount(samples.length));
  const re = new Float64Array(FFT_SIZE);
  const im = new Float64Array(FFT_SIZE);
  const out: Float64Array[] = [];
  for (let f = from; f < to; f++) {
    const start = f * FRAME_HOP;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < FRAME_LENGTH; i++) {
      const previous = start + i > 0 ? samples[start + i - 1] : 0;
      re[i] = (samples[start + i] - 0.97 * previous) * HAMMING[i];
    }
    fft(re, im);
    const power = new Float64Array(FFT_SIZE / 2 + 1);
    for (let b = 0; b < power.length; b++) power[b] = re[b] * re[b] + im[b] * im[b];
    out.push(power);
  }
  return out;
}

/** Cepstra c1…c12 of each power spectrum through the (warped) mel filters. */
export function cepstra(spectra: readonly Float64Array[], warp = 1): Float64Array[] {
  const filters = melFilters(warp);
  const logMel = new Float64Array(MEL_BANDS);
  return spectra.map((power) => {
    for (let m = 0; m < MEL_BANDS; m++) {
      const { first, weights } = filters[m];
      let sum = 0;
      for (let b = 0; b < weights.length; b++) sum += weights[b] * power[first + b];
      logMel[m] = Math.log(sum + 1e-10);
    }
    const c = new Float64Array(CEPSTRA);
    for (let k = 0; k < CEPSTRA; k++) {
      let sum = 0;
      const basis = DCT[k];
      for (let m = 0; m < MEL_BANDS; m++) sum += basis[m] * logMel[m];
      c[k] = sum;
    }
    return c;
  });
}

/** MFCCs (c1…c12) of frames `from` to `to` (exclusive). */
export function mfcc(
  samples: Float32Array,
  options: { from?: number; to?: number; warp?: number } = {},
): Float64Array[] {
  return cepstra(powerSpectra(samples, options), options.warp);
}

/**
 * Cepstral mean and variance normalisation: subtracting each coefficient's
 * mean over the utterance removes what the microphone and room add to every
 * frame alike; dividing by its spread evens out voices whose spectra move more
 * or less (and weighs every coefficient alike in the distance).
 */
export function normaliseCepstra(frames: Float64Array[]): Float64Array[] {
  if (!frames.length) return frames;
  const width = frames[0].length;
  const mean = new Float64Array(width);
  for (const f of frames) for (let k = 0; k < width; k++) mean[k] += f[k] / frames.length;
  const spread = new Float64Array(width);
  for (const f of frames) {
    for (let k = 0; k < width; k++) spread[k] += (f[k] - mean[k]) ** 2 / frames.length;
  }
  const scale = spread.map((v) => 1 / Math.sqrt(v + 1e-6));
  return frames.map((f) => f.map((v, k) => (v - mean[k]) * scale[k]));
}

/**
 * Appends first differences (over ±2 frames) to each frame: how the spectrum
 * moves, which tells transitions apart better than the static shape alone.
 */
export function withDeltas(frames: Float64Array[]): Float64Array[] {
  const n = frames.length;
  return frames.map((f, t) => {
    const out = new Float64Array(f.length * 2);
    out.set(f);
    const at = (i: number) => frames[Math.max(0, Math.min(n - 1, i))];
    for (let k = 0; k < f.length; k++) {
      out[f.length + k] = ((at(t + 1)[k] - at(t - 1)[k]) + 2 * (at(t + 2)[k] - at(t - 2)[k])) /
        10;
    }
    return out;
  });
}
