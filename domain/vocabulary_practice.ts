/**
 * Checking a vocabulary answer. The learner sees the word and types its meaning
 * in their own language (`to_native`), or sees the meaning and types the word
 * (`to_target`). Case, spacing, punctuation and optional articles never matter;
 * one typo in a word longer than four letters and a missing accent are accepted
 * but reported; a wrong answer that is another known word is named.
 */
import type { Locale, LocalizedText } from "./content_schema.ts";
import { matchAnswer, type MatchResult } from "./answer_matching.ts";

export type Direction = "to_native" | "to_target";

/** Words a learner may add or leave out in their own language ("to" before verbs). */
const LEARNER_OPTIONAL_WORDS: Record<Locale, string[]> = {
  en: ["the", "a", "an", "to"],
  es: ["el", "la", "los", "las", "un", "una", "unos", "unas"],
};

export interface PracticeItem {
  word: string;
  reading?: string | null;
  romanization?: string | null;
  translation: LocalizedText;
  alternatives?: Partial<Record<string, string[]>>;
}

/** The answers accepted for an item in one direction. */
export function acceptedAnswers(
  item: PracticeItem,
  direction: Direction,
  locale: Locale,
): string[] {
  if (direction === "to_target") {
    return [item.word, item.reading, item.romanization].filter((x): x is string => !!x);
  }
  const main = item.translation[locale] ?? item.translation.en;
  const all = [main, ...(item.alternatives?.[locale] ?? [])];
  // "friend (female)" is also right as "friend"; "how are you?" as "how are you".
  const withoutNotes = all.map((a) => a.replace(/\s*\([^)]*\)\s*/g, " ").trim()).filter(Boolean);
  return [...new Set([...all, ...withoutNotes])];
}

export interface PracticeCheck {
  correct: boolean;
  /** The answer needed forgiveness (typo or accent): rated `hard`. */
  forgiven: boolean;
  verdict: MatchResult["verdict"];
  expected: string;
}

/** Checks a typed answer. */
export function checkPracticeAnswer(
  item: PracticeItem,
  userAnswer: string,
  options: { direction: Direction; locale: Locale; targetArticles: readonly string[] },
): PracticeCheck {
  const accepted = acceptedAnswers(item, options.direction, options.locale);
  const articles = options.direction === "to_target"
    ? options.targetArticles
    : LEARNER_OPTIONAL_WORDS[options.locale];
  const match = matchAnswer(userAnswer, accepted, { articles, allowTypo: true });
  return {
    correct: match.verdict !== "wrong",
    forgiven: match.verdict === "typo" || match.verdict === "accent",
    verdict: match.verdict,
    expected: accepted[0],
  };
}

/** Feedback for a practice answer, in both learner languages. */
export function practiceFeedback(
  check: PracticeCheck,
  userAnswer: string,
  confusedWith: { word: string; translation: string } | null,
): LocalizedText {
  const e = check.expected;
  switch (check.verdict) {
    case "exact":
      return { en: "Correct!", es: "¡Correcto!" };
    case "accent":
      return {
        en: `Correct, but mind the accents: "${e}".`,
        es: `Correcto, pero cuidado con las tildes: «${e}».`,
      };
    case "typo":
      return {
        en: `Correct, with a typo: it is spelled "${e}".`,
        es: `Correcto, con una errata: se escribe «${e}».`,
      };
    default:
      if (confusedWith) {
        return {
          en:
            `"${userAnswer.trim()}" is the word for "${confusedWith.translation}" (${confusedWith.word}). The answer is "${e}".`,
          es:
            `«${userAnswer.trim()}» corresponde a «${confusedWith.translation}» (${confusedWith.word}). La respuesta es «${e}».`,
        };
      }
      return {
        en: `Not quite: the answer is "${e}".`,
        es: `No exactamente: la respuesta es «${e}».`,
      };
  }
}
