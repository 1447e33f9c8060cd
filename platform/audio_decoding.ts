/**
 * Turns what recorders produce into mono samples at {@link ANALYSIS_RATE}:
 * PCM WAV (read by domain/pcm.ts), Ogg/Opus (Firefox's MediaRecorder),
 * WebM/Opus (Chrome's; demuxed with ts-ebml) and MP3, all with wasm decoders
 * from npm, so it runs wherever Deno runs (Deno Deploy included: no native
 * addons). MP4/AAC (Safari before WebM support) is refused with 415: no
 * maintained wasm AAC decoder exists on npm.
 *
 * Decoding runs in bounded pieces (an Ogg chunk, a WebM block, an MP3 chunk)
 * and checks a deadline between pieces, and the decoded length is capped, so
 * neither a slow machine nor a crafted file keeps a request busy for long.
 */
// The codecs are imported on first use: each embeds its wasm in JavaScript, about
// 20 MB of every isolate's memory together, and most serving workers never decode.
import type { OpusDecoder } from "opus-decoder";
import { Buffer } from "node:buffer";
import type { AudioInfo } from "../domain/audio_format.ts";
import {
  ANALYSIS_RATE,
  AudioDecodeError,
  checkSampleRate,
  clippedShare,
  mixToMono,
  parseWav,
  type PcmAudio,
  resample,
} from "../domain/pcm.ts";

export { AudioDecodeError };

/** A recording ready for analysis. */
export interface DecodedRecording {
  /** Mono, at {@link ANALYSIS_RATE}. */
  samples: Float32Array;
  sampleRate: typeof ANALYSIS_RATE;
  /** What the file held. */
  source: { codec: "pcm" | "opus" | "mp3"; sampleRate: number; channels: number };
  durationMs: number;
  /** Share of source samples at full scale (clipping is lost once resampled). */
  clipped: number;
}

export interface DecodeOptions {
  maxSeconds: number;
  /** Wall-clock budget for decoding, checked between pieces. */
  budgetMs: number;
}

/** Decodes `bytes`, already sniffed as `info`; throws {@link AudioDecodeError}. */
export async function decodeRecording(
  bytes: Uint8Array,
  info: AudioInfo,
  options: DecodeOptions,
): Promise<DecodedRecording> {
  const deadline = performance.now() + options.budgetMs;
  const tick = () => {
    if (performance.now() > deadline) {
      throw new AudioDecodeError(
        400,
        "timeout",
        `The recording could not be decoded within ${options.budgetMs} ms`,
      );
    }
  };
  let pcm: PcmAudio;
  let codec: DecodedRecording["source"]["codec"];
  try {
    switch (info.format) {
      case "wav":
        pcm = parseWav(bytes, options.maxSeconds);
        codec = "pcm";
        break;
      case "ogg":
        pcm = await decodeOgg(bytes, info, options.maxSeconds, tick);
        codec = "opus";
        break;
      case "webm":
        pcm = await decodeWebm(bytes, options.maxSeconds, tick);
        codec = "opus";
        break;
      case "mp3":
        pcm = await decodeMp3(bytes, options.maxSeconds, tick);
        codec = "mp3";
        break;
      case "m4a":
        throw new AudioDecodeError(
          415,
          "unsupported_codec",
          "MP4/AAC recordings cannot be decoded here: record WebM/Opus, Ogg/Opus or WAV " +
            "(Safari 18.4+ MediaRecorder offers audio/webm;codecs=opus)",
        );
    }
  } catch (error) {
    if (error instanceof AudioDecodeError) throw error;
    // A decoder or demuxer that throws on garbage is a broken file, not a bug of ours.
    throw new AudioDecodeError(
      400,
      "corrupt",
      `The ${info.format.toUpperCase()} recording is corrupt (${(error as Error).message})`,
    );
  }
  const mono = mixToMono(pcm.channels);
  if (mono.length === 0) {
    throw new AudioDecodeError(400, "empty", "The recording holds no audio samples");
  }
  const durationMs = Math.round(mono.length / pcm.sampleRate * 1000);
  if (durationMs > options.maxSeconds * 1000) {
    throw new AudioDecodeError(
      400,
      "too_long",
      `The recording is longer than ${options.maxSeconds} seconds`,
    );
  }
  tick();
  return {
    samples: resample(mono, pcm.sampleRate, ANALYSIS_RATE),
    sampleRate: ANALYSIS_RATE,
    source: { codec, sampleRate: pcm.sampleRate, channels: pcm.channels.length },
    durationMs,
    clipped: clippedShare(pcm.channels),
  };
}

