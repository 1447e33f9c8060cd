/**
 * Error-pattern analysis: groups a learner's tagged wrong answers into patterns
 * (kind of mistake × grammar topic or question type), most frequent first, with
 * examples and a practice set built from the items behind them.
 */
import type { LocalizedText } from "./content_schema.ts";

export interface ErrorEventInput {
  source: string;
  questionType: string;
  errorKind: string;
  vocabularyId: string | null;
  grammarTopic: string | null;
  given: string | null;
  expected: string | null;
  occurredAt: Date;
}

export const ERROR_KIND_NAMES: Record<string, LocalizedText> = {
  accent: { en: "accents", es: "tildes y acentos" },
  spelling: { en: "spelling", es: "ortografía" },
  word_order: { en: "word order", es: "orden de las palabras" },
  gender_article: { en: "gender and articles", es: "género y artículos" },
  conjugation: { en: "verb conjugation", es: "conjugación verbal" },
  wrong_meaning: { en: "confusing words", es: "confusión de palabras" },
  false_friend: { en: "false friends", es: "falsos amigos" },
  incomplete: { en: "incomplete answers", es: "respuestas incompletas" },
  wrong: { en: "wrong answers", es: "respuestas incorrectas" },
};

export function errorPatterns(events: readonly ErrorEventInput[], limit = 10) {
  const groups = new Map<string, ErrorEventInput[]>();
  for (const e of events) {
    const key = `${e.errorKind}|${e.grammarTopic ?? e.questionType}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const patterns = [...groups.values()].map((list) => {
    const first = list[0];
    const words = new Map<string, number>();
    for (const e of list) {
      if (e.vocabularyId) words.set(e.vocabularyId, (words.get(e.vocabularyId) ?? 0) + 1);
    }
    return {
      error_kind: first.errorKind,
      grammar_topic: first.grammarTopic,
      question_type: first.grammarTopic ? null : first.questionType,
      count: list.length,
      last_seen: list.reduce((a, e) => (e.occurredAt > a ? e.occurredAt : a), first.occurredAt)
        .toISOString(),
      examples: list.slice(0, 3).map((e) => ({
        given: e.given,
        expected: e.expected,
        source: e.source,
      })),
      vocabulary_ids: [...words.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id).slice(
        0,
        10,
      ),
    };
  }).sort((a, b) => b.count - a.count || b.last_seen.localeCompare(a.last_seen)).slice(0, limit);

  const wordCounts = new Map<string, number>();
  const topicCounts = new Map<string, number>();
  for (const e of events) {
    if (e.vocabularyId) wordCounts.set(e.vocabularyId, (wordCounts.get(e.vocabularyId) ?? 0) + 1);
    if (e.grammarTopic) topicCounts.set(e.grammarTopic, (topicCounts.get(e.grammarTopic) ?? 0) + 1);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([id, count]) => ({
      id,
      errors: count,
    }));
  return {
    patterns,
    practice_set: { vocabulary: top(wordCounts, 10), grammar_topics: top(topicCounts, 3) },
  };
}
