/**
 * Recognising audio files from their bytes. The client's `Content-Type` and file
 * name are never trusted: the type is sniffed from magic numbers, and the
 * duration is read from the container's headers where the format records it
 * (WAV, MP3, Ogg, M4A); otherwise it is `null` rather than a guess.
 */

/** The formats we accept and serve, with the MIME type they are served as. */
export type AudioFormat = "wav" | "mp3" | "ogg" | "webm" | "m4a";

export const AUDIO_MIME_TYPES: Record<AudioFormat, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  webm: "audio/webm",
  m4a: "audio/mp4",
};

/** What the bytes turned out to be. */
export interface AudioInfo {
  format: AudioFormat;
  mimeType: string;
  /** From the headers; `null` when the format does not say (e.g. streamed WebM). */
  durationMs: number | null;
  /** Codec inside a container when we can tell (`opus`, `vorbis`). */
  codec: string | null;
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

/**
 * Sniffs the format of `bytes`; `null` when it is not one of the accepted audio
 * formats (a PNG, text, an unknown container).
 */
export function sniffAudio(bytes: Uint8Array): AudioInfo | null {
  if (bytes.length < 4) return null;
  const info = (format: AudioFormat, durationMs: number | null, codec: string | null = null) => ({
    format,
    mimeType: AUDIO_MIME_TYPES[format],
    durationMs: durationMs === null || !Number.isFinite(durationMs) || durationMs < 0
      ? null
      : Math.round(durationMs),
    codec,
  });
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") {
    return info("wav", wavDurationMs(bytes));
  }
  if (ascii(bytes, 0, 4) === "OggS") {
    const ogg = oggInfo(bytes);
    return info("ogg", ogg.durationMs, ogg.codec);
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return info("webm", null);
  }
  if (bytes.length >= 8 && ascii(bytes, 4, 4) === "ftyp") {
    return info("m4a", mp4DurationMs(bytes));
  }
  if (ascii(bytes, 0, 3) === "ID3" && bytes.length >= 10) {
    // ID3v2: a 10-byte header whose size is "syncsafe" (7 bits per byte), plus a
    // 10-byte footer when flag 0x10 is set; the first MPEG frame follows.
    const size = (bytes[6] & 0x7f) << 21 | (bytes[7] & 0x7f) << 14 | (bytes[8] & 0x7f) << 7 |
      (bytes[9] & 0x7f);
    const start = 10 + size + ((bytes[5] & 0x10) ? 10 : 0);
    const frame = findMpegFrame(bytes, start);
    // A tag with no audio frame after it is not an audio file we can play.
    return frame ? info("mp3", mp3DurationMs(bytes, frame)) : null;
  }
  const frame = parseMpegFrame(bytes, 0);
  if (frame) return info("mp3", mp3DurationMs(bytes, frame));
  return null;
}

// ---------------------------------------------------------------- WAV

/** RIFF chunks: `fmt ` gives the byte rate, `data` the length of the samples. */
function wavDurationMs(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let byteRate = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && at + 20 <= bytes.length) byteRate = view.getUint32(at + 16, true);
    if (id === "data") {
      if (!byteRate) return null;
      // Streamed WAVs declare 0 or 0xFFFFFFFF: count the bytes actually present.
      const available = bytes.length - (at + 8);
      const dataSize = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return (dataSize / byteRate) * 1000;
    }
    at += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  return null;
}

// ---------------------------------------------------------------- MP3

interface MpegFrame {
  offset: number;
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5. */
  version: number;
  layer: number;
  bitrateKbps: number;
  sampleRate: number;
  samplesPerFrame: number;
  mono: boolean;
}

const BITRATES: Record<string, number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = {
  1: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  2.5: [11025, 12000, 8000],
};

/** Reads an MPEG audio frame header at `at`; `null` unless every field is valid. */
function parseMpegFrame(bytes: Uint8Array, at: number): MpegFrame | null {
  if (at < 0 || at + 4 > bytes.length) return null;
  if (bytes[at] !== 0xff || (bytes[at + 1] & 0xe0) !== 0xe0) return null;
  const versionBits = (bytes[at + 1] >> 3) & 3;
  const layerBits = (bytes[at + 1] >> 1) & 3;
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15) {
    return null;
  }
  if (rateIndex === 3) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = 4 - layerBits;
  const table = BITRATES[`${version === 1 ? 1 : 2}-${layer}`];
  const samplesPerFrame = layer === 1 ? 384 : layer === 2 || version === 1 ? 1152 : 576;
  return {
    offset: at,
    version,
    layer,
    bitrateKbps: table[bitrateIndex],
    sampleRate: SAMPLE_RATES[version][rateIndex],
    samplesPerFrame,
    mono: (bytes[at + 3] >> 6) === 3,
  };
}

/** The first frame at or shortly after `start` (some encoders pad after the tag). */
function findMpegFrame(bytes: Uint8Array, start: number): MpegFrame | null {
  const end = Math.min(bytes.length - 4, start + 4096);
  for (let at = start; at <= end; at++) {
    const frame = parseMpegFrame(bytes, at);
    if (frame) return frame;
  }
  return null;
}

/**
 * A Xing/Info or VBRI header in the first frame gives the exact frame count
 * (VBR files); otherwise the first frame's bitrate is taken as constant.
 */
