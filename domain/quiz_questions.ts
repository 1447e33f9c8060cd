/**
 * How a stored quiz question is served and scored: the answer key and the prompt
 * in the learner's language, how many of its items an attempt shuffles, the type
 * it is asked as, and which skill an answer to it (or a whole quiz) is about.
 */
import type { Locale, LocalizedText } from "./content_schema.ts";
import { localized } from "./localize.ts";
import { type AttemptOrder, attemptOrder, attemptSeed } from "./quiz_attempts.ts";
import type { StoredKey } from "./quiz_generation.ts";
import type { AnswerKey } from "./quiz_scoring.ts";

/** Resolves a stored key to a plain one in the learner's language. */
export function resolveKey(key: StoredKey, locale: Locale): AnswerKey {
  if (key.type === "matching_localized") {
    return {
      type: "matching",
      pairs: Object.fromEntries(
        Object.entries(key.pairs).map(([k, v]) => [k, localized(v, locale)]),
      ),
    };
  }
  if (key.type === "multiple_choice_localized") {
    return { type: "multiple_choice", correct: key.correct.map((c) => localized(c, locale)) };
  }
  return key;
}

/**
 * Replaces every localized text in a prompt (an object with an `en` string, at any
 * depth) by its text in the learner's language; everything else is kept as is.
 */
export function localizeDeep(value: unknown, locale: Locale): unknown {
  if (Array.isArray(value)) return value.map((v) => localizeDeep(v, locale));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.en === "string") return localized(record as LocalizedText, locale);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, localizeDeep(v, locale)]));
  }
  return value;
}

/** How many items of a question's prompt (options, words or matching targets) an attempt shuffles. */
export function optionCount(prompt: unknown): number {
  const p = prompt as { options?: unknown[]; words?: unknown[]; right?: unknown[] };
  return (p.options ?? p.words ?? p.right ?? []).length;
}

/** The order of questions and of their items in one learner's attempt (the same on every reload). */
export function attemptQuestionOrder(
  attempt: { userId: string; quizId: string; attemptNumber: number },
  questions: readonly { id: string; prompt: unknown }[],
): AttemptOrder {
  return attemptOrder(
    attemptSeed(attempt.userId, attempt.quizId, attempt.attemptNumber),
    questions.map((q) => ({ id: q.id, optionCount: optionCount(q.prompt) })),
  );
}

/**
 * What a question is asked as: a listening question whose word has no recording
 * (yet) is asked as a translation of the same word, which has the same answers.
 */
export function servedType(q: { type: string; audioId: string | null }): string {
  return q.type === "listening" && !q.audioId ? "translation" : q.type;
}

/** The ability an answer to a question moves, by what the question is tagged with. */
export function questionSkill(tags: Record<string, string>): "grammar" | "vocabulary" | "reading" {
  return tags.grammar_topic ? "grammar" : tags.vocabulary_id ? "vocabulary" : "reading";
}

/** The skill a whole quiz is logged under in the activity log. */
export function quizSkill(kind: string): "grammar" | "vocabulary" | "reading" {
  return kind === "grammar" ? "grammar" : kind === "vocabulary" ? "vocabulary" : "reading";
}
