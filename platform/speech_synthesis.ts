/**
 * Speech synthesis with eSpeak NG compiled to WebAssembly
 * (`@echogarden/espeak-ng-emscripten`): no native addon, so it runs wherever
 * Deno does, Deno Deploy included. It is the source of the reference audio of
 * every word and example sentence, and of probe recordings (other voices,
 * speeds, pitches) for pronunciation scoring.
 *
 * Why this package: `espeak-ng` (npm) is the command-line program compiled with
 * its data embedded in an 18 MB wasm; each run is a fresh `main()`, so every
 * clip would pay a new instance. The Echogarden build exposes the library API
 * (voice, rate and pitch setters, a synthesis callback, text-to-IPA) on one
 * long-lived instance; its 24 MB voice data file is read once from the package.
 *
 * eSpeak NG reads text by each language's own rules. It does take phonemes
 * inline (`[[...]]`), but in its own ASCII mnemonics rather than IPA, so the
 * content's IPA is not fed to it; the text (for Japanese, the kana reading) is.
 */
import initEspeak from "@echogarden/espeak-ng-emscripten";

/**
 * Names the engine build and its voice data: part of every reference clip's
 * content key, so upgrading the package re-renders the clips.
 */
export const SPEECH_ENGINE = "espeak-ng-emscripten@0.3.5";

/** The eSpeak NG voice for each course language (its `tts_lang` region). */
export const LANGUAGE_VOICES: Readonly<Record<string, string>> = {
  de: "de",
  es: "es",
  fr: "fr",
  it: "it",
  ja: "ja",
  pt: "pt",
};

/** eSpeak's default speaking rate in words per minute: `speed: 1`. */
const BASE_WPM = 175;
const MIN_WPM = 80;
const MAX_WPM = 450;

export interface SpeechRequest {
  text: string;
  /**
   * An eSpeak NG voice (`es`, `fr`, `pt-br`, `es-419` ...), optionally with a variant
   * (`es+f3`, `de+m2`, `it+klatt` ...) for a different speaker.
   */
  voice: string;
  /** Rate relative to eSpeak's default 175 words a minute (clamped to 80–450 wpm). */
  speed?: number;
  /** Base pitch 0–100; 50 is the voice's default. */
  pitch?: number;
}

export interface Speech {
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
}

/** The voice for a course language; throws for a language without one. */
export function voiceForLanguage(languageCode: string): string {
  const voice = LANGUAGE_VOICES[languageCode];
  if (!voice) throw new Error(`No speech voice for language ${languageCode}`);
  return voice;
}

/**
 * The text eSpeak should read for a word or sentence. eSpeak NG reads Japanese
 * kana but not kanji (it spells each kanji out as "Chinese letter"), so
 * Japanese uses the kana reading, with the topic particle は and direction
 * particle へ respelled as pronounced (わ, え) where the romanization shows
 * them: eSpeak would say "ha" and "he". Likewise an う lengthening an o
 * (ありがとう, arigatō) becomes ー, which eSpeak lengthens, where the
 * romanization has as many ō: eSpeak would say "o-u", right only in verb
 * endings such as おもう (omou).
 */
export function speechText(
  languageCode: string,
  item: { text: string; reading?: string | null; romanization?: string | null },
): string {
  if (languageCode !== "ja" || !item.reading) return item.text;
  const roman = (item.romanization ?? "").toLowerCase();
  let out = item.reading;
  // Before a space, punctuation or the end: where a particle ends a phrase.
  if (/wa\b/.test(roman)) out = out.replace(/は(?=[\s、。！？!?,.]|$)/gu, "わ");
  if (/(^|\s)e\b/.test(roman)) out = out.replace(/へ(?=[\s、。！？!?,.]|$)/gu, "え");
  const longO = /(?<=[おこごそぞとどのほぼぽもよょろ])う/gu;
  const candidates = out.match(longO)?.length ?? 0;
  if (candidates && candidates <= (roman.normalize("NFC").match(/ō/gu)?.length ?? 0)) {
    out = out.replace(longO, "ー");
  }
  return out;
}

interface EspeakWorker {
  set_voice(voice: string): number;
  set_rate(wpm: number): number;
  set_pitch(pitch: number): number;
  get_samplerate(): number;
  synthesize(text: string, callback: (samples: Int16Array | null) => boolean): void;
  synthesize_ipa(text: string): { code: number; ipa: string };
}

let engine: Promise<EspeakWorker> | undefined;

/** One engine per process: instantiating reads 24 MB of voice data (~0.2 s). */
function espeak(): Promise<EspeakWorker> {
  engine ??= (async () => {
    // deno-lint-ignore no-explicit-any
    const module: any = await initEspeak();
    return new module.eSpeakNGWorker() as EspeakWorker;
  })();
  engine.catch(() => engine = undefined);
  return engine;
}

const VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,12})?$/i;

/** Selects voice, rate and pitch on the shared engine, checking each. */
function configure(worker: EspeakWorker, request: SpeechRequest) {
  if (!VOICE_NAME.test(request.voice) || worker.set_voice(request.voice) !== 0) {
    throw new Error(`Unknown speech voice ${request.voice}`);
  }
  const speed = request.speed ?? 1;
  const pitch = request.pitch ?? 50;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`Invalid speed ${speed}`);
  if (!(pitch >= 0 && pitch <= 100)) throw new Error(`Invalid pitch ${pitch}`);
  worker.set_rate(Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, BASE_WPM * speed))));
  // eSpeak's pitch scale is 0–99.
  worker.set_pitch(Math.round(Math.min(99, pitch)));
}

/**
 * Speaks `text` with the given voice. The engine is synchronous once loaded,
 * so concurrent calls cannot interleave their voice settings. eSpeak varies
 * its timing slightly at random, so two renderings of one text differ by a few
 * samples: a client cannot re-synthesise a clip to identify it by its bytes.
 */
export async function synthesize(request: SpeechRequest): Promise<Speech> {
  if (!request.text.trim()) throw new Error("Nothing to say: the text is empty");
  const worker = await espeak();
  configure(worker, request);
  const chunks: Int16Array[] = [];
  worker.synthesize(request.text, (chunk) => {
    if (chunk && chunk.length) chunks.push(chunk);
    return false; // false: keep going
  });
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) samples[offset + i] = chunk[i] / 32768;
    offset += chunk.length;
  }
  return { samples, sampleRate: worker.get_samplerate() };
}

/**
 * The IPA eSpeak would speak for `text` (its own transcription, for checking
 * how it reads a word against the content's IPA).
 */
export async function speechIpa(text: string, voice: string): Promise<string> {
  const worker = await espeak();
  configure(worker, { text, voice });
  const result = worker.synthesize_ipa(text);
  if (result.code !== 0) throw new Error(`eSpeak could not transcribe the text (${result.code})`);
  return result.ipa.trim();
}
