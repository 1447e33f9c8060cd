/**
 * Quiz question types and their scoring, one pure function per type. A
 * question is worth its `points`; partial credit is given where it is fair:
 *
 * | type | answer | credit |
 * |---|---|---|
 * | `multiple_choice` (one answer) | option text | all or nothing |
 * | `multiple_choice` (several) | option texts | (right picks − wrong picks) / right answers, at least 0 |
 * | `fill_blank` | text, or one text per blank | share of blanks right (accents count) |
 * | `translation` | text | all or nothing; one typo or a missing accent accepted but noted |
 * | `reorder` | words in order (array or text) | all or nothing |
 * | `matching` | `{left: right}` for every pair | share of pairs right |
 * | `true_false` | boolean | all or nothing |
 * | `listening` | text (typed) or option text (chosen) | as translation / multiple choice |
 */
import { answerKey, matchAnswer, stripLatinAccents } from "./answer_matching.ts";

export type QuestionType =
  | "multiple_choice"
  | "fill_blank"
  | "translation"
  | "reorder"
  | "matching"
  | "true_false"
  | "listening";

export type ErrorKind =
  | "accent"
  | "spelling"
  | "word_order"
  | "gender_article"
  | "conjugation"
  | "wrong_meaning"
  | "false_friend"
  | "incomplete"
  | "wrong";

/** What the server keeps to score a question (never sent before the answer). */
export type AnswerKey =
  | { type: "multiple_choice"; correct: string[] }
  | { type: "fill_blank"; blanks: string[][] }
  | { type: "translation"; accepted: string[]; articles: string[] }
  | { type: "reorder"; accepted: string[] }
  | { type: "matching"; pairs: Record<string, string> }
  | { type: "true_false"; value: boolean }
  | { type: "listening"; accepted: string[]; articles: string[] };

export type LearnerAnswer = string | string[] | boolean | Record<string, string>;

export interface QuestionResult {
  /** Fraction of the question's points earned (0–1). */
  credit: number;
  correct: boolean;
  error: ErrorKind | null;
  /** The right answer, for display after submission. */
  correct_answer: LearnerAnswer;
  note: "accent" | "typo" | null;
}

/** The answer shape each type expects, to refuse wrong types with 400. */
export function answerShapeError(key: AnswerKey, answer: unknown): string | null {
  const isString = typeof answer === "string";
  const isStringArray = Array.isArray(answer) && answer.every((a) => typeof a === "string");
  switch (key.type) {
    case "multiple_choice":
      return key.correct.length > 1
        ? (isStringArray ? null : "Expected an array of chosen options")
        : (isString ? null : "Expected the chosen option as a string");
    case "fill_blank":
      return key.blanks.length > 1
        ? (isStringArray && (answer as string[]).length === key.blanks.length
          ? null
          : `Expected an array of ${key.blanks.length} answers, one per blank`)
        : (isString || (isStringArray && (answer as string[]).length === 1)
          ? null
          : "Expected a string");
    case "translation":
    case "listening":
      return isString ? null : "Expected a string";
    case "reorder":
      return isString || isStringArray ? null : "Expected the words in order (array or string)";
    case "matching":
      return answer !== null && typeof answer === "object" && !Array.isArray(answer) &&
          Object.values(answer as object).every((v) => typeof v === "string")
        ? null
        : "Expected an object mapping each left item to a right item";
    case "true_false":
      return typeof answer === "boolean" ? null : "Expected true or false";
  }
}

function choice(key: { correct: string[] }, answer: LearnerAnswer): QuestionResult {
  const correct = new Set(key.correct.map(answerKey));
  const picked = [...new Set((Array.isArray(answer) ? answer : [String(answer)]).map(answerKey))];
  if (key.correct.length === 1) {
    const ok = picked.length === 1 && correct.has(picked[0]);
    return {
      credit: ok ? 1 : 0,
      correct: ok,
      error: ok ? null : "wrong",
      correct_answer: key.correct[0],
      note: null,
    };
  }
  const right = picked.filter((p) => correct.has(p)).length;
  const wrong = picked.length - right;
  const credit = Math.max(0, (right - wrong) / correct.size);
  return {
    credit,
    correct: credit === 1,
    error: credit === 1 ? null : right > 0 ? "incomplete" : "wrong",
    correct_answer: key.correct,
    note: null,
  };
}

