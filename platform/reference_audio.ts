/**
 * Reference recordings of words and sentences: eSpeak NG speech encoded as
 * MP3 (LAME compiled to wasm, `wasm-media-encoders`), mono 22.05 kHz at a
 * constant 32 kbit/s: 4 KB a second, an eighth of 16 kHz 16-bit WAV, and
 * playable by every browser's `<audio>` element, Safari included (Ogg Vorbis
 * is not).
 */
import { createMp3Encoder } from "wasm-media-encoders";
import { SPEECH_ENGINE, synthesize } from "./speech_synthesis.ts";
import { sha256Hex } from "./tokens.ts";

/** The encoding: part of the content key, so changing it re-renders every clip. */
export const REFERENCE_FORMAT = "mp3-cbr32-mono";
const BITRATE_KBPS = 32;

export interface ReferenceAudio {
  data: Uint8Array;
  mimeType: "audio/mpeg";
  durationMs: number;
}

/**
 * What identifies a clip's content: engine, encoding, voice and text. Stored in
 * an indexed column so a reseed skips clips it already has; never used as the
 * public id (a client could hash a listening question's options and match).
 */
export function referenceKey(text: string, voice: string): string {
  return sha256Hex(JSON.stringify([SPEECH_ENGINE, REFERENCE_FORMAT, voice, text.normalize("NFC")]));
}

type Encoder = Awaited<ReturnType<typeof createMp3Encoder>>;
let encoder: Promise<Encoder> | undefined;

/** Speaks `text` with `voice` and encodes it as MP3. */
export async function renderReferenceAudio(text: string, voice: string): Promise<ReferenceAudio> {
  const speech = await synthesize({ text, voice });
  encoder ??= createMp3Encoder();
  const mp3 = await encoder;
  // configure() resets the encoder, so one instance serves every clip; the
  // calls below are synchronous and cannot interleave.
  mp3.configure({ sampleRate: speech.sampleRate, channels: 1, bitrate: BITRATE_KBPS });
  const body = mp3.encode([speech.samples]).slice();
  const tail = mp3.finalize().slice();
  const data = new Uint8Array(body.length + tail.length);
  data.set(body);
  data.set(tail, body.length);
  return {
    data,
    mimeType: "audio/mpeg",
    durationMs: Math.round(speech.samples.length / speech.sampleRate * 1000),
  };
}
