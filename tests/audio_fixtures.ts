/**
 * Tiny, valid audio files generated in code for the tests and the browser
 * check: a PCM WAV (silence or a sine tone), an Ogg Opus stream's first and
 * last pages, MP3 frames behind an ID3 tag, a WebM EBML header and an M4A with
 * `ftyp` and `moov/mvhd`.
 */

/** 16-bit mono PCM WAV; a sine tone at `frequency` Hz, or silence when 0. */
export function wavFile(
  seconds: number,
  options: { sampleRate?: number; frequency?: number } = {},
): Uint8Array {
  const rate = options.sampleRate ?? 8000;
  const samples = Math.round(seconds * rate);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) =>
    [...s].forEach((ch, i) => (bytes[at + i] = ch.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // byte rate
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples * 2, true);
  const f = options.frequency ?? 0;
  for (let i = 0; i < samples; i++) {
    const v = f ? Math.round(Math.sin((2 * Math.PI * f * i) / rate) * 12000) : 0;
    view.setInt16(44 + i * 2, v, true);
  }
  return bytes;
}

function oggPage(headerType: number, granule: number, sequence: number, packet: Uint8Array) {
  const page = new Uint8Array(27 + 1 + packet.length);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0); // OggS
  page[5] = headerType;
  view.setUint32(6, granule % 2 ** 32, true);
  view.setUint32(10, Math.floor(granule / 2 ** 32), true);
  view.setUint32(14, 0x1234, true); // serial
  view.setUint32(18, sequence, true);
  page[26] = 1;
  page[27] = packet.length;
  page.set(packet, 28);
  return page;
}

/** An Ogg Opus stream of `seconds`: OpusHead page, then an end page with the granule. */
export function oggOpusFile(seconds: number): Uint8Array {
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode("OpusHead"), 0);
  const view = new DataView(head.buffer);
  head[8] = 1;
  head[9] = 1;
  view.setUint16(10, 312, true); // pre-skip
  view.setUint32(12, 48000, true);
  const first = oggPage(2, 0, 0, head);
  const last = oggPage(4, 312 + seconds * 48000, 1, new Uint8Array([0xfc, 0xff, 0xfe]));
  return concat(first, last);
}

/** `frames` MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz) behind an empty ID3v2 tag. */
export function mp3File(frames: number, withId3 = true): Uint8Array {
  const frameLength = 417; // 144 * 128000 / 44100
  const frame = new Uint8Array(frameLength);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  const id3 = withId3 ? new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]) : new Uint8Array();
  return concat(id3, ...Array.from({ length: frames }, () => frame));
}

/** The start of a WebM file: the EBML header with DocType "webm". */
export function webmFile(): Uint8Array {
  return new Uint8Array([
    0x1a,
    0x45,
    0xdf,
    0xa3,
    0x9f,
    0x42,
    0x86,
    0x81,
    0x01,
    0x42,
    0xf7,
    0x81,
    0x01,
    0x42,
    0xf2,
    0x81,
    0x04,
    0x42,
    0xf3,
    0x81,
    0x08,
    0x42,
    0x82,
    0x84,
    0x77,
    0x65,
    0x62,
    0x6d,
    0x42,
    0x87,
    0x81,
    0x04,
    0x42,
    0x85,
    0x81,
    0x02,
    0x18,
    0x53,
    0x80,
    0x67,
  ]);
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(...parts);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  return out;
}

/** An M4A: `ftyp` (M4A brand) and `moov/mvhd` with the given duration. */
export function m4aFile(durationMs: number): Uint8Array {
  const ftyp = box("ftyp", new TextEncoder().encode("M4A \0\0\0\0M4A isom"));
  const mvhd = new Uint8Array(100);
  const view = new DataView(mvhd.buffer);
  view.setUint32(12, 1000); // time scale
  view.setUint32(16, durationMs);
  return concat(ftyp, box("moov", box("mvhd", mvhd)));
}

/** A PNG signature and header: an image, not audio. */
export function pngFile(): Uint8Array {
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * A WAV holding exactly `channels` (samples in [-1, 1]) as integer PCM of
 * `bits` bits or 32-bit float, optionally as WAVE_FORMAT_EXTENSIBLE.
 */
export function pcmWav(
  channels: readonly ArrayLike<number>[],
  options: { rate: number; bits: 8 | 16 | 24 | 32; float?: boolean; extensible?: boolean },
): Uint8Array {
  const { rate, bits } = options;
  const width = bits / 8;
  const frames = channels[0].length;
  const fmtSize = options.extensible ? 40 : 16;
  const dataSize = frames * width * channels.length;
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8 + dataSize);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string) =>
    [...s].forEach((ch, i) => (bytes[at + i] = ch.charCodeAt(0)));
  const tag = options.float ? 3 : 1;
  ascii(0, "RIFF");
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, options.extensible ? 0xfffe : tag, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * width * channels.length, true);
  view.setUint16(32, width * channels.length, true);
  view.setUint16(34, bits, true);
  if (options.extensible) {
    view.setUint16(36, 22, true); // extension size
    view.setUint16(38, bits, true); // valid bits
    view.setUint16(44, tag, true); // sub-format GUID starts with the tag
  }
  const data = 20 + fmtSize;
  ascii(data, "data");
  view.setUint32(data + 4, dataSize, true);
  let at = data + 8;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const v = Math.max(-1, Math.min(1, channel[i]));
      if (options.float) view.setFloat32(at, v, true);
      else if (bits === 8) bytes[at] = Math.round(v * 127) + 128;
      else if (bits === 16) view.setInt16(at, Math.round(v * 32767), true);
      else if (bits === 24) {
        const n = Math.round(v * 8388607);
        bytes[at] = n & 0xff;
        bytes[at + 1] = (n >> 8) & 0xff;
        bytes[at + 2] = (n >> 16) & 0xff;
      } else view.setInt32(at, Math.round(v * 2147483647), true);
      at += width;
    }
  }
  return bytes;
}

/** A sine tone of `seconds` at `frequency` Hz and peak `amplitude`, at `rate`. */
export function tone(
  seconds: number,
  frequency: number,
  options: { rate?: number; amplitude?: number } = {},
): Float32Array {
  const rate = options.rate ?? 16000;
  const amplitude = options.amplitude ?? 0.5;
  return Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amplitude * Math.sin(2 * Math.PI * frequency * i / rate),
  );
}

/** A committed recording from tests/fixtures/ (see tests/fixtures/README.md). */
export function fixture(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}
