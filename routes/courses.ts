/** `/api/courses`: the catalogue, one course with its lessons, enrolment, and authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { listCourses } from "../db/catalog.ts";
import {
  archiveOrDeleteCourse,
  insertCourse,
  insertLesson,
  updateCourse,
} from "../db/content_admin.ts";
import { Course, Lesson } from "../domain/content_schema.ts";
import { courseView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam, LevelParam, Pagination } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";
import { languageIdOr404, languageOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";
import { courseOverview } from "../actions/course_overview.ts";
import { enrolInCourse } from "../actions/enrol.ts";

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
      const data = await courseOverview(c.var, c.var.user ?? null, {
        courseId: c.req.valid("param").id,
      });
      return c.json({ data });
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
      const data = await enrolInCourse(c.var, currentUser(c), {
        courseId: c.req.valid("param").id,
      });
      return c.json({ data }, data.newly_enrolled ? 201 : 200);
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
