/** `/api/lessons`: a course's lessons with status, one lesson's materials, completion, authoring. */
import { Hono } from "hono";
import { z } from "zod";
import { loadCourse, loadLesson, mostRecentCourseId } from "../db/catalog.ts";
import { archiveOrDeleteLesson, updateLesson } from "../db/content_admin.ts";
import { recordLessonAccess, recordLessonCompletion } from "../db/learning_records.ts";
import { localDate } from "../domain/calendar.ts";
import { Lesson } from "../domain/content_schema.ts";
import { gradeExercise } from "../domain/exercise_checking.ts";
import {
  isMastered,
  lessonScore,
  lessonStatuses,
  MASTERY_THRESHOLD,
} from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import { lessonXp, repeatXp } from "../domain/xp.ts";
import { type Credit, creditStatements, EVER, unpaidXp } from "../db/item_credits.ts";
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
import { awardPlan } from "../actions/awards.ts";
import { validate } from "../http/validate.ts";

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
      const { db, clock } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const now = clock.now();
      const today = localDate(now, user.timezone);
      const found = await loadLesson(db, c.req.valid("param").id, user.id, today);
      if (!found || found.lesson.status !== "published") throw notFound("Lesson");
      const status = statusOf(found);
      if (status.status === "locked") {
        throw forbidden(status.reason!.message, { reason: status.reason });
      }
      const { lesson, course } = found;
      const exercises = new Map(found.exercises.map((e) => [e.id, e]));
      const seen = new Set<string>();
      const problems = body.answers.flatMap((a, i) => {
        const field = `answers.${i}.exercise_id`;
        if (!exercises.has(a.exercise_id)) {
          return [{ field, message: "Not an exercise of this lesson" }];
        }
        if (seen.has(a.exercise_id)) return [{ field, message: "Answered twice" }];
        seen.add(a.exercise_id);
        return [];
      });
      if (problems.length) throw badRequest("Some answers do not fit this lesson", problems);
      const results = body.answers.map((a) =>
        gradeExercise(exercises.get(a.exercise_id)!, a.answer)
      );
      const right = new Set([
        ...[...found.answeredExercises].filter((id) => exercises.has(id)),
        ...results.filter((r) => r.correct).map((r) => r.exercise_id),
      ]);
      const score = lessonScore({
        exercises: exercises.size,
        words: found.words.length,
        rightExercises: right.size,
        rightWords: found.words.filter((w) => found.recalledWords.has(w.id)).length,
      });
      const mastered = isMastered(score);
      const wasCompleted = status.status === "completed";
      const index = found.siblings.findIndex((s) => s.id === lesson.id);
      const next = found.siblings[index + 1] ?? null;
      const firstMastery = mastered && !wasCompleted;
      const value = lessonXp({ level: course.level, firstMastery, score });
      // First mastery pays once ever; a repeat once a day. The ledger pays what the batch
      // finds unpaid, so parallel completions pay once.
      const xp = firstMastery ? value : repeatXp(value, found.paidToday);
      const todayCredit: Credit = { key: `lesson:${lesson.id}`, xp: value, localDate: today };
      const paying: Credit = firstMastery
        ? { key: `mastery:lesson:${lesson.id}`, xp: value, localDate: EVER }
        : todayCredit;
      const timeSpent = body.time_spent ?? 0;
      const plan = awardPlan(c.var, user);
      const { progress, trailing } = await recordLessonCompletion(db, {
        trailing: plan.statements,
        // Exercises answered right here count for this lesson (and others) from now on.
        also: creditStatements(db, user.id, [
          ...new Set([paying, todayCredit]),
          ...results.filter((r) => r.correct).map((r) => ({
            key: `exercise:${r.exercise_id}`,
            xp: 0,
            localDate: today,
          })),
        ]),
        userId: user.id,
        lessonId: lesson.id,
        courseId: course.id,
        nextLessonId: next?.id ?? null,
        mastered,
        score: score ?? null,
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
          score: score ?? null,
          durationSeconds: timeSpent,
          xp: unpaidXp(user.id, [paying]),
          occurredAt: now,
          localDate: today,
        },
      });
      const awards = await plan.finish(trailing, now);
      const previousBest = found.states.find((s) => s.lessonId === lesson.id)?.row.bestScore ??
        null;
      const bestScore = score === undefined ? previousBest : Math.max(previousBest ?? 0, score);
      return c.json({
        data: {
          lesson_id: lesson.id,
          status: mastered || wasCompleted ? "completed" : "available",
          mastered,
          mastery_threshold: MASTERY_THRESHOLD,
          score: score ?? null,
          best_score: bestScore,
          items: {
            exercises: exercises.size,
            exercises_right: right.size,
            words: found.words.length,
            words_right: found.words.filter((w) => found.recalledWords.has(w.id)).length,
          },
          results: results.map((r) => ({
            exercise_id: r.exercise_id,
            correct: r.correct,
            correct_answer: r.correct_answer,
            error: r.error,
          })),
          already_completed: wasCompleted,
          xp_earned: xp,
          feedback: mastered ? null : `Answer ${MASTERY_THRESHOLD}% or more of this lesson's ` +
            "exercises and words right (exercises here or in grammar practice, words in " +
            "vocabulary practice) to master it and unlock the next one",
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