/** Appends decoded pieces per channel, refusing more than `maxSamples`. */
class Collector {
  private pieces: Float32Array[][] = [];
  private length = 0;
  constructor(private maxSamples: number, private maxSeconds: number) {}
  add(channelData: Float32Array[], samples: number) {
    if (samples <= 0) return;
    this.length += samples;
    if (this.length > this.maxSamples) {
      throw new AudioDecodeError(
        400,
        "too_long",
        `The recording is longer than ${this.maxSeconds} seconds`,
      );
    }
    // The decoders reuse their output buffers: copy.
    this.pieces.push(channelData.map((c) => c.slice(0, samples)));
  }
  result(sampleRate: number, channels: number): PcmAudio {
    const out = Array.from({ length: channels }, () => new Float32Array(this.length));
    let at = 0;
    for (const piece of this.pieces) {
      for (let c = 0; c < channels; c++) out[c].set(piece[Math.min(c, piece.length - 1)], at);
      at += piece[0].length;
    }
    return { sampleRate, channels: out };
  }
}

function firstError(errors: { message: string }[]): AudioDecodeError | null {
  return errors.length
    ? new AudioDecodeError(400, "corrupt", `The recording is corrupt: ${errors[0].message}`)
    : null;
}

// ---------------------------------------------------------------- Ogg

const OGG_CHUNK = 16 * 1024;

