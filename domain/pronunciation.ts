/**
 * Pronunciation help and scoring, all pure: syllables and stress from the
 * curriculum's IPA, a respelling a learner can read, the sounds worth a tip,
 * and a phonetic comparison of a speech recogniser's transcript with the target.
 */
import type { Locale, LocalizedText } from "./content_schema.ts";
import { localized } from "./localize.ts";
import { hasKanji, phoneticKey, phoneticWords } from "./phonetic_key.ts";
import { answerKey, editDistance, stripLatinAccents } from "./answer_matching.ts";

import type { SignalCheck } from "./acoustic_scoring.ts";

/** One sound of a language's guide (content/pronunciation/<code>.json). */
export interface GuideSound {
  ipa: string;
  name: LocalizedText;
  tip: LocalizedText;
  difficulty_for: { en: number; es?: number };
  examples: string[];
}

/** The parts of a pronunciation guide these functions use. */
export interface Guide {
  sounds: GuideSound[];
  respelling: { en: Record<string, string>; es?: Record<string, string> };
  notes?: LocalizedText[];
}

export interface Syllable {
  ipa: string;
  stress: "primary" | "secondary" | null;
}

/**
 * Splits a transcription like `ˈbwe.nos ˈdi.as` into words of syllables: `.`
 * separates syllables, `ˈ` (primary) and `ˌ` (secondary) stress start one.
 */
export function syllables(ipa: string): Syllable[][] {
  return ipa.trim().replace(/^\/|\/$|^\[|\]$/g, "").split(/\s+/).filter(Boolean).map((word) => {
    const out: Syllable[] = [];
    let current = "";
    let stress: Syllable["stress"] = null;
    const flush = () => {
      if (current) out.push({ ipa: current, stress });
      current = "";
      stress = null;
    };
    for (const ch of word) {
      if (ch === "." || ch === "‿") flush();
      else if (ch === "ˈ" || ch === "ˌ") {
        flush();
        stress = ch === "ˈ" ? "primary" : "secondary";
      } else current += ch;
    }
    flush();
    return out;
  });
}

/**
 * Syllables of a word without IPA (a target outside the word list): its
 * vowel groups by the language's spelling-to-sound rules; at least 1.
 */
export function estimatedSyllables(text: string, language: string): number {
  const sounds = phoneticKey(text, language).join(" ");
  return Math.max(1, sounds.match(/[aeiouyɛɔəøœɑɐɨɯ]+/gu)?.length ?? 0);
}

/** Syllables in a transcription, all its words together; at least 1. */
export function syllableCount(ipa: string): number {
  return Math.max(1, syllables(ipa).reduce((n, word) => n + word.length, 0));
}

/**
 * Rewrites IPA with the letters a speaker of the learner's language would read
 * as those sounds, longest match first: `ˈo.la` → `OH-lah`. Stressed syllables
 * are capitalised in words of more than one syllable; symbols the map does not
 * cover are kept as they are.
 */
export function respell(ipa: string, map: Record<string, string>): string {
  const keys = Object.keys(map).filter((k) => !/^[\s.ˈˌ]$/.test(k))
    .sort((a, b) => [...b].length - [...a].length);
  const separator = map["."] ?? "-";
  return syllables(ipa).map((word) =>
    word.map((s) => {
      let out = "";
      let at = 0;
      while (at < s.ipa.length) {
        const key = keys.find((k) => s.ipa.startsWith(k, at));
        if (key) {
          out += map[key];
          at += key.length;
        } else {
          const ch = String.fromCodePoint(s.ipa.codePointAt(at)!);
          // Length marks and tie bars have no letters of their own.
          if (!/[ːˑ͡‿]/.test(ch)) out += ch;
          at += ch.length;
        }
      }
      return s.stress === "primary" && word.length > 1 ? out.toUpperCase() : out;
    }).join(separator)
  ).join(" ");
}

/** How hard a sound is for speakers of `locale` (1 familiar … 3 new). */
export function difficultyFor(sound: GuideSound, locale: Locale): number {
  return sound.difficulty_for[locale] ?? sound.difficulty_for.en;
}

/** The transcription without stress and syllable marks, for finding sounds in it. */
export function bareIpa(ipa: string): string {
  return ipa.replace(/[ˈˌ.‿/[\]]/g, "");
}

/**
 * The guide's sounds that occur in the word and are not familiar to speakers of
 * the learner's language (difficulty 2 or 3), hardest first.
 */
