/**
 * Open a lesson: its content and materials in the learner's language (exercises
 * without answers), refused (403) while it is locked. Opening it is recorded: its
 * access counts and it becomes the course's last lesson.
 */
import { loadLesson } from "../db/catalog.ts";
import { lessonAccessStatements } from "../db/learning_records.ts";
import { MASTERY_THRESHOLD } from "../domain/lesson_unlocking.ts";
import { localized } from "../domain/localize.ts";
import {
  exerciseView,
  sentenceAudioUrl,
  topicSummaryView,
  wordView,
} from "../http/content_views.ts";
import { forbidden, notFound } from "../http/errors.ts";
import { loadedLessonStatus } from "./complete_lesson.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

export interface LessonRequest {
  lessonId: string;
}

export async function openLesson(deps: ActionDeps, user: Learner, input: LessonRequest) {
  const { db, clock, locale } = deps;
  const found = await loadLesson(db, input.lessonId, user.id);
  if (!found || found.lesson.status !== "published") throw notFound("Lesson");
  const { lesson, course, language } = found;
  const status = loadedLessonStatus(found);
  if (status.status === "locked") {
    throw forbidden(status.reason!.message, { reason: status.reason });
  }
  await runWriteBatch(db, {
    access: lessonAccessStatements(db, {
      userId: user.id,
      lessonId: lesson.id,
      courseId: course.id,
      now: clock.now(),
    }),
  });
  const content = lesson.content;
  const index = found.siblings.findIndex((s) => s.id === lesson.id);
  return {
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
  };
}
