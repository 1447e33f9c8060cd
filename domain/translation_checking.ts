/**
 * Checking a learner's translation against every accepted one: both are
 * normalised (case, punctuation, spacing, as in answer_matching.ts), split into
 * words (characters for Japanese, which does not space its words), and aligned.
 * The score follows the alignment's cost; the corrections are a word-level diff.
 * The answer's language is detected with `franc` so answering in the wrong
 * language is named as such instead of as twenty wrong words.
 */
import { franc } from "franc";
import { answerKey, editDistance, stripLatinAccents } from "./answer_matching.ts";
import type { Locale } from "./content_schema.ts";
import { eitherScriptMatch } from "./japanese_spelling.ts";

/** One difference between the learner's words and the closest accepted translation. */
export type Correction =
  | { type: "missing"; expected: string; position: number }
  | { type: "extra"; given: string; position: number }
  | { type: "wrong"; given: string; expected: string; position: number; close: boolean }
  | { type: "accent"; given: string; expected: string; position: number }
  | { type: "word_order"; word: string; expected_position: number; given_position: number };

export interface TranslationResult {
  correct: boolean;
  /** 0–100. */
  score: number;
  /** The accepted translation closest to the answer. */
  closest: string;
  corrections: Correction[];
}

/** A score at or above this marks the exercise mastered. */
export const TRANSLATION_MASTERY = 90;

const COST = {
  accent: 0.25,
  closeWord: 0.5,
  wrongWord: 1,
  missing: 1,
  extra: 1,
  /** A word in the wrong place, instead of a missing plus an extra one. */
  moved: 0.5,
};

/** Words of a normalised text; elided articles (l', d') count as words of their own. */
export function translationTokens(text: string, language: string): string[] {
  const key = answerKey(text);
  if (language === "ja" || language === "zh") return [...key.replace(/\s+/g, "")];
  return key.replace(/'(?=\S)/g, "' ").split(" ").filter(Boolean);
}

type Step =
  | {
    op: "same" | "accent" | "close" | "wrong";
    given: string;
    expected: string;
    gi: number;
    ei: number;
  }
  | { op: "missing"; expected: string; ei: number }
  | { op: "extra"; given: string; gi: number };

function pairCost(given: string, expected: string): { op: Step["op"]; cost: number } {
  if (given === expected) return { op: "same", cost: 0 };
  if (stripLatinAccents(given) === stripLatinAccents(expected)) {
    return { op: "accent", cost: COST.accent };
  }
  const plainG = stripLatinAccents(given);
  const plainE = stripLatinAccents(expected);
  if ([...plainE].length > 3 && editDistance(plainG, plainE) <= 1) {
    return { op: "close", cost: COST.closeWord };
  }
  return { op: "wrong", cost: COST.wrongWord };
}

/** Weighted Levenshtein over words; returns the cost and the aligned steps. */
function alignWords(given: string[], expected: string[]): { cost: number; steps: Step[] } {
  const n = given.length;
  const m = expected.length;
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = 0; i <= n; i++) d[i][0] = i * COST.extra;
  for (let j = 0; j <= m; j++) d[0][j] = j * COST.missing;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + COST.extra,
        d[i][j - 1] + COST.missing,
        d[i - 1][j - 1] + pairCost(given[i - 1], expected[j - 1]).cost,
      );
    }
  }
  const steps: Step[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const pair = pairCost(given[i - 1], expected[j - 1]);
      if (Math.abs(d[i][j] - (d[i - 1][j - 1] + pair.cost)) < 1e-9) {
        steps.push(
          {
            op: pair.op,
            given: given[i - 1],
            expected: expected[j - 1],
            gi: i - 1,
            ei: j - 1,
          } as Step,
        );
        i--;
        j--;
        continue;
      }
    }
    if (j > 0 && (i === 0 || Math.abs(d[i][j] - (d[i][j - 1] + COST.missing)) < 1e-9)) {
      steps.push({ op: "missing", expected: expected[j - 1], ei: j - 1 });
      j--;
    } else {
      steps.push({ op: "extra", given: given[i - 1], gi: i - 1 });
      i--;
    }
  }
  return { cost: d[n][m], steps: steps.reverse() };
}

/** Indexes of a longest common subsequence (accent-insensitive) of two word lists. */
function commonSubsequence(
  given: string[],
  expected: string[],
): { g: Set<number>; e: Set<number> } {
  const a = given.map(stripLatinAccents);
  const b = expected.map(stripLatinAccents);
  const L: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
  }
  const g = new Set<number>();
  const e = new Set<number>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      g.add(i++);
      e.add(j++);
    } else if (L[i + 1][j] >= L[i][j + 1]) i++;
    else j++;
  }
  return { g, e };
}

