/**
 * Raw samples from recordings: reading PCM WAV by hand (the format is a header
 * and plain samples), mixing channels to mono and resampling to the one rate
 * the scorer works at. Compressed formats are decoded by wasm decoders in
 * platform/audio_decoding.ts; they end up here too.
 */

/** Every recording is scored at this rate: speech carries little above 8 kHz. */
export const ANALYSIS_RATE = 16000;
/** Sample rates a recording may have (telephone to studio). */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 48000;

/** Why a recording could not be turned into samples; `status` is the HTTP answer. */
export class AudioDecodeError extends Error {
  constructor(
    /** 415 for a codec or layout we do not decode, 400 for broken or out-of-range audio. */
    readonly status: 400 | 415,
    /** Machine-readable: `corrupt`, `truncated`, `unsupported_codec`, `sample_rate`, `too_long`, `timeout`, `empty`. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Decoded audio before mixing: one array per channel, samples in [-1, 1]. */
export interface PcmAudio {
  sampleRate: number;
  channels: Float32Array[];
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Reads a RIFF/WAVE file: integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit
 * float, plain or WAVE_FORMAT_EXTENSIBLE, 1–8 channels. A `data` chunk that
 * declares more bytes than the file holds is truncated (400), except the
 * placeholder sizes that streaming writers leave behind.
 */
export function parseWav(bytes: Uint8Array, maxSeconds: number): PcmAudio {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WAVE") {
    throw new AudioDecodeError(400, "corrupt", "Not a RIFF/WAVE file");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: { tag: number; channels: number; rate: number; bits: number; align: number } | null =
    null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      if (size < 16 || body + 16 > bytes.length) {
        throw new AudioDecodeError(400, "corrupt", "The WAV format chunk is cut short");
      }
      let tag = view.getUint16(body, true);
      if (tag === EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        // The first two bytes of the sub-format GUID are the real format tag.
        tag = view.getUint16(body + 24, true);
      }
      format = {
        tag,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!format) {
        throw new AudioDecodeError(400, "corrupt", "The WAV file has samples before its format");
      }
      const available = bytes.length - body;
      // Writers to a pipe cannot seek back to fill in the size: they leave 0,
      // 0xFFFFFFFF or (eSpeak, SoX) 0x7FFFF000 and up.
      const streamed = size === 0 || size >= 0x7ffff000;
      if (!streamed && size > available + format.align) {
        throw new AudioDecodeError(
          400,
          "truncated",
          `The WAV file is truncated: ${size} bytes of samples declared, ${available} present`,
        );
      }
      return readSamples(
        bytes.subarray(body, body + Math.min(streamed ? available : size, available)),
        format,
        maxSeconds,
      );
    }
    at = body + size + (size % 2);
  }
  throw new AudioDecodeError(400, format ? "truncated" : "corrupt", "The WAV file has no samples");
}

function readSamples(
  data: Uint8Array,
  f: { tag: number; channels: number; rate: number; bits: number },
  maxSeconds: number,
): PcmAudio {
  const integer = f.tag === PCM && [8, 16, 24, 32].includes(f.bits);
  const float = f.tag === IEEE_FLOAT && (f.bits === 32 || f.bits === 64);
  if (!integer && !float) {
    throw new AudioDecodeError(
      415,
      "unsupported_codec",
      `WAV with format ${f.tag} at ${f.bits} bits is not supported: send PCM (8–32-bit) or 32-bit float`,
    );
  }
  if (f.channels < 1 || f.channels > 8) {
    throw new AudioDecodeError(400, "corrupt", `A WAV file with ${f.channels} channels`);
  }
  checkSampleRate(f.rate);
  const width = f.bits / 8;
  const frameBytes = width * f.channels;
  const frames = Math.floor(data.length / frameBytes);
  if (frames / f.rate > maxSeconds) {
    throw new AudioDecodeError(
      400,
      "too_long",
      `The recording is longer than ${maxSeconds} seconds`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const channels = Array.from({ length: f.channels }, () => new Float32Array(frames));
  const read: (at: number) => number = float
    ? (f.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true))
    : f.bits === 8
    ? (at) => (data[at] - 128) / 128 // 8-bit WAV is unsigned
    : f.bits === 16
    ? (at) => view.getInt16(at, true) / 32768
    : f.bits === 24
    ? (at) => ((data[at] | data[at + 1] << 8 | data[at + 2] << 16) << 8 >> 8) / 8388608
    : (at) => view.getInt32(at, true) / 2147483648;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < f.channels; c++) {
      const v = read(i * frameBytes + c * width);
      // NaN or huge floats would poison every later sum.
      channels[c][i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }
  }
  return { sampleRate: f.rate, channels };
}

/** 400 for a sample rate no microphone records speech at. */
export function checkSampleRate(rate: number): void {
  if (!(rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE)) {
    throw new AudioDecodeError(
      400,
      "sample_rate",
      `Sample rate ${rate} Hz is out of range (${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz)`,
    );
  }
}

/** The channels averaged into one. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(length);
  for (const channel of channels) {
    for (let i = 0; i < length; i++) out[i] += channel[i];
  }
  for (let i = 0; i < length; i++) out[i] /= channels.length;
  return out;
}

/** Share of samples at full scale in any channel: the microphone was overdriven there. */
export function clippedShare(channels: readonly Float32Array[]): number {
  let clipped = 0;
  let total = 0;
  for (const channel of channels) {
    for (let i = 0; i < channel.length; i++) if (Math.abs(channel[i]) >= 0.99) clipped++;
    total += channel.length;
  }
  return total ? clipped / total : 0;
}

/** Fractional positions are rounded to 1/PHASES of an input sample. */
const PHASES = 256;
const ZERO_CROSSINGS = 16;
const kernels = new Map<string, { taps: number; table: Float32Array }>();

/**
 * One windowed-sinc kernel (Blackman window, 16 zero crossings each side,
 * cut-off at the lower Nyquist) per fractional phase, normalised to unit gain
 * and cached per rate pair, so resampling is multiply-adds only.
 */
function kernelFor(from: number, to: number) {
  const key = `${from}>${to}`;
  const cached = kernels.get(key);
  if (cached) return cached;
  const cutoff = Math.min(1, to / from); // relative to the input's Nyquist
  const half = ZERO_CROSSINGS / cutoff; // filter half-width in input samples
  const reach = Math.ceil(half);
  const taps = 2 * reach + 1;
  const table = new Float32Array((PHASES + 1) * taps);
  for (let p = 0; p <= PHASES; p++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const x = k - reach - p / PHASES;
      if (Math.abs(x) >= half) continue;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
      const w = 0.42 + 0.5 * Math.cos(Math.PI * x / half) +
        0.08 * Math.cos(2 * Math.PI * x / half);
      table[p * taps + k] = sinc * w;
      sum += sinc * w;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] /= sum;
  }
  const kernel = { taps, table };
  kernels.set(key, kernel);
  return kernel;
}

/**
 * Resamples with a windowed-sinc low-pass, so a 48 kHz recording's content
 * above 8 kHz does not fold back into the speech band.
 */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const { taps, table } = kernelFor(from, to);
  const reach = (taps - 1) / 2;
  const length = Math.floor(samples.length * to / from);
  const out = new Float32Array(length);
  const last = samples.length - 1;
  for (let i = 0; i < length; i++) {
    const center = i * from / to;
    const base = Math.floor(center);
    const offset = Math.round((center - base) * PHASES) * taps;
    const first = base - reach;
    let sum = 0;
    for (let k = Math.max(0, -first); k < taps && first + k <= last; k++) {
      sum += samples[first + k] * table[offset + k];
    }
    out[i] = sum;
  }
  return out;
}