function mp3DurationMs(bytes: Uint8Array, frame: MpegFrame): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sideInfo = frame.version === 1 ? (frame.mono ? 17 : 32) : (frame.mono ? 9 : 17);
  const xingAt = frame.offset + 4 + sideInfo;
  let frames: number | null = null;
  if (xingAt + 12 <= bytes.length) {
    const tag = ascii(bytes, xingAt, 4);
    if ((tag === "Xing" || tag === "Info") && (view.getUint32(xingAt + 4) & 1)) {
      frames = view.getUint32(xingAt + 8);
    }
  }
  const vbriAt = frame.offset + 4 + 32;
  if (frames === null && vbriAt + 18 <= bytes.length && ascii(bytes, vbriAt, 4) === "VBRI") {
    frames = view.getUint32(vbriAt + 14);
  }
  if (frames !== null) return (frames * frame.samplesPerFrame / frame.sampleRate) * 1000;
  const audioBytes = bytes.length - frame.offset;
  return (audioBytes * 8) / frame.bitrateKbps;
}

// ---------------------------------------------------------------- Ogg

/**
 * The first page names the codec (`OpusHead`: granules count 48 kHz samples
 * after a pre-skip; `\x01vorbis`: its own sample rate); the last page's granule
 * position is the number of samples in the stream.
 */
function oggInfo(bytes: Uint8Array): { durationMs: number | null; codec: string | null } {
  if (bytes.length < 27) return { durationMs: null, codec: null };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments = bytes[26];
  const packet = 27 + segments;
  let codec: string | null = null;
  let sampleRate = 0;
  let preSkip = 0;
  if (packet + 19 <= bytes.length && ascii(bytes, packet, 8) === "OpusHead") {
    codec = "opus";
    sampleRate = 48000;
    preSkip = view.getUint16(packet + 10, true);
  } else if (packet + 16 <= bytes.length && ascii(bytes, packet + 1, 6) === "vorbis") {
    codec = "vorbis";
    sampleRate = view.getUint32(packet + 12, true);
  } else if (packet + 5 <= bytes.length && ascii(bytes, packet + 1, 4) === "FLAC") {
    codec = "flac";
  }
  if (!sampleRate) return { durationMs: null, codec };
  // Walk back from the end to the last page with a real granule position (-1
  // means "no packet ends on this page").
  for (let at = bytes.length - 27; at >= 0; at--) {
    if (bytes[at] !== 0x4f || ascii(bytes, at, 4) !== "OggS") continue;
    const low = view.getUint32(at + 6, true);
    const high = view.getUint32(at + 10, true);
    if (low === 0xffffffff && high === 0xffffffff) continue;
    const granule = high * 2 ** 32 + low;
    return { durationMs: (Math.max(0, granule - preSkip) / sampleRate) * 1000, codec };
  }
  return { durationMs: null, codec };
}

// ---------------------------------------------------------------- MP4 / M4A

/** `moov` → `mvhd` holds the movie's time scale and duration. */
function mp4DurationMs(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const findBox = (start: number, end: number, type: string): [number, number] | null => {
    let at = start;
    while (at + 8 <= end) {
      let size = view.getUint32(at);
      let header = 8;
      if (size === 1 && at + 16 <= end) {
        size = view.getUint32(at + 8) * 2 ** 32 + view.getUint32(at + 12);
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header) return null;
      if (ascii(bytes, at + 4, 4) === type) return [at + header, Math.min(end, at + size)];
      at += size;
    }
    return null;
  };
  const moov = findBox(0, bytes.length, "moov");
  if (!moov) return null;
  const mvhd = findBox(moov[0], moov[1], "mvhd");
  if (!mvhd) return null;
  const [at, end] = mvhd;
  const version = bytes[at];
  if (version === 1 && at + 32 <= end) {
    const scale = view.getUint32(at + 20);
    const duration = view.getUint32(at + 24) * 2 ** 32 + view.getUint32(at + 28);
    return scale ? (duration / scale) * 1000 : null;
  }
  if (at + 20 <= end) {
    const scale = view.getUint32(at + 12);
    return scale ? (view.getUint32(at + 16) / scale) * 1000 : null;
  }
  return null;
}

// ---------------------------------------------------------------- base64

/**
 * Decodes standard or URL-safe base64, with or without padding or a
 * `data:...;base64,` prefix (what a browser's FileReader produces). `null` when
 * the text is not base64.
 */
export function decodeBase64Audio(text: string): Uint8Array | null {
  let body = text.trim();
  const dataUrl = body.match(/^data:[\w.+/-]*(;[\w=.+-]+)*;base64,/i);
  if (dataUrl) body = body.slice(dataUrl[0].length);
  body = body.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 === 1) return null;
  body = body.padEnd(Math.ceil(body.length / 4) * 4, "=");
  try {
    const binary = atob(body);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- byte ranges

/** A `Range` request before the file's length is known (what a store can slice by). */
export type RangeSpec = { start: number; end?: number } | { suffix: number };

/**
 * Parses `Range: bytes=a-b`, `bytes=a-` or `bytes=-n`. Multiple ranges, other
 * units and malformed values give `null`: the whole file is answered, which
 * RFC 9110 allows for a range the server does not support.
 */
export function parseRange(header: string | undefined): RangeSpec | null {
  const m = header?.trim().match(/^bytes=(\d{0,15})-(\d{0,15})$/i);
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === "") return { start };
  const end = Number(m[2]);
  return end < start ? null : { start, end };
}

/** A range resolved against the file's length: inclusive byte offsets, or 416. */
export type ResolvedRange = { start: number; end: number } | "unsatisfiable";

/** Resolves a parsed range against a file of `size` bytes. */
export function resolveRange(spec: RangeSpec, size: number): ResolvedRange {
  if ("suffix" in spec) {
    if (spec.suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  if (spec.start >= size) return "unsatisfiable";
  return { start: spec.start, end: Math.min(spec.end ?? size - 1, size - 1) };
}
