/**
 * Start a placement test in a language, or resume the learner's open one: the
 * bank at model difficulties and the first (most informative) item.
 */
import { insertPlacement, loadPlacementStart } from "../db/adaptive_learning.ts";
import { advancePlacement, languageBank, placementRandom } from "../domain/placement.ts";
import { conflict, notFound } from "../http/errors.ts";
import { itemView, type PlacementBank, testView } from "../http/placement_views.ts";
import type { ActionDeps, Learner } from "./deps.ts";

/** The test's view, and whether it was started now (else resumed). */
export async function startPlacement(
  deps: ActionDeps,
  user: Learner,
  input: { language: string },
) {
  const { db, clock, locale } = deps;
  const loaded = await loadPlacementStart(db, user.id, input.language);
  if (!loaded) throw notFound(`Language ${input.language}`);
  const bank: PlacementBank = languageBank(loaded);
  if (loaded.open) {
    const current = bank.items.find((i) => i.id === loaded.open!.currentItemId);
    return {
      test: testView(loaded.open, current ? itemView(current, locale) : null),
      started: false,
    };
  }
  const id = crypto.randomUUID();
  const step = advancePlacement([], bank.items, {
    levels: bank.levels,
    random: placementRandom(id, 0),
  });
  if (!step.next) throw conflict("This language has no items to place you with");
  const now = clock.now();
  const row = {
    id,
    userId: user.id,
    languageId: loaded.language.id,
    status: "in_progress" as const,
    startedAt: now,
    finishedAt: null,
    theta: step.estimate.theta,
    standardError: step.estimate.standardError,
    responses: [],
    currentItemId: step.next.id,
    placedLevel: null,
    placedCourseId: null,
    placedLessonId: null,
  };
  await insertPlacement(db, row);
  return { test: testView(row, itemView(step.next, locale)), started: true };
}
