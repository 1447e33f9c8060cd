/**
 * Answer the current item of a placement test: grade it, re-estimate, choose the
 * next item or stop and place the learner (level, course, lesson), calibrate the
 * item, log the activity and award what it earned, in one atomic batch. The test
 * row is written only if it is still at the version that was read, and
 * everything else is chained on that write: when two answers race, the loser
 * writes nothing and is told to reload.
 */
import { itemUpdateStatement, placementAbilityStatements } from "../db/ability_records.ts";
import { loadPlacement, placementAnswerStatements } from "../db/adaptive_learning.ts";
import { activityStatements } from "../db/learning_records.ts";
import { updateAfterAnswer } from "../domain/ability_model.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import {
  advancePlacement,
  gradePlacementItem,
  languageBank,
  placementOutcome,
  placementRandom,
  prerequisitesSatisfied,
  type StoredResponse,
} from "../domain/placement.ts";
import { conflict, notFound } from "../http/errors.ts";
import { itemView, type PlacementBank, testView } from "../http/placement_views.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { rowsChanged, runWriteBatch } from "./write_batch.ts";

export interface PlacementAnswer {
  testId: string;
  itemId: string;
  answer: string | string[];
}

export async function answerPlacement(deps: ActionDeps, user: Learner, input: PlacementAnswer) {
  const { db, clock, locale } = deps;
  const loaded = await loadPlacement(db, user.id, input.testId);
  if (!loaded) throw notFound("Placement test");
  const { test, language } = loaded;
  if (test.status !== "in_progress") {
    throw conflict("This placement test is finished", { reason: "finished" });
  }
  if (input.itemId !== test.currentItemId) {
    throw conflict("Answer the current item of the test", {
      reason: "not_current_item",
      current_item_id: test.currentItemId,
    });
  }
  const bank: PlacementBank = languageBank(loaded);
  const item = bank.items.find((i) => i.id === input.itemId);
  if (!item) throw conflict("This item is no longer available; start a new test");
  const correct = gradePlacementItem(item, input.answer, {
    locale,
    targetArticles: language.optionalArticles,
  });
  const previous = test.responses as StoredResponse[];
  const responses: StoredResponse[] = [
    ...previous,
    { item_id: item.id, group: item.group, difficulty: item.difficulty, correct },
  ];
  const step = advancePlacement(responses, bank.items, {
    levels: bank.levels,
    random: placementRandom(test.id, responses.length),
  });
  const now = clock.now();
  const placed = step.stop !== null ? placementOutcome(step.estimate.theta, bank, loaded) : null;
  // Placement answers calibrate the item like any other answer (the learner's
  // ability is the test's own estimate, set once at the end).
  const storedItem = loaded.difficulties.find((d) => d.itemId === item.id);
  const calibration = updateAfterAnswer(
    { theta: test.theta, evidence: previous.length },
    { difficulty: item.difficulty, answers: storedItem?.answers ?? 0 },
    correct ? 1 : 0,
  );
  const set = {
    responses,
    theta: step.estimate.theta,
    standardError: step.estimate.standardError,
    currentItemId: step.next?.id ?? null,
    ...(placed
      ? {
        status: "finished" as const,
        finishedAt: now,
        placedLevel: placed.level,
        placedCourseId: placed.courseId,
        placedLessonId: placed.lessonId,
      }
      : {}),
  };
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    answer: placementAnswerStatements(db, { testId: test.id, version: test.version, set }),
    // Everything after the test's write is chained on it (`changes() = 1`).
    activity: activityStatements(db, {
      userId: user.id,
      kind: "placement",
      skill: item.kind === "vocabulary" ? "vocabulary" : "grammar",
      languageId: language.id,
      refId: test.id,
      correct: correct ? 1 : 0,
      total: 1,
      score: correct ? 100 : 0,
      durationSeconds: 0,
      xp: 0,
      occurredAt: now,
      localDate: localDate(now, user.timezone),
    }, { afterConditionalWrite: true }),
    model: [
      itemUpdateStatement(db, {
        itemId: item.id,
        itemType: item.kind,
        languageId: language.id,
        start: item.difficulty,
        difficultyDelta: calibration.difficultyDelta,
        correct,
        now,
      }, { afterConditionalWrite: true }),
      ...(placed
        ? placementAbilityStatements(db, {
          userId: user.id,
          languageId: language.id,
          theta: step.estimate.theta,
          answers: responses.length,
          now,
        })
        : []),
    ],
    awards: awards.statements,
  });
  if (rowsChanged(written.answer[0]) !== 1) {
    throw conflict("This item was answered elsewhere at the same moment; reload the test");
  }
  const awarded = await awards.finish(written.awards, now);
  const course = placed ? loaded.courses.find((co) => co.id === placed.courseId) : null;
  return {
    ...testView(
      {
        ...test,
        ...set,
        status: placed ? "finished" : "in_progress",
        finishedAt: placed ? now : null,
      },
      step.next ? itemView(step.next, locale) : null,
    ),
    last_answer: { item_id: item.id, correct },
    stop_reason: step.stop,
    placement: placed
      ? {
        level: placed.level,
        course_id: placed.courseId,
        course_title: course ? localized(course.title, locale) : null,
        lesson_id: placed.lessonId,
        prerequisites_satisfied: prerequisitesSatisfied(placed.level, loaded.courses),
      }
      : null,
    ...awarded,
  };
}
