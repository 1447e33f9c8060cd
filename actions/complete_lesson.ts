/**
 * Complete a lesson: grade the answers sent with it, score the lesson from every
 * item the learner has answered right (here, in grammar practice, in vocabulary
 * practice), master it and unlock the next one at the threshold, pay XP in
 * proportion to the score (the first mastery once ever, a repeat once a day), and
 * award what it earned, in one atomic batch that also reads back the course's
 * new counts.
 */
import { loadLesson } from "../db/catalog.ts";
import { type Credit, creditStatements, EVER, PaidXp } from "../db/item_credits.ts";
import { courseProgressQuery, lessonCompletionStatements } from "../db/learning_records.ts";
import type { userProgress } from "../db/schema.ts";
import { localDate } from "../domain/calendar.ts";
import { answerSetProblems, gradeExercise } from "../domain/exercise_checking.ts";
import {
  isMastered,
  lessonScore,
  lessonStatus,
  MASTERY_THRESHOLD,
} from "../domain/lesson_unlocking.ts";
import { lessonXp, repeatXp } from "../domain/xp.ts";
import { badRequest, forbidden, notFound } from "../http/errors.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

export interface LessonCompletion {
  lessonId: string;
  /** Answers to the lesson's exercises, graded here. */
  answers: readonly { exerciseId: string; answer: string | string[] }[];
  /** Seconds spent on the lesson. */
  timeSpentSeconds: number;
}

/** The learner's status for a loaded lesson. */
export function loadedLessonStatus(found: NonNullable<Awaited<ReturnType<typeof loadLesson>>>) {
  return lessonStatus(
    found.siblings.map((s) => s.id),
    found.states,
    found.progress !== null,
    found.lesson.id,
  );
}

export async function completeLesson(deps: ActionDeps, user: Learner, input: LessonCompletion) {
  const { db, clock } = deps;
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const found = await loadLesson(db, input.lessonId, user.id, today);
  if (!found || found.lesson.status !== "published") throw notFound("Lesson");
  const status = loadedLessonStatus(found);
  if (status.status === "locked") {
    throw forbidden(status.reason!.message, { reason: status.reason });
  }
  const { lesson, course } = found;
  const exercises = new Map(found.exercises.map((e) => [e.id, e]));
  const answers = input.answers.map((a) => ({ exercise_id: a.exerciseId, answer: a.answer }));
  const problems = answerSetProblems(answers, exercises, "Not an exercise of this lesson");
  if (problems.length) throw badRequest("Some answers do not fit this lesson", problems);
  const results = answers.map((a) => gradeExercise(exercises.get(a.exercise_id)!, a.answer));
  const right = new Set([
    ...[...found.answeredExercises].filter((id) => exercises.has(id)),
    ...results.filter((r) => r.correct).map((r) => r.exercise_id),
  ]);
  const wordsRight = found.words.filter((w) => found.recalledWords.has(w.id)).length;
  const score = lessonScore({
    exercises: exercises.size,
    words: found.words.length,
    rightExercises: right.size,
    rightWords: wordsRight,
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
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    // The activity's XP is what the credits below find unpaid, so it comes before them.
    completion: lessonCompletionStatements(db, {
      userId: user.id,
      lessonId: lesson.id,
      courseId: course.id,
      nextLessonId: next?.id ?? null,
      mastered,
      score: score ?? null,
      timeSpentSeconds: input.timeSpentSeconds,
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
        durationSeconds: input.timeSpentSeconds,
        xp: new PaidXp([paying]),
        occurredAt: now,
        localDate: today,
      },
    }),
    // Exercises answered right here count for this lesson (and others) from now on.
    credits: creditStatements(db, user.id, [
      ...new Set([paying, todayCredit]),
      ...results.filter((r) => r.correct).map((r) => ({
        key: `exercise:${r.exercise_id}`,
        xp: 0,
        localDate: today,
      })),
    ]),
    progress: [courseProgressQuery(db, user.id, course.id)],
    awards: awards.statements,
  });
  const [progress] = written.progress[0] as (typeof userProgress.$inferSelect)[];
  const awarded = await awards.finish(written.awards, now);
  const previousBest = found.states.find((s) => s.lessonId === lesson.id)?.row.bestScore ?? null;
  const bestScore = score === undefined ? previousBest : Math.max(previousBest ?? 0, score);
  return {
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
      words_right: wordsRight,
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
    ...awarded,
    course_progress: {
      course_id: course.id,
      completed_lessons: progress?.completedLessons ?? 0,
      total_lessons: found.siblings.length,
      completion_percentage: progress?.completionPercentage ?? 0,
      completed: progress?.completedAt != null,
    },
  };
}