function correctionsFrom(steps: Step[], givenAt: number[], expectedAt: number[]): Correction[] {
  const out: Correction[] = [];
  for (const s of steps) {
    if (s.op === "accent") {
      out.push({ type: "accent", given: s.given, expected: s.expected, position: givenAt[s.gi] });
    } else if (s.op === "close" || s.op === "wrong") {
      out.push({
        type: "wrong",
        given: s.given,
        expected: s.expected,
        position: givenAt[s.gi],
        close: s.op === "close",
      });
    } else if (s.op === "missing") {
      out.push({ type: "missing", expected: s.expected, position: expectedAt[s.ei] });
    } else if (s.op === "extra") {
      out.push({ type: "extra", given: s.given, position: givenAt[s.gi] });
    }
  }
  return out;
}

/**
 * Compares an answer with one accepted translation. Words outside a longest
 * common subsequence that appear on both sides were moved: each costs half a
 * word and is reported once as `word_order`, and the rest is aligned without
 * them. The plain alignment is kept when it is cheaper.
 */
export function compareTranslation(
  answer: string,
  accepted: string,
  language: string,
): TranslationResult {
  const given = translationTokens(answer, language);
  const expected = translationTokens(accepted, language);
  const identity = (n: number) => Array.from({ length: n }, (_, i) => i);
  const plain = alignWords(given, expected);
  let cost = plain.cost;
  let corrections = correctionsFrom(plain.steps, identity(given.length), identity(expected.length));

  const common = commonSubsequence(given, expected);
  const moved: Correction[] = [];
  const movedGiven = new Set<number>();
  const movedExpected = new Set<number>();
  for (let ei = 0; ei < expected.length; ei++) {
    if (common.e.has(ei)) continue;
    const gi = given.findIndex((w, i) =>
      !common.g.has(i) && !movedGiven.has(i) &&
      stripLatinAccents(w) === stripLatinAccents(expected[ei])
    );
    if (gi < 0) continue;
    movedGiven.add(gi);
    movedExpected.add(ei);
    moved.push({
      type: "word_order",
      word: expected[ei],
      expected_position: ei,
      given_position: gi,
    });
  }
  if (moved.length) {
    const givenAt = identity(given.length).filter((i) => !movedGiven.has(i));
    const expectedAt = identity(expected.length).filter((i) => !movedExpected.has(i));
    const rest = alignWords(givenAt.map((i) => given[i]), expectedAt.map((i) => expected[i]));
    const movedCost = rest.cost + moved.length * COST.moved;
    if (movedCost < cost) {
      cost = movedCost;
      corrections = [...correctionsFrom(rest.steps, givenAt, expectedAt), ...moved];
      // A moved word with a different accent is also an accent slip.
      for (const m of moved) {
        if (m.type !== "word_order") continue;
        const g = given[m.given_position];
        if (g !== m.word) {
          corrections.push({
            type: "accent",
            given: g,
            expected: m.word,
            position: m.given_position,
          });
          cost += COST.accent;
        }
      }
    }
  }
  const score = Math.round(
    100 * Math.max(0, 1 - cost / Math.max(1, expected.length, given.length)),
  );
  // Right when every word is right; a missing accent is accepted but reported.
  const correct = given.length > 0 && corrections.every((c) => c.type === "accent");
  return { correct, score, closest: accepted, corrections };
}

/** The best comparison over every accepted translation (ties: the first listed). */
export function checkTranslation(
  answer: string,
  accepted: readonly string[],
  language: string,
): TranslationResult {
  if (language === "ja") {
    // A mix of kanji and kana spellings of an accepted answer is that answer.
    const spelled = eitherScriptMatch(answerKey(answer), accepted.map(answerKey));
    if (spelled >= 0) return compareTranslation(accepted[spelled], accepted[spelled], language);
  }
  let best: TranslationResult | null = null;
  for (const candidate of accepted) {
    const result = compareTranslation(answer, candidate, language);
    if (
      !best || result.score > best.score ||
      (result.score === best.score && result.correct && !best.correct)
    ) best = result;
  }
  return best ?? { correct: false, score: 0, closest: "", corrections: [] };
}

/** What an exercise's two sides are written in, as far as choosing them goes. */
export interface ExerciseSides {
  direction: "to_target" | "from_target";
  /** A text per learner language (`to_target`) or the target-language text. */
  source: unknown;
  /** Target-language answers (`to_target`) or answers per learner language. */
  accepted: readonly string[] | Partial<Record<string, string[]>>;
}

/** The learner language a side is shown or answered in: theirs if written, else English. */
function sideLocale(text: unknown, locale: Locale): Locale {
  return (text as Partial<Record<string, unknown>>)[locale] ? locale : "en";
}

/**
 * What each side of an exercise is written in, as ISO 639-1 codes: the target
 * language's `targetCode` on one side, the learner's language (or English, when the
 * exercise has no text in it) on the other.
 */