export function hardSounds(ipa: string, guide: Guide, locale: Locale) {
  const bare = bareIpa(ipa);
  return guide.sounds
    .filter((s) => bare.includes(bareIpa(s.ipa)) && difficultyFor(s, locale) >= 2)
    .sort((a, b) => difficultyFor(b, locale) - difficultyFor(a, locale))
    .map((s) => ({
      ipa: s.ipa,
      name: localized(s.name, locale),
      difficulty: difficultyFor(s, locale),
      tip: localized(s.tip, locale),
      examples: s.examples,
    }));
}

// ---------------------------------------------------------------- scoring

/** One step of an alignment of expected and heard sound tokens. */
export type AlignStep =
  | { op: "same"; expected: string; heard: string }
  | { op: "substitute"; expected: string; heard: string }
  | { op: "missing"; expected: string }
  | { op: "extra"; heard: string };

/** Pairs of sounds close enough that confusing them costs half. */
const CLOSE_PAIRS = new Set(
  [
    "p b",
    "t d",
    "k ɡ",
    "s z",
    "f v",
    "ɾ r",
    "e ɛ",
    "o ɔ",
    "θ s",
    "ʃ tʃ",
    "ʒ dʒ",
    "ʝ j",
    "x h",
    "ə e",
    "ə ø",
    "i iː",
    "ɐ̃ a",
    "ʁ ɾ",
  ].flatMap((p) => [p, p.split(" ").reverse().join(" ")]),
);

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  return CLOSE_PAIRS.has(`${a} ${b}`) ? 0.5 : 1;
}

/** Weighted Levenshtein alignment of two token sequences, with its steps. */
export function alignTokens(expected: string[], heard: string[]): {
  cost: number;
  steps: AlignStep[];
} {
  const n = expected.length;
  const m = heard.length;
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = 0; i <= n; i++) d[i][0] = i;
  for (let j = 0; j <= m; j++) d[0][j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + substitutionCost(expected[i - 1], heard[j - 1]),
      );
    }
  }
  const steps: AlignStep[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (
      i > 0 && j > 0 &&
      d[i][j] === d[i - 1][j - 1] + substitutionCost(expected[i - 1], heard[j - 1])
    ) {
      const same = expected[i - 1] === heard[j - 1];
      steps.push({
        op: same ? "same" : "substitute",
        expected: expected[i - 1],
        heard: heard[j - 1],
      });
      i--;
      j--;
    } else if (i > 0 && d[i][j] === d[i - 1][j] + 1) {
      steps.push({ op: "missing", expected: expected[i - 1] });
      i--;
    } else {
      steps.push({ op: "extra", heard: heard[j - 1] });
      j--;
    }
  }
  return { cost: d[n][m], steps: steps.reverse() };
}

/** A sound that went wrong, named with the guide when it has the sound. */
export interface SoundProblem {
  kind: "substituted" | "missing" | "extra";
  expected: string | null;
  heard: string | null;
  name: string | null;
  tip: string | null;
}

export interface PronunciationScore {
  recognized: boolean;
  /** 0–100, or `null` when there was nothing to score. */
  score: number | null;
  /** `phonetic` (sound keys) or `surface` (characters; Japanese with kanji). */
  method: "phonetic" | "surface" | null;
  expected_sounds: string[];
  heard_sounds: string[];
  problems: SoundProblem[];
  feedback: string;
}

/** Score needed for "well done". */
export const GOOD_PRONUNCIATION = 80;

function scoreFromCost(cost: number, expected: number, heard: number): number {
  return Math.round(100 * Math.max(0, 1 - cost / Math.max(1, expected, heard)));
}

/**
 * Scores what the recogniser heard against the target by phonetic similarity.
 * Without a transcript there is no score (`recognized: false`). A transcript of
 * several words is compared window by window, so "hola hola" or "eh… hola"
 * still finds the attempt.
 */
