/**
 * Which lessons a learner may open. Lessons unlock in order by mastery: the
 * first lesson of a course opens at enrolment, and each later one opens when the
 * one before it is mastered (a score at or above {@link MASTERY_THRESHOLD}).
 * Placement can open lessons further ahead; those arrive as `available` states.
 */

export const MASTERY_THRESHOLD = 80;

export type LessonStatus = "locked" | "available" | "completed";

export interface LessonState {
  lessonId: string;
  status: "available" | "completed";
}

export interface LockReason {
  code: "not_enrolled" | "previous_lesson_not_mastered";
  message: string;
  previous_lesson_id?: string;
}

/**
 * The status of each lesson, in course order. `states` are the learner's stored
 * rows; a missing row means no progress yet.
 */
export function lessonStatuses(
  orderedLessonIds: readonly string[],
  states: readonly LessonState[],
  enrolled: boolean,
): { lessonId: string; status: LessonStatus; reason?: LockReason }[] {
  const stored = new Map(states.map((s) => [s.lessonId, s.status]));
  return orderedLessonIds.map((lessonId, i) => {
    const own = stored.get(lessonId);
    if (own === "completed") return { lessonId, status: "completed" };
    if (!enrolled) {
      return {
        lessonId,
        status: "locked",
        reason: { code: "not_enrolled", message: "Enrol in the course to start its lessons" },
      };
    }
    const previous = orderedLessonIds[i - 1];
    if (own === "available" || i === 0 || stored.get(previous) === "completed") {
      return { lessonId, status: "available" };
    }
    return {
      lessonId,
      status: "locked",
      reason: {
        code: "previous_lesson_not_mastered",
        message:
          `Master the previous lesson (score ${MASTERY_THRESHOLD}% or more) to unlock this one`,
        previous_lesson_id: previous,
      },
    };
  });
}

/**
 * One lesson's status among its course's (in order); locked when it is not one of them.
 */
export function lessonStatus(
  orderedLessonIds: readonly string[],
  states: readonly LessonState[],
  enrolled: boolean,
  lessonId: string,
): { lessonId: string; status: LessonStatus; reason?: LockReason } {
  const statuses = lessonStatuses(orderedLessonIds, states, enrolled);
  return statuses[orderedLessonIds.indexOf(lessonId)] ?? { lessonId, status: "locked" };
}

/**
 * A lesson's score: the share of its items the learner has answered right, as
 * the server checked them (its grammar exercises and its words), or undefined
 * when it has none. A score the client sends is never used.
 */
export function lessonScore(
  items: { exercises: number; words: number; rightExercises: number; rightWords: number },
): number | undefined {
  const total = items.exercises + items.words;
  if (!total) return undefined;
  return Math.round(((items.rightExercises + items.rightWords) / total) * 1000) / 10;
}

/** Whether a completion with this score masters the lesson (no score: nothing graded). */
export function isMastered(score: number | undefined): boolean {
  return score === undefined || score >= MASTERY_THRESHOLD;
}

/** Course completion as a percentage with one decimal. */
export function completionPercentage(completed: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((Math.min(completed, total) / total) * 1000) / 10;
}
