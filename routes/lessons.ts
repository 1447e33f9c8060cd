/** `/api/lessons`: a course's lessons with status, one lesson's materials, completion, authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { archiveOrDeleteLesson, updateLesson } from "../db/content_admin.ts";
import { Lesson } from "../domain/content_schema.ts";
import { MASTERY_THRESHOLD } from "../domain/lesson_unlocking.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { completeLesson } from "../actions/complete_lesson.ts";
import { lessonList } from "../actions/lesson_list.ts";
import { openLesson } from "../actions/open_lesson.ts";

const LessonsQuery = z.object({ course_id: IdParam.shape.id.optional() }).strict();

export const CompleteBody = z.object({
  /** Seconds spent on the lesson. */
  time_spent: z.number().int().min(0).max(86_400).optional(),
  /** Accepted for older clients and ignored: the server computes the score. */
  score: z.number().min(0).max(100).optional().describe(
    "Ignored: the server computes the score from checked answers",
  ),
  /** Answers to the lesson's exercises (as listed by `GET /api/lessons/{id}`), checked here. */
  answers: z.array(
    z.object({
      exercise_id: z.string().min(1).max(128),
      answer: z.union([z.string().max(500), z.array(z.string().max(200)).max(50)]),
    }).strict(),
  ).max(200).default([]).describe(
    "Answers to the lesson's exercises, graded here; right ones count toward mastery",
  ),
}).strict();

const LessonPatch = Lesson.omit({ slug: true }).partial().strict();

export const lessonsRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Lessons of a course with status (defaults to the learner's most recent course)",
      tags: ["curriculum"],
      auth: "optional",
    }),
    validate("query", LessonsQuery),
    async (c) => {
      const page = await lessonList(c.var, c.var.user ?? null, {
        courseId: c.req.valid("query").course_id,
      });
      return c.json(page);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A lesson's content and materials (exercises without answers); 403 when locked",
      tags: ["curriculum"],
      auth: "user",
      responses: { 200: "The lesson", 403: "Locked" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const data = await openLesson(c.var, currentUser(c), { lessonId: c.req.valid("param").id });
      return c.json({ data });
    },
  )
  .post(
    "/:id/complete",
    describe({
      summary:
        `Complete a lesson; ${MASTERY_THRESHOLD}% of its items answered right masters it and unlocks the next`,
      description: "The score is the server's: the share of the lesson's items the learner " +
        "has answered right: its exercises (answered in `answers` here, or earlier through " +
        "`POST /api/grammar/{id}/exercise`) and its words (a right answer in vocabulary " +
        "practice). A `score` in the body is ignored. `time_spent` is in seconds. Completing " +
        "again may raise the best score but never counts the lesson twice; a repeat pays XP " +
        "once a day.",
      tags: ["curriculum"],
      auth: "user",
      responses: { 200: "Recorded", 403: "Locked or not enrolled" },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", CompleteBody),
    async (c) => {
      const body = c.req.valid("json");
      const result = await completeLesson(c.var, currentUser(c), {
        lessonId: c.req.valid("param").id,
        answers: body.answers.map((a) => ({ exerciseId: a.exercise_id, answer: a.answer })),
        timeSpentSeconds: body.time_spent ?? 0,
      });
      return c.json({ data: result });
    },
  )
  .patch(
    "/:id",
    describe({ summary: "Update a lesson (editor or admin)", tags: ["authoring"], auth: "editor" }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", LessonPatch),
    async (c) => {
      const outcome = await updateLesson(c.var.db, c.req.valid("param").id, c.req.valid("json"));
      if (outcome === "not_found") throw notFound("Lesson");
      if (outcome === "unknown_reference") {
        throw new ApiError("VALIDATION_ERROR", "The lesson names unknown words or topics", [
          {
            field: "vocabulary",
            message: "Every word and grammar topic must exist in the course's language",
          },
        ]);
      }
      return c.json({ data: outcome });
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a lesson, or archive it when learners have progress (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const outcome = await archiveOrDeleteLesson(c.var.db, c.req.valid("param").id);
      if (outcome === "not_found") throw notFound("Lesson");
      return c.json({ data: { id: c.req.valid("param").id, outcome } });
    },
  );
