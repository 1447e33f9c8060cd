/**
 * Enrol a learner in a course. Idempotent: enrolling again returns the enrolment
 * as it stands. Refused (409) while the prerequisite is neither completed nor
 * covered by a finished placement at or above this course's level; a placement in
 * this course starts the learner at the lesson it placed them in.
 */
import { latestPlacement } from "../db/adaptive_learning.ts";
import { enrolStatements } from "../db/learning_records.ts";
import { localized } from "../domain/localize.ts";
import { prerequisiteMet, startingLessonId } from "../domain/placement.ts";
import { conflict } from "../http/errors.ts";
import { type CourseRequest, publishedCourse } from "./course_overview.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

export async function enrolInCourse(deps: ActionDeps, user: Learner, input: CourseRequest) {
  const { db, clock, locale } = deps;
  const found = await publishedCourse(db, input.courseId, user.id);
  const { course, prerequisite, progress } = found;
  const total = found.lessons.length;
  if (progress) {
    return {
      course_id: progress.courseId,
      enrolled: true,
      newly_enrolled: false,
      enrolled_at: progress.enrolledAt.toISOString(),
      completed_lessons: progress.completedLessons,
      total_lessons: total,
      completion_percentage: progress.completionPercentage,
    };
  }
  const placement = await latestPlacement(db, user.id, course.languageId);
  const met = prerequisiteMet({
    prerequisite: prerequisite ? { completed: prerequisite.progress?.completedAt != null } : null,
    placedLevel: placement?.placedLevel,
    courseLevel: course.level,
  });
  if (!met.met && prerequisite) {
    const title = localized(prerequisite.course.title, locale);
    throw conflict(`Complete ${title} before enrolling in this course`, {
      reason: "prerequisite_not_completed",
      prerequisite: {
        id: prerequisite.course.id,
        title,
        completion_percentage: prerequisite.progress?.completionPercentage ?? 0,
      },
    });
  }
  const now = clock.now();
  const lessonIds = found.lessons.map((l) => l.id);
  await runWriteBatch(db, {
    enrolment: enrolStatements(db, {
      userId: user.id,
      courseId: course.id,
      firstLessonId: startingLessonId(lessonIds, course.id, placement),
      now,
      source: met.via === "placement" ? "placement" : "enrolled",
    }),
  });
  return {
    course_id: course.id,
    enrolled: true,
    newly_enrolled: true,
    enrolled_at: now.toISOString(),
    completed_lessons: 0,
    total_lessons: total,
    completion_percentage: 0,
    first_lesson_id: lessonIds[0] ?? null,
  };
}