/** Names a mistake that differs only in its article ("el casa" for "la casa"). */
function articleSlip(given: string, expected: string, articles: string[]): boolean {
  const g = answerKey(given).split(" ");
  const e = answerKey(expected).split(" ");
  const arts = new Set(articles.map((a) => a.toLowerCase()));
  return g.length === e.length && g.length > 1 && arts.has(g[0]) && arts.has(e[0]) &&
    g[0] !== e[0] &&
    g.slice(1).join(" ") === e.slice(1).join(" ");
}

function typed(
  key: { accepted: string[]; articles: string[] },
  answer: LearnerAnswer,
): QuestionResult {
  const given = String(answer);
  const m = matchAnswer(given, key.accepted, { articles: key.articles, allowTypo: true });
  const ok = m.verdict !== "wrong";
  return {
    credit: ok ? 1 : 0,
    correct: ok,
    error: ok ? null : "wrong_meaning",
    correct_answer: key.accepted[0],
    note: m.verdict === "accent" ? "accent" : m.verdict === "typo" ? "typo" : null,
  };
}

/** Scores one answer against its key. Assumes {@link answerShapeError} returned null. */
export function scoreQuestion(
  key: AnswerKey,
  answer: LearnerAnswer,
  tags: { concept?: string; articles?: string[] } = {},
): QuestionResult {
  switch (key.type) {
    case "multiple_choice":
      return choice(key, answer);
    case "true_false": {
      const ok = answer === key.value;
      return {
        credit: ok ? 1 : 0,
        correct: ok,
        error: ok ? null : "wrong",
        correct_answer: key.value,
        note: null,
      };
    }
    case "translation":
      return typed(key, answer);
    case "listening":
      return typed(key, answer);
    case "reorder": {
      const given = Array.isArray(answer) ? answer.join(" ") : String(answer);
      const exact = key.accepted.some((a) => answerKey(a) === answerKey(given));
      const sorted = (s: string) => answerKey(s).split(" ").sort().join(" ");
      const sameWords = key.accepted.some((a) => sorted(a) === sorted(given));
      return {
        credit: exact ? 1 : 0,
        correct: exact,
        error: exact ? null : sameWords ? "word_order" : "wrong",
        correct_answer: key.accepted[0],
        note: null,
      };
    }
    case "matching": {
      const given = answer as Record<string, string>;
      const lefts = Object.keys(key.pairs);
      const right =
        lefts.filter((l) =>
          given[l] !== undefined && answerKey(given[l]) === answerKey(key.pairs[l])
        )
          .length;
      const credit = right / lefts.length;
      return {
        credit,
        correct: credit === 1,
        error: credit === 1 ? null : right > 0 ? "incomplete" : "wrong",
        correct_answer: key.pairs,
        note: null,
      };
    }
    case "fill_blank": {
      const given = Array.isArray(answer) ? answer : [String(answer)];
      let right = 0;
      let error: ErrorKind | null = null;
      key.blanks.forEach((accepted, i) => {
        const m = matchAnswer(given[i] ?? "", accepted);
        if (m.verdict === "exact") right++;
        else if (!error) {
          error = m.verdict === "accent"
            ? "accent"
            : accepted.some((a) => articleSlip(given[i] ?? "", a, tags.articles ?? []))
            ? "gender_article"
            : tags.concept === "conjugation"
            ? "conjugation"
            : editDistanceSmall(given[i] ?? "", accepted[0])
            ? "spelling"
            : "wrong";
        }
      });
      const credit = right / key.blanks.length;
      return {
        credit,
        correct: credit === 1,
        error: credit === 1 ? null : error,
        correct_answer: key.blanks.length === 1 ? key.blanks[0][0] : key.blanks.map((b) => b[0]),
        note: null,
      };
    }
  }
}

function editDistanceSmall(a: string, b: string): boolean {
  const x = stripLatinAccents(answerKey(a));
  const y = stripLatinAccents(answerKey(b));
  return x.length > 4 && y.length > 4 &&
    matchAnswer(x, [y], { allowTypo: true }).verdict === "typo";
}

/** Totals for an attempt: score, maximum, percentage (one decimal). */
export function totalScore(results: readonly { credit: number; points: number }[]) {
  const score = Math.round(results.reduce((n, r) => n + r.credit * r.points, 0) * 100) / 100;
  const max = results.reduce((n, r) => n + r.points, 0);
  return { score, max_score: max, percentage: max ? Math.round((score / max) * 1000) / 10 : 0 };
}