export function scorePronunciation(args: {
  target: string;
  /** The target's reading or romanization (Japanese). */
  targetReading?: string | null;
  transcript: string | undefined | null;
  language: string;
  guide: Guide | null;
  locale: Locale;
}): PronunciationScore {
  const { language, locale, guide } = args;
  const transcript = args.transcript?.trim() ?? "";
  const targetSource = language === "ja" && args.targetReading ? args.targetReading : args.target;
  const expected = phoneticKey(targetSource, language);
  if (!transcript) {
    return {
      recognized: false,
      score: null,
      method: null,
      expected_sounds: expected,
      heard_sounds: [],
      problems: [],
      feedback: text(locale, "none"),
    };
  }

  // Kanji cannot be turned into sounds without a dictionary: compare what was
  // written with the target's spelling instead, and say so.
  if (language === "ja" && hasKanji(transcript)) {
    const heard = answerKey(transcript).replace(/\s+/g, "");
    const targets = [args.target, args.targetReading ?? ""].filter(Boolean)
      .map((t) => answerKey(t).replace(/\s+/g, ""));
    const score = Math.max(
      ...targets.map((t) =>
        scoreFromCost(editDistance(t, heard), [...t].length, [...heard].length)
      ),
    );
    return {
      recognized: true,
      score,
      method: "surface",
      expected_sounds: expected,
      heard_sounds: [],
      problems: [],
      feedback: feedbackFor(score, [], locale),
    };
  }

  const targetWords = phoneticWords(targetSource, language).length || 1;
  const heardWords = phoneticWords(transcript, language);
  const candidates: string[][] = [heardWords.flat()];
  for (let size = targetWords; size <= targetWords + 1; size++) {
    for (let start = 0; start + size <= heardWords.length && heardWords.length > size; start++) {
      candidates.push(heardWords.slice(start, start + size).flat());
    }
  }
  let best: { score: number; heard: string[]; steps: AlignStep[] } | null = null;
  for (const heard of candidates) {
    const { cost, steps } = alignTokens(expected, heard);
    const score = scoreFromCost(cost, expected.length, heard.length);
    if (!best || score > best.score) best = { score, heard, steps };
  }
  const { score, heard, steps } = best!;
  const problems = steps.filter((s) => s.op !== "same").map((s): SoundProblem => {
    const expectedToken = s.op === "extra" ? null : s.expected;
    const heardToken = s.op === "missing" ? null : s.heard;
    const sound = guideSound(guide, expectedToken ?? heardToken ?? "");
    return {
      kind: s.op === "substitute" ? "substituted" : s.op,
      expected: expectedToken,
      heard: heardToken,
      name: sound ? localized(sound.name, locale) : null,
      tip: sound ? localized(sound.tip, locale) : null,
    };
  });
  return {
    recognized: true,
    score,
    method: "phonetic",
    expected_sounds: expected,
    heard_sounds: heard,
    problems,
    feedback: feedbackFor(score, problems, locale),
  };
}

/** The guide's entry for a sound token (exact, else the sound the token starts with). */
function guideSound(guide: Guide | null, token: string): GuideSound | undefined {
  if (!guide || !token) return undefined;
  return guide.sounds.find((s) => s.ipa === token) ??
    guide.sounds.find((s) => stripLatinAccents(token).startsWith(s.ipa));
}

const MESSAGES = {
  none: {
    en: "No speech recognition was possible: no transcript arrived, so there is no score. " +
      "Try a browser with speech recognition, or listen to the model and try again.",
    es: "No se pudo reconocer el habla: no llegó ninguna transcripción, así que no hay " +
      "puntuación. Prueba con un navegador con reconocimiento de voz o escucha el modelo " +
      "y vuelve a intentarlo.",
  },
  great: { en: "Excellent, that sounded right.", es: "¡Excelente, ha sonado bien!" },
  close: { en: "Close. Work on: ", es: "Casi. Trabaja estos sonidos: " },
  closeNoNames: {
    en: "Close. Listen to the model and try again.",
    es: "Casi. Escucha el modelo y vuelve a intentarlo.",
  },
  far: {
    en: "Not quite. Listen to the model, then say it slowly. Focus on: ",
    es: "Todavía no. Escucha el modelo y dilo despacio. Fíjate en: ",
  },
  farNoNames: {
    en: "Not quite. Listen to the model, then say it slowly.",
    es: "Todavía no. Escucha el modelo y dilo despacio.",
  },
  syllable: {
    en: "The part furthest from the model: the syllable ",
    es: "La parte más alejada del modelo: la sílaba ",
  },
  noReference: {
    en: "There is no model recording to compare with, and no transcript arrived: no score.",
    es: "No hay grabación modelo con la que comparar ni transcripción: no hay puntuación.",
  },
} satisfies Record<string, Record<Locale, string>>;

function text(locale: Locale, key: keyof typeof MESSAGES): string {
  return MESSAGES[key][locale] ?? MESSAGES[key].en;
}

function feedbackFor(score: number, problems: SoundProblem[], locale: Locale): string {
  if (score >= 95 || (score >= GOOD_PRONUNCIATION && problems.length === 0)) {
    return text(locale, "great");
  }
  const names = [...new Set(problems.map((p) => p.name).filter((n): n is string => !!n))]
    .slice(0, 3);
  if (score >= GOOD_PRONUNCIATION) {
    return names.length ? text(locale, "close") + names.join(", ") : text(locale, "closeNoNames");
  }
  return names.length ? text(locale, "far") + names.join(", ") : text(locale, "farNoNames");
}

