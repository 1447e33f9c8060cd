/** `/api/lessons`: a course's lessons with status, one lesson's materials, completion, authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { loadCourse, loadLesson, mostRecentCourseId } from "../db/catalog.ts";
import { archiveOrDeleteLesson, updateLesson } from "../db/content_admin.ts";
import { recordLessonAccess } from "../db/learning_records.ts";
import { Lesson } from "../domain/content_schema.ts";
import { lessonStatuses, MASTERY_THRESHOLD } from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import {
  exerciseView,
  lessonListView,
  sentenceAudioUrl,
  topicSummaryView,
  wordView,
} from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, badRequest, forbidden, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireRole, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { completeLesson, loadedLessonStatus } from "../actions/complete_lesson.ts";

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
      const { db, locale } = c.var;
      const user = c.var.user;
      let courseId = c.req.valid("query").course_id;
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
      const found = await loadCourse(db, courseId, user?.id);
      if (!found || found.course.status !== "published") throw notFound("Course");
      const statuses = lessonStatuses(
        found.lessons.map((l) => l.id),
        found.states,
        found.progress !== null,
      );
      const best = new Map(found.states.map((s) => [s.lessonId, s.bestScore]));
      const data = found.lessons.map((l, i) => ({
        ...lessonListView(l, statuses[i], best.get(l.id) ?? null, locale),
        course_id: found.course.id,
      }));
      return c.json({
        data,
        meta: { total: data.length, course_id: found.course.id, enrolled: found.progress !== null },
      });
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
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const found = await loadLesson(db, c.req.valid("param").id, user.id);
      if (!found || found.lesson.status !== "published") throw notFound("Lesson");
      const { lesson, course, language } = found;
      const status = loadedLessonStatus(found);
      if (status.status === "locked") {
        throw forbidden(status.reason!.message, { reason: status.reason });
      }
      await recordLessonAccess(db, {
        userId: user.id,
        lessonId: lesson.id,
        courseId: course.id,
        now: clock.now(),
      });
      const content = lesson.content;
      const index = found.siblings.findIndex((s) => s.id === lesson.id);
      return c.json({
        data: {
          id: lesson.id,
          course_id: course.id,
          language: { id: language.id, code: language.code, tts_lang: language.ttsLang },
          position: lesson.position,
          type: lesson.type,
          status: status.status,
          title: localized(lesson.title, locale),
          summary: localized(lesson.summary, locale),
          estimated_minutes: lesson.estimatedMinutes,
          mastery_threshold: MASTERY_THRESHOLD,
          content: {
            text: localized(content.text, locale),
            dialogue: (content.dialogue ?? []).map((d) => ({
              speaker: d.speaker,
              text: d.text,
              reading: d.reading ?? null,
              romanization: d.romanization ?? null,
              translation: localized(d.translation, locale),
            })),
            examples: (content.examples ?? []).map((e) => ({
              text: e.text,
              reading: e.reading ?? null,
              romanization: e.romanization ?? null,
              translation: localized(e.translation, locale),
              audio_url: sentenceAudioUrl(lesson.exampleAudio, e.text),
            })),
            cultural_notes: (content.cultural_notes ?? []).map((n) => localized(n, locale)),
            usage_notes: (content.usage_notes ?? []).map((n) => localized(n, locale)),
          },
          audio_url: lesson.audioId ? `/api/audio/${lesson.audioId}` : null,
          vocabulary: found.words.map((w) => wordView(w, locale, found.wordStats.get(w.id))),
          grammar_topics: found.topics.map((t) => topicSummaryView(t, locale)),
          exercises: found.exercises.map((e) => exerciseView(e, locale)),
          previous_lesson_id: found.siblings[index - 1]?.id ?? null,
          next_lesson_id: found.siblings[index + 1]?.id ?? null,
        },
      });
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
