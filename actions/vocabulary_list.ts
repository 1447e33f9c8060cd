/**
 * A page of vocabulary by language, level and category, with prefix search and,
 * when signed in, the learner's memory of each word. Signed in without a language,
 * it is the learner's current course's language and level (a search looks through
 * every level).
 */
import { currentCourse } from "../db/catalog.ts";
import { cardState, listVocabulary } from "../db/vocabulary_cards.ts";
import { answerKey } from "../domain/answer_matching.ts";
import type { CEFR_LEVELS } from "../domain/content_schema.ts";
import { learnerSchedulerOptions, memoryView } from "../domain/spaced_repetition.ts";
import { wordView } from "../http/content_views.ts";
import { languageIdOr404 } from "../http/lookups.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface VocabularyListRequest {
  /** A language code or id. */
  language?: string;
  level?: (typeof CEFR_LEVELS)[number];
  category?: string;
  /** Prefix of the word, its reading or romanization, or its translation. */
  search?: string;
  limit: number;
  offset: number;
}

export async function vocabularyList(
  deps: ActionDeps,
  user: Learner | null,
  input: VocabularyListRequest,
) {
  const { db, clock, locale, config } = deps;
  let languageId = await languageIdOr404(db, input.language);
  let level = input.level;
  if (user && !input.language) {
    const course = await currentCourse(db, user.id);
    languageId = course?.languageId ?? user.targetLanguages[0];
    if (!level && !input.search && course) level = course.level as NonNullable<typeof level>;
  }
  const { rows, total, parameters } = await listVocabulary(db, {
    languageId,
    level,
    category: input.category,
    search: input.search ? answerKey(input.search) : undefined,
    userId: user?.id,
    limit: input.limit,
    offset: input.offset,
  });
  const now = clock.now();
  const options = user
    ? learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, parameters)
    : null;
  return {
    data: rows.map((r) => ({
      ...wordView(r.word, locale),
      language_id: r.word.languageId,
      memory: options ? memoryView(r.card ? cardState(r.card) : null, now, options) : undefined,
    })),
    meta: {
      total,
      limit: input.limit,
      offset: input.offset,
      language_id: languageId ?? null,
      level: level ?? null,
      locale,
    },
  };
}
