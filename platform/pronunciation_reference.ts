/**
 * The references a learner's recording is compared with: the word's stored
 * audio (an editor's upload or the seeded synthesis) when it has one and it
 * decodes, else the word synthesised now with eSpeak NG in the language's
 * default voice; plus the word in two other eSpeak voices, so that sounding
 * like one speaker rather than another costs nothing. Only features are kept,
 * in a bounded in-process cache: a word practised again costs neither a read
 * of its audio nor a synthesis.
 */
import type { AudioInfo } from "../domain/audio_format.ts";
import { type Utterance, utteranceFeatures } from "../domain/acoustic_scoring.ts";
import { ANALYSIS_RATE, resample } from "../domain/pcm.ts";
import { decodeRecording } from "./audio_decoding.ts";
import { LANGUAGE_VOICES, speechText, synthesize } from "./speech_synthesis.ts";

/**
 * eSpeak voice variants of the references besides the default voice (""):
 * a female and another male voice. bench/pronunciation.ts probes with other
 * variants than these.
 */
export const REFERENCE_VARIANTS = ["", "f3", "m2"] as const;

/** ~20 KB of features per utterance: a few thousand stay small. */
const CACHE_LIMIT = 3000;
const cache = new Map<string, Utterance>();

async function cached(key: string, make: () => Promise<Utterance | null>) {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // most recently used goes last
    cache.set(key, hit);
    return hit;
  }
  const made = await make();
  if (made) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, made);
  }
  return made;
}

/** Whether a stored file's features are cached (so scoring against it needs no read of it). */
export function storedReferenceCached(id: string): boolean {
  return cache.has(`stored:${id}`);
}

export interface ReferenceSet {
  utterances: Utterance[];
  /** Whether the first reference is the word's stored audio or a synthesis. */
  source: "stored" | "synthesized";
}

export interface StoredAudio {
  id: string;
  /** Reads the file; called only when its features are not cached. */
  load: () => Promise<{ bytes: Uint8Array; info: AudioInfo } | null>;
}

/**
 * The references for a word; `null` when there is none (no stored audio that
 * decodes, and no eSpeak voice for the language).
 */
export async function referenceSet(
  languageCode: string,
  item: { text: string; reading?: string | null; romanization?: string | null },
  stored: StoredAudio | null,
): Promise<ReferenceSet | null> {
  const fromStore = stored
    ? await cached(`stored:${stored.id}`, async () => {
      const file = await stored.load();
      if (!file) return null;
      try {
        const decoded = await decodeRecording(file.bytes, file.info, {
          maxSeconds: 30,
          budgetMs: 2000,
        });
        return utteranceFeatures(decoded.samples);
      } catch {
        return null; // e.g. an uploaded AAC file: fall back to synthesis
      }
    })
    : null;
  const voice = LANGUAGE_VOICES[languageCode];
  if (!voice) return fromStore ? { utterances: [fromStore], source: "stored" } : null;
  const text = speechText(languageCode, item);
  const utterances: Utterance[] = fromStore ? [fromStore] : [];
  for (const variant of REFERENCE_VARIANTS) {
    if (variant === "" && fromStore) continue;
    const name = variant ? `${voice}+${variant}` : voice;
    const utterance = await cached(`tts:${name}:${text}`, async () => {
      const speech = await synthesize({ text, voice: name });
      return utteranceFeatures(resample(speech.samples, speech.sampleRate, ANALYSIS_RATE));
    });
    if (utterance) utterances.push(utterance);
  }
  return { utterances, source: fromStore ? "stored" : "synthesized" };
}
