/** `/api/lessons`: a course's lessons with status, one lesson's materials, completion, authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { loadCourse, loadLesson, mostRecentCourseId } from "../db/catalog.ts";
import { archiveOrDeleteLesson, updateLesson } from "../db/content_admin.ts";
import { recordLessonAccess, recordLessonCompletion } from "../db/learning_records.ts";
import { localDate } from "../domain/calendar.ts";
import { Lesson } from "../domain/content_schema.ts";
import { isMastered, lessonStatuses, MASTERY_THRESHOLD } from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import { lessonXp } from "../domain/xp.ts";
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
import { awardPlan } from "../http/awards.ts";
import { validate } from "../http/validate.ts";

const LessonsQuery = z.object({ course_id: IdParam.shape.id.optional() }).strict();

export const CompleteBody = z.object({
  /** Seconds spent on the lesson. */
  time_spent: z.number().int().min(0).max(86_400).optional(),
  /** Percentage score of the lesson's graded part, if it had one. */
  score: z.number().min(0).max(100).optional(),
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
      const status = statusOf(found);
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
        `Complete a lesson; a score of ${MASTERY_THRESHOLD}% or more masters it and unlocks the next`,
      description: "`time_spent` is in seconds, `score` a percentage. Without a score the lesson " +
        "had no graded part and counts as mastered. Completing again may raise the best score " +
        "but never counts the lesson twice.",
      tags: ["curriculum"],
      auth: "user",
      responses: { 200: "Recorded", 403: "Locked or not enrolled" },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", CompleteBody),
    async (c) => {
      const { db, clock } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const found = await loadLesson(db, c.req.valid("param").id, user.id);
      if (!found || found.lesson.status !== "published") throw notFound("Lesson");
      const status = statusOf(found);
      if (status.status === "locked") {
        throw forbidden(status.reason!.message, { reason: status.reason });
      }
      const { lesson, course } = found;
      const now = clock.now();
      const mastered = isMastered(body.score);
      const wasCompleted = status.status === "completed";
      const index = found.siblings.findIndex((s) => s.id === lesson.id);
      const next = found.siblings[index + 1] ?? null;
      const xp = lessonXp({
        level: course.level,
        firstMastery: mastered && !wasCompleted,
        score: body.score,
      });
      const timeSpent = body.time_spent ?? 0;
      const plan = awardPlan(c, user);
      const { progress, trailing } = await recordLessonCompletion(db, {
        trailing: plan.statements,
        userId: user.id,
        lessonId: lesson.id,
        courseId: course.id,
        nextLessonId: next?.id ?? null,
        mastered,
        score: body.score ?? null,
        timeSpentSeconds: timeSpent,
        totalLessons: found.siblings.length,
        now,
        activity: {
          userId: user.id,
          kind: "lesson",
          skill: lesson.type === "grammar"
            ? "grammar"
            : lesson.type === "conversation"
            ? "reading"
            : "vocabulary",
          languageId: course.languageId,
          courseId: course.id,
          refId: lesson.id,
          score: body.score ?? null,
          durationSeconds: timeSpent,
          xp,
          occurredAt: now,
          localDate: localDate(now, user.timezone),
        },
      });
      const awards = await plan.finish(trailing, now);
      const previousBest = found.states.find((s) => s.lessonId === lesson.id)?.row.bestScore ??
        null;
      const bestScore = body.score === undefined
        ? previousBest
        : Math.max(previousBest ?? 0, body.score);
      return c.json({
        data: {
          lesson_id: lesson.id,
          status: mastered || wasCompleted ? "completed" : "available",
          mastered,
          mastery_threshold: MASTERY_THRESHOLD,
          score: body.score ?? null,
          best_score: bestScore,
          already_completed: wasCompleted,
          xp_earned: xp,
          feedback: mastered
            ? null
            : `Score ${MASTERY_THRESHOLD}% or more to master this lesson and unlock the next one`,
          next_lesson: next
            ? { id: next.id, status: mastered || wasCompleted ? "available" : "locked" }
            : null,
          ...awards,
          course_progress: {
            course_id: course.id,
            completed_lessons: progress?.completedLessons ?? 0,
            total_lessons: found.siblings.length,
            completion_percentage: progress?.completionPercentage ?? 0,
            completed: progress?.completedAt != null,
          },
        },
      });
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

/** The learner's status for the loaded lesson. */
function statusOf(found: NonNullable<Awaited<ReturnType<typeof loadLesson>>>) {
  const ids = found.siblings.map((s) => s.id);
  const statuses = lessonStatuses(ids, found.states, found.progress !== null);
  return statuses[ids.indexOf(found.lesson.id)] ?? { status: "locked" as const };
}
