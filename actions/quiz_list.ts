/**
 * The quizzes of the learner's courses (or of one course), with what the learner
 * has done in each: attempts used and left, best score, passed.
 */
import { enrolledCourseIds, listQuizzes } from "../db/quizzes.ts";
import { localized } from "../domain/localize.ts";
import { quizType } from "../domain/quiz_generation.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface QuizListRequest {
  /** One course; else every course the learner is enrolled in. */
  courseId?: string;
  kind?: "vocabulary" | "grammar" | "final";
}

export async function quizList(deps: ActionDeps, user: Learner, input: QuizListRequest) {
  const { db, locale } = deps;
  const courseIds = input.courseId ? [input.courseId] : await enrolledCourseIds(db, user.id);
  const rows = (await listQuizzes(db, { courseIds, userId: user.id }))
    .filter((r) => !input.kind || r.quiz.kind === input.kind);
  return {
    data: rows.map((r) => ({
      id: r.quiz.id,
      course_id: r.quiz.courseId,
      language_id: r.languageId,
      level: r.level,
      kind: r.quiz.kind,
      quiz_type: quizType(r.quiz.kind),
      title: localized(r.quiz.title, locale),
      difficulty: r.quiz.difficulty,
      question_count: Number(r.questions),
      time_limit_seconds: r.quiz.timeLimitSeconds,
      pass_percentage: r.quiz.passPercentage,
      max_attempts: r.quiz.maxAttempts,
      attempts_used: Number(r.used),
      attempts_remaining: Math.max(0, r.quiz.maxAttempts - Number(r.used)),
      best_score: r.best === null ? null : Number(r.best),
      passed: Number(r.passed ?? 0) === 1,
    })),
    meta: { total: rows.length, course_ids: courseIds },
  };
}
