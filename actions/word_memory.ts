/**
 * One word's memory for the learner: their reviews of it replayed under their
 * memory model (their fitted FSRS weights, else the defaults), and its predicted
 * recall on each day ahead.
 */
import { loadWordMemory } from "../db/fsrs_models.ts";
import { DEFAULT_PARAMETERS } from "../domain/fsrs_fitting.ts";
import { wordMemoryReplay } from "../domain/memory_report.ts";
import { notFound } from "../http/errors.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface WordMemoryRequest {
  vocabularyId: string;
  /** Days of forecast after today. */
  days: number;
}

export async function wordMemory(deps: ActionDeps, user: Learner, input: WordMemoryRequest) {
  const loaded = await loadWordMemory(deps.db, user.id, input.vocabularyId);
  if (!loaded.word || loaded.word.status !== "published") throw notFound("Vocabulary item");
  const replay = wordMemoryReplay(loaded.parameters ?? DEFAULT_PARAMETERS, loaded.reviews, {
    now: deps.clock.now(),
    days: input.days,
    timezone: user.timezone,
  });
  return {
    vocabulary_id: input.vocabularyId,
    word: loaded.word.word,
    personalized: loaded.parameters !== null,
    ...replay,
  };
}
