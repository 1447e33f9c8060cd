/**
 * Checking a typed answer against the accepted ones. Case, surrounding and
 * repeated whitespace, and punctuation that does not change meaning never
 * matter; what accents and typos mean is for the caller to decide from the
 * verdict (vocabulary practice accepts both and says so, grammar exercises count
 * a wrong accent as wrong but name it).
 */
import { eitherScriptMatch } from "./japanese_spelling.ts";

export type Verdict = "exact" | "accent" | "typo" | "wrong";

export interface MatchResult {
  verdict: Verdict;
  /** The accepted answer the input was closest to. */
  closest: string;
}

/** Lowercase, NFC, punctuation as space, whitespace collapsed. Accents are kept. */
export function answerKey(text: string): string {
  const key = text.normalize("NFC").toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[[\p{P}\p{S}]--[']]/gv, " ")
    .replace(/(^|\s)'+|'+(\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  // Japanese (and Chinese) are written without spaces: spacing never matters there.
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(key)
    ? key.replace(/\s+/g, "")
    : key;
}

/**
 * Removes diacritics from Latin letters only (é → e, ñ → n, ü → u). Marks on
 * other scripts carry meaning (Japanese dakuten: が is not か) and stay.
 */
export function stripLatinAccents(text: string): string {
  return text.normalize("NFD").replace(/([A-Za-z])[\u0300-\u036f]+/g, "$1").normalize("NFC")
    // Ligatures and ß are spelling conventions too: "soeur" for "sœur" is an accent slip.
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss");
}

/** Removes one leading article from a key, if it is one of `articles`. */
export function stripArticle(key: string, articles: readonly string[]): string {
  for (const a of articles) {
    // Not answerKey(): it would drop the apostrophe of elided articles (l', d').
    const article = a.normalize("NFC").toLowerCase().replace(/[’‘`´]/g, "'").trim();
    if (!article) continue;
    if (article.endsWith("'") && key.startsWith(article)) return key.slice(article.length).trim();
    if (key.startsWith(article + " ")) return key.slice(article.length + 1);
  }
  return key;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein where a transposition
 * counts as one edit), on code points.
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows = s.length + 1;
  const cols = t.length + 1;
  const d: number[][] = Array.from(
    { length: rows },
    (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

export interface MatchOptions {
  /** Articles that may be added or left out (e.g. "the", "a", "el", "la"). */
  articles?: readonly string[];
  /** Accept one edit for answers longer than four letters. */
  allowTypo?: boolean;
}

/** Compares `input` with every accepted answer and returns the best verdict. */
export function matchAnswer(
  input: string,
  accepted: readonly string[],
  options: MatchOptions = {},
): MatchResult {
  const articles = options.articles ?? [];
  const given = stripArticle(answerKey(input), articles);
  const rank: Record<Verdict, number> = { exact: 0, accent: 1, typo: 2, wrong: 3 };
  let best: MatchResult = { verdict: "wrong", closest: accepted[0] ?? "" };
  let bestDistance = Infinity;
  for (const answer of accepted) {
    const expected = stripArticle(answerKey(answer), articles);
    let verdict: Verdict = "wrong";
    if (given === expected) verdict = "exact";
    else if (stripLatinAccents(given) === stripLatinAccents(expected)) verdict = "accent";
    else if (
      options.allowTypo && [...expected].length > 4 &&
      editDistance(stripLatinAccents(given), stripLatinAccents(expected)) <= 1
    ) verdict = "typo";
    const distance = verdict === "wrong" ? editDistance(given, expected) : -1;
    // A closer wrong answer replaces only a wrong one, never an accent slip or typo already found.
    const closerWrong = verdict === "wrong" && best.verdict === "wrong" && distance < bestDistance;
    if (rank[verdict] < rank[best.verdict] || closerWrong) {
      if (verdict === "wrong") bestDistance = distance;
      best = { verdict, closest: answer };
    }
    if (verdict === "exact") break;
  }
  if (best.verdict !== "exact") {
    // Japanese words written in kana where an answer has kanji (or the reverse) are right.
    const spelled = eitherScriptMatch(
      given,
      accepted.map((a) => stripArticle(answerKey(a), articles)),
    );
    if (spelled >= 0) best = { verdict: "exact", closest: accepted[spelled] };
  }
  return best;
}
