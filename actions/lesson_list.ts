/**
 * A course's lessons with the learner's status in each: the course asked for, else
 * (signed in) the one the learner was most recently active in.
 */
import { mostRecentCourseId } from "../db/catalog.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { courseLessons, publishedCourse } from "./course_overview.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface LessonListRequest {
  courseId?: string;
}

export async function lessonList(
  deps: ActionDeps,
  user: Learner | null,
  input: LessonListRequest,
) {
  const { db, locale } = deps;
  let courseId = input.courseId;
  if (!courseId) {
    if (!user) {
      throw badRequest("Give course_id, or sign in to see your current course", [{
        field: "course_id",
        message: "Required when signed out",
      }]);
    }
    courseId = await mostRecentCourseId(db, user.id);
    if (!courseId) throw notFound("No course yet: enrol in a course first. Course");
  }
  const found = await publishedCourse(db, courseId, user?.id);
  const data = courseLessons(found, locale).map((l) => ({ ...l, course_id: found.course.id }));
  return {
    data,
    meta: { total: data.length, course_id: found.course.id, enrolled: found.progress !== null },
  };
}