/**
 * Known words closest to an unknown one, by edit distance on the accent-free
 * key (romanization counts too, so "konichiwa" finds こんにちは); at most
 * `limit`, and only those close enough to be a plausible misspelling.
 */
export function suggestWords(
  key: string,
  candidates: readonly {
    word: string;
    searchKey: string;
    romanization: string | null;
    languageId: string;
  }[],
  limit = 5,
): { word: string; language: string }[] {
  const plain = stripLatinAccents(key);
  const length = [...plain].length;
  const scored = candidates.map((c) => {
    const keys = [c.searchKey, c.romanization?.toLowerCase()].filter((k): k is string => !!k);
    const distance = Math.min(...keys.map((k) => editDistance(plain, stripLatinAccents(k))));
    return { word: c.word, language: c.languageId, distance };
  }).filter((s) => s.distance <= Math.max(2, Math.ceil(length / 2)));
  scored.sort((a, b) => a.distance - b.distance || a.word.localeCompare(b.word));
  const seen = new Set<string>();
  const out: { word: string; language: string }[] = [];
  for (const s of scored) {
    const id = `${s.language}:${s.word}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ word: s.word, language: s.language });
    if (out.length === limit) break;
  }
  return out;
}

// ---------------------------------------------------------------- the verdict

/** Which evidence a score rests on. */
export type ScoreMethod =
  | "acoustic"
  | "acoustic+phonetic"
  | "acoustic+surface"
  | "phonetic"
  | "surface";

export interface PronunciationVerdict {
  /** 0–100, or `null` when nothing could be scored (then no XP either). */
  score: number | null;
  method: ScoreMethod | null;
  evidence: { acoustic: number | null; phonetic: number | null };
  /** The syllable whose stretch of the model the recording strayed from most. */
  weakest_syllable: { index: number; ipa: string; stressed: boolean } | null;
  feedback: string;
}

/**
 * Puts the evidence together. A recording that fails a blocking signal check
 * (silence, far too short or long) has no score, whatever transcript came with
 * it: a transcript is only believed of a recording that holds speech. Otherwise
 * the acoustic score (similarity to the model recordings) and the phonetic one
 * (the recogniser's transcript) are averaged when both exist, and either stands
 * alone when it is the only one.
 */
export function judgePronunciation(args: {
  signal: SignalCheck;
  acoustic: { score: number; syllableCosts: number[] } | null;
  phonetic: PronunciationScore | null;
  syllables: Syllable[];
  locale: Locale;
}): PronunciationVerdict {
  const { signal, locale } = args;
  const warnings = signal.issues.filter((i) => !i.blocking).map((i) => i.message);
  if (!signal.scoreable) {
    return {
      score: null,
      method: null,
      evidence: { acoustic: null, phonetic: null },
      weakest_syllable: null,
      feedback: signal.issues.map((i) => i.message).join(" "),
    };
  }
  const acoustic = args.acoustic?.score ?? null;
  const phonetic = args.phonetic?.recognized ? args.phonetic.score : null;
  const transcriptMethod = args.phonetic?.method ?? "phonetic";
  const score = acoustic !== null && phonetic !== null
    ? Math.round((acoustic + phonetic) / 2)
    : acoustic ?? phonetic;
  const method: ScoreMethod | null = acoustic !== null
    ? (phonetic !== null ? `acoustic+${transcriptMethod}` : "acoustic")
    : phonetic !== null
    ? transcriptMethod
    : null;
  const costs = args.acoustic?.syllableCosts ?? [];
  let weakest: PronunciationVerdict["weakest_syllable"] = null;
  if (costs.length > 1 && costs.length === args.syllables.length) {
    const index = costs.indexOf(Math.max(...costs));
    const s = args.syllables[index];
    weakest = { index, ipa: s.ipa, stressed: s.stress === "primary" };
  }
  let feedback: string;
  if (score === null) feedback = text(locale, args.phonetic ? "noReference" : "none");
  else if (args.phonetic?.recognized) feedback = args.phonetic.feedback;
  else {
    // The audio alone names no sounds: great, close or not yet, and the syllable below.
    feedback = text(
      locale,
      score >= 95 ? "great" : score >= GOOD_PRONUNCIATION ? "closeNoNames" : "farNoNames",
    );
  }
  if (score !== null && score < 95 && weakest) {
    feedback += ` ${text(locale, "syllable")}“${weakest.ipa}” (${
      weakest.index + 1
    }/${costs.length}).`;
  }
  return {
    score,
    method,
    evidence: { acoustic, phonetic },
    weakest_syllable: weakest,
    feedback: [feedback, ...warnings].join(" "),
  };
}