export function exerciseSides(e: ExerciseSides, targetCode: string, locale: Locale) {
  if (e.direction === "to_target") {
    return { source: sideLocale(e.source, locale), answer: targetCode };
  }
  return { source: targetCode, answer: sideLocale(e.accepted, locale) };
}

/** The accepted translations for the side the learner answers in. */
export function acceptedFor(e: Pick<ExerciseSides, "accepted">, answerLanguage: string): string[] {
  if (Array.isArray(e.accepted)) return [...e.accepted];
  const byLanguage = e.accepted as Partial<Record<string, string[]>>;
  return byLanguage[answerLanguage] ?? byLanguage.en ?? [];
}

// ---------------------------------------------------------------- language detection

/** ISO 639-3 (what franc returns) to ISO 639-1 for the languages we teach or explain in. */
export const ISO_639_3: Record<string, string> = {
  spa: "es",
  eng: "en",
  fra: "fr",
  deu: "de",
  ita: "it",
  por: "pt",
  jpn: "ja",
};
const ISO_639_1_TO_3 = Object.fromEntries(Object.entries(ISO_639_3).map(([k, v]) => [v, k]));

/** Shorter answers are not given to the detector: trigram statistics need some text. */
export const DETECTION_MIN_WORDS = 3;
export const DETECTION_MIN_CHARS = 15;

export interface LanguageDetection {
  /** ISO 639-1 of the detected language, or `null` when undetermined. */
  detected: string | null;
  expected: string;
  /** Whether the answer was long enough for the detector to be trusted. */
  reliable: boolean;
  wrong_language: boolean;
}

/**
 * Detects which of `candidates` (ISO 639-1) the answer is written in. Only
 * answers of at least 3 words or 15 characters are judged, and franc chooses
 * only among the candidates (the exercise's two languages), which is what makes
 * it dependable on sentences this short. Japanese is recognised by its script.
 */
export function detectAnswerLanguage(
  answer: string,
  expected: string,
  candidates: readonly string[],
): LanguageDetection {
  const trimmed = answer.trim();
  const words = trimmed.split(/\s+/).filter(Boolean).length;
  const japaneseScript = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(trimmed);
  const reliable = words >= DETECTION_MIN_WORDS || [...trimmed].length >= DETECTION_MIN_CHARS ||
    (japaneseScript && [...trimmed].length >= 4);
  if (!reliable) return { detected: null, expected, reliable, wrong_language: false };
  const only = [...new Set([expected, ...candidates])].map((c) => ISO_639_1_TO_3[c]).filter(
    Boolean,
  );
  let detected: string | null;
  if (only.includes("jpn")) {
    // franc names the script before the language; with Japanese among the
    // candidates a Latin-script answer is never Japanese and vice versa.
    if (japaneseScript) detected = "ja";
    else {
      const code = franc(trimmed, { only: only.filter((c) => c !== "jpn"), minLength: 1 });
      detected = ISO_639_3[code] ?? null;
    }
  } else {
    const code = franc(trimmed, { only, minLength: 1 });
    detected = ISO_639_3[code] ?? null;
  }
  return {
    detected,
    expected,
    reliable,
    wrong_language: detected !== null && detected !== expected,
  };
}

// ---------------------------------------------------------------- feedback

const LANGUAGE_NAMES: Record<string, Record<Locale, string>> = {
  en: { en: "English", es: "inglés" },
  es: { en: "Spanish", es: "español" },
  fr: { en: "French", es: "francés" },
  de: { en: "German", es: "alemán" },
  it: { en: "Italian", es: "italiano" },
  pt: { en: "Portuguese", es: "portugués" },
  ja: { en: "Japanese", es: "japonés" },
};

/** A language's name in the learner's language. */
export function languageName(code: string, locale: Locale): string {
  return LANGUAGE_NAMES[code]?.[locale] ?? code;
}

/** One sentence of feedback in the learner's language. */
export function translationFeedback(
  result: TranslationResult,
  detection: LanguageDetection,
  locale: Locale,
): string {
  const es = locale === "es";
  if (detection.wrong_language && detection.detected) {
    const got = languageName(detection.detected, locale);
    const want = languageName(detection.expected, locale);
    return es
      ? `Parece que has respondido en ${got}: traduce al ${want}.`
      : `That looks like ${got}: translate it into ${want}.`;
  }
  if (result.correct) {
    const accents = result.corrections.some((c) => c.type === "accent");
    if (accents) {
      return es ? "Correcto, pero cuidado con los acentos." : "Correct, but mind the accents.";
    }
    return es ? "¡Correcto!" : "Correct!";
  }
  if (result.score >= 70) {
    return es
      ? `Casi. Compara con: «${result.closest}».`
      : `Almost. Compare with: "${result.closest}".`;
  }
  return es
    ? `Todavía no. Una traducción correcta: «${result.closest}».`
    : `Not yet. A correct translation: "${result.closest}".`;
}