async function decodeOgg(
  bytes: Uint8Array,
  info: AudioInfo,
  maxSeconds: number,
  tick: () => void,
): Promise<PcmAudio> {
  if (info.codec !== "opus") {
    throw new AudioDecodeError(
      415,
      "unsupported_codec",
      `Ogg with ${info.codec ?? "an unknown codec"} is not supported: send Ogg/Opus`,
    );
  }
  checkOggPages(bytes);
  const channels = bytes[27 + bytes[26] + 9] || 1; // OpusHead channel count
  const { OggOpusDecoder } = await import("ogg-opus-decoder");
  const decoder = new OggOpusDecoder();
  await decoder.ready;
  try {
    const collected = new Collector(maxSeconds * 48000 + 48000, maxSeconds);
    for (let at = 0; at < bytes.length; at += OGG_CHUNK) {
      const out = await decoder.decode(bytes.subarray(at, at + OGG_CHUNK));
      const error = firstError(out.errors);
      if (error) throw error;
      collected.add(out.channelData, out.samplesDecoded);
      tick();
    }
    const rest = await decoder.flush();
    const error = firstError(rest.errors);
    if (error) throw error;
    collected.add(rest.channelData, rest.samplesDecoded);
    return collected.result(48000, Math.min(2, channels));
  } finally {
    decoder.free();
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/**
 * Walks every Ogg page: each must start where the previous ended, fit in the
 * file (else truncated) and match its CRC (else corrupt). The decoder would
 * skip a damaged page silently.
 */
export function checkOggPages(bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) {
    if (
      at + 27 > bytes.length ||
      !(bytes[at] === 0x4f && bytes[at + 1] === 0x67 && bytes[at + 2] === 0x67 &&
        bytes[at + 3] === 0x53)
    ) {
      if (at + 27 > bytes.length && at + 4 <= bytes.length) {
        throw new AudioDecodeError(400, "truncated", "The Ogg recording is truncated");
      }
      throw new AudioDecodeError(400, "corrupt", `The Ogg recording is corrupt at byte ${at}`);
    }
    const segments = bytes[at + 26];
    let size = 27 + segments;
    if (at + size > bytes.length) {
      throw new AudioDecodeError(400, "truncated", "The Ogg recording is truncated");
    }
    for (let s = 0; s < segments; s++) size += bytes[at + 27 + s];
    if (at + size > bytes.length) {
      throw new AudioDecodeError(400, "truncated", "The Ogg recording is truncated");
    }
    let crc = 0;
    for (let i = 0; i < size; i++) {
      // The CRC field itself (bytes 22–25) counts as zero.
      const byte = i >= 22 && i < 26 ? 0 : bytes[at + i];
      crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
    }
    const stored = (bytes[at + 22] | bytes[at + 23] << 8 | bytes[at + 24] << 16 |
      bytes[at + 25] << 24) >>> 0;
    if (crc !== stored) {
      throw new AudioDecodeError(400, "corrupt", `The Ogg recording is corrupt at byte ${at}`);
    }
    at += size;
  }
}

// ---------------------------------------------------------------- WebM

/** Opus's own pre-skip default when the track has no OpusHead. */
const DEFAULT_PRE_SKIP = 312;

const WEBM_CHUNK = 32 * 1024;

/**
 * Demuxes in chunks (ts-ebml decodes incrementally) and decodes each block as
 * it arrives, so a long or hostile file is stopped by the deadline or the
 * length cap part-way instead of being parsed whole first.
 */
async function decodeWebm(
  bytes: Uint8Array,
  maxSeconds: number,
  tick: () => void,
): Promise<PcmAudio> {
  const { Decoder: EbmlDecoder, tools: ebmlTools } = await import("ts-ebml");
  const { OpusDecoder } = await import("opus-decoder");
  const demuxer = new EbmlDecoder();
  let codecId: string | null = null;
  let audioTrack: number | null = null;
  let trackNumber: number | null = null;
  let trackType: number | null = null;
  let codecPrivate: Uint8Array | null = null;
  let rate = 48000;
  let channels = 1;
  let decoder: OpusDecoder<typeof ANALYSIS_RATE> | null = null;
  const collected = new Collector((maxSeconds + 1) * ANALYSIS_RATE, maxSeconds);
  /** Called at the first block: the track headers are complete by then. */
  const open = async () => {
    if (!codecId) {
      throw new AudioDecodeError(400, "corrupt", "The WebM recording has no audio track");
    }
    if (codecId !== "A_OPUS") {
      throw new AudioDecodeError(
        415,
        "unsupported_codec",
        `WebM with codec ${codecId} is not supported: send WebM/Opus`,
      );
    }
    checkSampleRate(rate);
    let preSkip = DEFAULT_PRE_SKIP;
    if (codecPrivate && codecPrivate.length >= 19) {
      channels = codecPrivate[9] || channels;
      preSkip = codecPrivate[10] | codecPrivate[11] << 8;
    }
    channels = Math.max(1, Math.min(2, channels));
    const opened = new OpusDecoder({ channels, preSkip, sampleRate: ANALYSIS_RATE });
    await opened.ready;
    return opened;
  };
  try {
    for (let at = 0; at < bytes.length; at += WEBM_CHUNK) {
      const chunk = bytes.slice(at, at + WEBM_CHUNK);
      for (const e of demuxer.decode(chunk.buffer)) {
        if (e.name === "TrackEntry" && e.type === "m") {
          if (!e.isEnd) trackNumber = trackType = null;
          else if (trackType === 2) audioTrack = trackNumber;
        } else if (e.name === "TrackNumber" && e.type === "u") trackNumber = e.value;
        else if (e.name === "TrackType" && e.type === "u") trackType = e.value;
        else if (e.name === "CodecID" && e.type === "s" && (trackType === 2 || !codecId)) {
          codecId = e.value;
        } else if (e.name === "CodecPrivate" && e.type === "b") codecPrivate = e.value;
        else if (e.name === "SamplingFrequency" && e.type === "f") rate = e.value;
        else if (e.name === "Channels" && e.type === "u") channels = e.value;
        else if ((e.name === "SimpleBlock" || e.name === "Block") && e.type === "b") {
          decoder ??= await open();
          const block = ebmlTools.ebmlBlock(
            Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length),
          );
          if (audioTrack !== null && block.trackNumber !== audioTrack) continue;
          for (const frame of block.frames) {
            const out = decoder.decodeFrame(
              new Uint8Array(frame.buffer, frame.byteOffset, frame.length),
            );
            const error = firstError(out.errors);
            if (error) throw error;
            collected.add(out.channelData, out.samplesDecoded);
          }
        }
      }
      tick();
    }
    decoder ??= await open(); // no blocks: still name a missing or foreign codec
    return collected.result(ANALYSIS_RATE, channels);
  } finally {
    decoder?.free();
  }
}

// ---------------------------------------------------------------- MP3

const MP3_CHUNK = 16 * 1024;

async function decodeMp3(
  bytes: Uint8Array,
  maxSeconds: number,
  tick: () => void,
): Promise<PcmAudio> {
  const { MPEGDecoder } = await import("mpg123-decoder");
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    let rate = 0;
    let channels = 1;
    const collected = new Collector(maxSeconds * 48000 + 48000, maxSeconds);
    for (let at = 0; at < bytes.length; at += MP3_CHUNK) {
      const out = decoder.decode(bytes.subarray(at, at + MP3_CHUNK));
      const error = firstError(out.errors);
      if (error) throw error;
      if (out.samplesDecoded) {
        if (rate && out.sampleRate !== rate) {
          throw new AudioDecodeError(400, "corrupt", "The MP3 recording changes sample rate");
        }
        rate = out.sampleRate;
        channels = out.channelData.length;
      }
      collected.add(out.channelData, out.samplesDecoded);
      tick();
    }
    if (!rate) throw new AudioDecodeError(400, "corrupt", "The MP3 recording has no audio frames");
    checkSampleRate(rate);
    return collected.result(rate, Math.min(2, channels));
  } finally {
    decoder.free();
  }
}
