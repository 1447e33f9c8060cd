/** `/api/courses`: the catalogue, one course with its lessons, enrolment, and authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { listCourses, loadCourse } from "../db/catalog.ts";
import {
  archiveOrDeleteCourse,
  insertCourse,
  insertLesson,
  updateCourse,
} from "../db/content_admin.ts";
import { latestPlacement } from "../db/adaptive_learning.ts";
import { enrol } from "../db/learning_records.ts";
import { Course, Lesson } from "../domain/content_schema.ts";
import { completionPercentage, lessonStatuses } from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import { prerequisiteMet } from "../domain/placement.ts";
import { courseView, lessonListView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam, LevelParam, Pagination } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";
import { languageIdOr404, languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";

const CoursesQuery = z.object({
  language: LanguageParam.optional(),
  level: LevelParam.optional(),
  ...Pagination,
}).strict();

const NewCourse = Course.omit({ lessons: true }).extend({
  language: LanguageParam,
  lessons: z.array(Lesson).default([]),
});
const CoursePatch = Course.omit({ lessons: true, slug: true }).partial().strict();
const NewLesson = Lesson.extend({ position: z.number().int().min(1).optional() });

export const coursesRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Courses by language (code or id) and level, with enrolment when signed in",
      tags: ["curriculum"],
      auth: "optional",
    }),
    validate("query", CoursesQuery),
    async (c) => {
      const q = c.req.valid("query");
      const { db, locale } = c.var;
      const languageId = await languageIdOr404(db, q.language);
      const rows = await listCourses(db, { languageId, level: q.level, userId: c.var.user?.id });
      const page = rows.slice(q.offset, q.offset + q.limit);
      return c.json({
        data: page.map((r) => ({
          ...courseView(r.course, r.language, locale),
          lesson_count: Number(r.lessonCount),
          enrolled: r.progress !== null,
          completion_percentage: r.progress?.completionPercentage ?? null,
        })),
        meta: { total: rows.length, limit: q.limit, offset: q.offset, locale },
      });
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A course: objectives, ordered lessons with status, prerequisites, enrolment",
      tags: ["curriculum"],
      auth: "optional",
    }),
    validate("param", IdParam),
    async (c) => {
      const { db, locale } = c.var;
      const found = await loadCourse(db, c.req.valid("param").id, c.var.user?.id);
      if (!found || found.course.status !== "published") throw notFound("Course");
      const { course, language, progress, prerequisite } = found;
      const completed = prerequisite?.progress?.completedAt != null;
      // A prerequisite not completed may still be met by a placement test at this level.
      const required = prerequisite ? { completed } : null;
      const met = prerequisiteMet({
        prerequisite: required,
        placedLevel: required && !completed && c.var.user
          ? (await latestPlacement(db, c.var.user.id, course.languageId))?.placedLevel
          : undefined,
        courseLevel: course.level,
      });
      const statuses = lessonStatuses(
        found.lessons.map((l) => l.id),
        found.states,
        progress !== null,
      );
      const best = new Map(found.states.map((s) => [s.lessonId, s.bestScore]));
      return c.json({
        data: {
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
          lessons: found.lessons.map((l, i) =>
            lessonListView(l, statuses[i], best.get(l.id) ?? null, locale)
          ),
        },
      });
    },
  )
  .post(
    "/:id/enroll",
    describe({
      summary: "Enrol in a course (idempotent); refused with 409 while a prerequisite is unmet",
      tags: ["curriculum"],
      auth: "user",
      responses: { 200: "Already enrolled", 201: "Enrolled", 409: "Prerequisite not completed" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const found = await loadCourse(db, c.req.valid("param").id, user.id);
      if (!found || found.course.status !== "published") throw notFound("Course");
      const { course, prerequisite } = found;
      if (found.progress) {
        return c.json({ data: enrolmentView(found.progress, found.lessons.length, false) });
      }
      // A finished placement at or above this course's level counts for the prerequisite,
      // and starts the learner at the lesson it placed them in.
      const placement = await latestPlacement(db, user.id, course.languageId);
      const met = prerequisiteMet({
        prerequisite: prerequisite
          ? { completed: prerequisite.progress?.completedAt != null }
          : null,
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
      await enrol(db, {
        userId: user.id,
        courseId: course.id,
        firstLessonId: (placement?.placedCourseId === course.id
          ? found.lessons.find((l) =>
            l.id === placement.placedLessonId
          )?.id
          : undefined) ?? found.lessons[0]?.id ?? null,
        now,
        source: met.via === "placement" ? "placement" : "enrolled",
      });
      return c.json({
        data: {
          course_id: course.id,
          enrolled: true,
          newly_enrolled: true,
          enrolled_at: now.toISOString(),
          completed_lessons: 0,
          total_lessons: found.lessons.length,
          completion_percentage: 0,
          first_lesson_id: found.lessons[0]?.id ?? null,
        },
      }, 201);
    },
  )
  .post(
    "/",
    describe({ summary: "Create a course (editor or admin)", tags: ["authoring"], auth: "editor" }),
    requireRole("editor", "admin"),
    validate("json", NewCourse),
    async (c) => {
      const body = c.req.valid("json");
      const language = await languageOr404(c.var.db, body.language);
      const created = await insertCourse(c.var.db, language.id, body);
      return c.json({ data: created }, 201);
    },
  )
  .patch(
    "/:id",
    describe({ summary: "Update a course (editor or admin)", tags: ["authoring"], auth: "editor" }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", CoursePatch),
    async (c) => {
      const updated = await updateCourse(c.var.db, c.req.valid("param").id, c.req.valid("json"));
      if (!updated) throw notFound("Course");
      return c.json({ data: updated });
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a course, or archive it when learners have progress (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const outcome = await archiveOrDeleteCourse(c.var.db, c.req.valid("param").id);
      if (outcome === "not_found") throw notFound("Course");
      if (outcome === "is_prerequisite") {
        throw conflict("Another course requires this one; change that course first");
      }
      return c.json({ data: { id: c.req.valid("param").id, outcome } });
    },
  )
  .post(
    "/:id/lessons",
    describe({
      summary: "Add a lesson to a course at a position (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", NewLesson),
    async (c) => {
      const created = await insertLesson(c.var.db, c.req.valid("param").id, c.req.valid("json"));
      if (created === "course_not_found") throw notFound("Course");
      if (created === "unknown_reference") {
        throw new ApiError(
          "VALIDATION_ERROR",
          "The lesson names words or topics of another language",
          [
            {
              field: "vocabulary",
              message: "Every word and grammar topic must exist in the course's language",
            },
          ],
        );
      }
      if (created === "duplicate") throw conflict("A lesson with this slug exists");
      return c.json({ data: created }, 201);
    },
  );

function enrolmentView(
  progress: {
    courseId: string;
    enrolledAt: Date;
    completedLessons: number;
    completionPercentage: number;
  },
  total: number,
  newly: boolean,
) {
  return {
    course_id: progress.courseId,
    enrolled: true,
    newly_enrolled: newly,
    enrolled_at: progress.enrolledAt.toISOString(),
    completed_lessons: progress.completedLessons,
    total_lessons: total,
    completion_percentage: progress.completionPercentage ??
      completionPercentage(progress.completedLessons, total),
  };
}
