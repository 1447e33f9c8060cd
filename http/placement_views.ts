/** What a learner sees of a placement test and its items (never an answer). */
import type { grammarExercises, vocabulary } from "../db/schema.ts";
import type { Locale } from "../domain/content_schema.ts";
import { type LanguageBank, PLACEMENT_RULES, type StoredResponse } from "../domain/placement.ts";
import { exerciseView } from "./content_views.ts";

/** A language's placement bank over its stored words and exercises. */
export type PlacementBank = LanguageBank<
  typeof vocabulary.$inferSelect,
  typeof grammarExercises.$inferSelect
>;

/** An item as the learner sees it: never the answer. */
export function itemView(item: PlacementBank["items"][number], locale: Locale) {
  if (item.word) {
    const w = item.word;
    return {
      item_id: item.id,
      kind: "vocabulary" as const,
      level: item.level,
      type: "translation_to_native",
      instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
      word: w.word,
      reading: w.reading,
      romanization: w.romanization,
      part_of_speech: w.partOfSpeech,
    };
  }
  const { id: _id, topic_id, ...view } = exerciseView(item.exercise!, locale);
  return {
    item_id: item.id,
    kind: "grammar_exercise" as const,
    level: item.level,
    topic_id,
    ...view,
  };
}

export function testView(
  test: {
    id: string;
    languageId: string;
    status: string;
    startedAt: Date;
    finishedAt: Date | null;
    theta: number;
    standardError: number;
    responses: unknown[];
    placedLevel: string | null;
    placedCourseId: string | null;
    placedLessonId: string | null;
  },
  current: ReturnType<typeof itemView> | null,
  extra: Record<string, unknown> = {},
) {
  const responses = test.responses as StoredResponse[];
  return {
    id: test.id,
    language_id: test.languageId,
    status: test.status,
    started_at: test.startedAt.toISOString(),
    finished_at: test.finishedAt?.toISOString() ?? null,
    answered: responses.length,
    correct: responses.filter((r) => r.correct).length,
    max_items: PLACEMENT_RULES.maxItems,
    estimate: {
      theta: Math.round(test.theta * 1000) / 1000,
      standard_error: Math.round(test.standardError * 1000) / 1000,
    },
    current_item: current,
    result: test.status === "finished"
      ? {
        level: test.placedLevel,
        course_id: test.placedCourseId,
        lesson_id: test.placedLessonId,
      }
      : null,
    ...extra,
  };
}
