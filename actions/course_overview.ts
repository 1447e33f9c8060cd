/**
 * One course as a learner (or a visitor) sees it: objectives, the ordered lessons
 * with their status, whether its prerequisite is met (by completion or by a
 * placement at this level), and the learner's enrolment.
 */
import { latestPlacement } from "../db/adaptive_learning.ts";
import { loadCourse } from "../db/catalog.ts";
import type { Db } from "../db/client.ts";
import type { Locale } from "../domain/content_schema.ts";
import { lessonStatuses } from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import { prerequisiteMet } from "../domain/placement.ts";
import { courseView, lessonListView } from "../http/content_views.ts";
import { notFound } from "../http/errors.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface CourseRequest {
  courseId: string;
}

/** A published course with the learner's progress in it and its prerequisite's, or a 404. */
export async function publishedCourse(db: Db, courseId: string, userId: string | undefined) {
  const found = await loadCourse(db, courseId, userId);
  if (!found || found.course.status !== "published") throw notFound("Course");
  return found;
}

type PublishedCourse = Awaited<ReturnType<typeof publishedCourse>>;

export async function courseOverview(
  deps: ActionDeps,
  user: Learner | null,
  input: CourseRequest,
) {
  const { db, locale } = deps;
  const found = await publishedCourse(db, input.courseId, user?.id);
  const { course, language, progress, prerequisite } = found;
  const completed = prerequisite?.progress?.completedAt != null;
  // A prerequisite not completed may still be met by a placement test at this level.
  const required = prerequisite ? { completed } : null;
  const met = prerequisiteMet({
    prerequisite: required,
    placedLevel: required && !completed && user
      ? (await latestPlacement(db, user.id, course.languageId))?.placedLevel
      : undefined,
    courseLevel: course.level,
  });
  return {
    ...courseView(course, language, locale),
    objectives: course.objectives.map((o) => localized(o, locale)),
    lesson_count: found.lessons.length,
    prerequisites: prerequisite
      ? [{
        id: prerequisite.course.id,
        title: localized(prerequisite.course.title, locale),
        level: prerequisite.course.level,
        met: met.met,
        met_via: met.via,
        completion_percentage: prerequisite.progress?.completionPercentage ?? 0,
      }]
      : [],
    prerequisites_met: met.met,
    enrollment: progress
      ? {
        enrolled: true,
        enrolled_at: progress.enrolledAt.toISOString(),
        completed_lessons: progress.completedLessons,
        total_lessons: found.lessons.length,
        completion_percentage: progress.completionPercentage,
        last_lesson_id: progress.lastLessonId,
        completed_at: progress.completedAt?.toISOString() ?? null,
      }
      : { enrolled: false },
    lessons: courseLessons(found, locale),
  };
}

/** A course's lessons in order, each with its status for the learner and their best score. */
export function courseLessons(found: PublishedCourse, locale: Locale) {
  const statuses = lessonStatuses(
    found.lessons.map((l) => l.id),
    found.states,
    found.progress !== null,
  );
  const best = new Map(found.states.map((s) => [s.lessonId, s.bestScore]));
  return found.lessons.map((l, i) =>
    lessonListView(l, statuses[i], best.get(l.id) ?? null, locale)
  );
}
