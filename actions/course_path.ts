/**
 * A personalised path through a course: each lesson marked skip, review or
 * learn from completion, a finished placement and the learner's ability on the
 * lesson's words and exercises. One read round trip.
 */
import { abilityFor } from "../db/ability_records.ts";
import { loadPathInputs } from "../db/adaptive_learning.ts";
import {
  abilitiesReport,
  exercisePrior,
  pooledAbility,
  wordPrior,
} from "../domain/ability_model.ts";
import { levelRank, pathSummary, personalisedPath } from "../domain/learning_path.ts";
import { localized } from "../domain/localize.ts";
import { notFound } from "../http/errors.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface PathRequest {
  courseId: string;
}

export async function coursePath(deps: ActionDeps, user: Learner, input: PathRequest) {
  const { db, locale } = deps;
  const loaded = await loadPathInputs(db, user.id, input.courseId);
  if (!loaded || loaded.course.status !== "published") throw notFound("Course");
  const { course, placement } = loaded;
  const vocabulary = abilityFor(loaded.abilities, "vocabulary");
  const grammar = abilityFor(loaded.abilities, "grammar");
  // Lessons that train neither skill alone are judged on both together.
  const combined = pooledAbility(vocabulary, grammar);
  const placedLesson = placement?.placedCourseId === course.id
    ? loaded.lessons.find((l) => l.id === placement.placedLessonId)?.position ?? null
    : null;
  const steps = personalisedPath(
    loaded.lessons.map((l) => {
      const ability = l.type === "vocabulary"
        ? vocabulary
        : l.type === "grammar"
        ? grammar
        : combined;
      return {
        id: l.id,
        position: l.position,
        difficulties: [
          ...loaded.words.filter((w) => w.lessonId === l.id)
            .map((w) => w.stored ?? wordPrior(w.word)),
          ...loaded.exercises.filter((e) => e.lessonId === l.id)
            .map((e) => e.stored ?? exercisePrior(e.level, e.exercise)),
        ],
        ability: ability.evidence > 0 ? ability : null,
        completed: l.status === "completed",
        bestScore: l.bestScore,
      };
    }),
    placement
      ? {
        beyond: levelRank(placement.placedLevel) > levelRank(course.level),
        atLessonPosition: placedLesson,
      }
      : null,
  );
  const byId = new Map(loaded.lessons.map((l) => [l.id, l]));
  return {
    course_id: course.id,
    level: course.level,
    placement: placement
      ? {
        id: placement.id,
        level: placement.placedLevel,
        course_id: placement.placedCourseId,
        lesson_id: placement.placedLessonId,
      }
      : null,
    abilities: abilitiesReport(vocabulary, grammar),
    next_lesson_id: steps.find((s) => s.action !== "skip")?.lesson_id ?? null,
    lessons: steps.map((s) => {
      const l = byId.get(s.lesson_id)!;
      return {
        ...s,
        position: l.position,
        type: l.type,
        title: localized(l.title, locale),
        status: l.status ?? null,
      };
    }),
    summary: pathSummary(steps),
  };
}
