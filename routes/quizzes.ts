/**
 * `/api/quizzes`: quizzes at the learner's courses, attempts that start or
 * resume with a fixed order and never show answers, server-scored submissions,
 * and the timed challenge mode.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  enrolledCourseIds,
  insertAttempt,
  listQuizzes,
  loadQuiz,
  recordSubmission,
} from "../db/quizzes.ts";
import type { quizQuestions } from "../db/schema.ts";
import { localDate } from "../domain/calendar.ts";
import type { Locale, LocalizedText } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import {
  attemptOrder,
  attemptState,
  quizXp,
  SUBMIT_GRACE_SECONDS,
} from "../domain/quiz_attempts.ts";
import type { StoredKey } from "../domain/quiz_generation.ts";
import {
  type AnswerKey,
  answerShapeError,
  type LearnerAnswer,
  scoreQuestion,
  totalScore,
} from "../domain/quiz_scoring.ts";
import { abilityUpdates } from "../http/ability_updates.ts";
import { awardPlan } from "../http/awards.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { randomId } from "../platform/tokens.ts";
import { challengeRoutes } from "./quiz_challenge.ts";

type QuestionRow = typeof quizQuestions.$inferSelect;

const QuizzesQuery = z.object({
  course_id: IdParam.shape.id.optional(),
  kind: z.enum(["vocabulary", "grammar", "final"]).optional(),
}).strict();

const Answer = z.union([
  z.string().max(500),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  z.record(z.string().max(200), z.string().max(200)),
]);

export const SubmitBody = z.object({
  attempt_id: z.string().max(64).optional(),
  answers: z.array(z.object({ question_id: z.string().min(1).max(128), answer: Answer }).strict())
    .max(200),
  /** Seconds the learner says it took; the server's own clock decides the deadline. */
  time_taken: z.number().int().min(0).max(86_400),
}).strict();

/** Replaces every localized text in a prompt by the learner's language. */
function localizeDeep(value: unknown, locale: Locale): unknown {
  if (Array.isArray(value)) return value.map((v) => localizeDeep(v, locale));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.en === "string") return localized(record as LocalizedText, locale);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, localizeDeep(v, locale)]));
  }
  return value;
}

/** How many items of a question are shuffled per attempt. */
function optionCount(q: QuestionRow): number {
  const p = q.prompt as { options?: unknown[]; words?: unknown[]; right?: unknown[] };
  return (p.options ?? p.words ?? p.right ?? []).length;
}

/** A question as the learner sees it in this attempt: localized, reordered, no answer. */
function questionView(q: QuestionRow, permutation: number[] | undefined, locale: Locale) {
  const p = localizeDeep(q.prompt, locale) as Record<string, unknown>;
  const permute = (items: unknown) =>
    Array.isArray(items) && permutation ? permutation.map((i) => items[i]) : items;
  return {
    id: q.id,
    type: q.type,
    points: q.points,
    ...p,
    ...(p.options ? { options: permute(p.options) } : {}),
    ...(p.words ? { words: permute(p.words) } : {}),
    ...(p.right ? { right: permute(p.right) } : {}),
  };
}

/** Resolves a stored key to a plain one in the learner's language. */
function resolveKey(key: StoredKey, locale: Locale): AnswerKey {
  if (key.type === "matching_localized") {
    return {
      type: "matching",
      pairs: Object.fromEntries(
        Object.entries(key.pairs).map(([k, v]) => [k, localized(v, locale)]),
      ),
    };
  }
  if (key.type === "multiple_choice_localized") {
    return { type: "multiple_choice", correct: key.correct.map((c) => localized(c, locale)) };
  }
  return key;
}

export const quizzesRoutes = new Hono<AppEnv>()
  .route("/challenge", challengeRoutes)
  .get(
    "/",
    describe({
      summary:
        "Quizzes of the learner's courses: type, difficulty, questions, time limit, best score, attempts",
      tags: ["quizzes"],
      auth: "user",
    }),
    requireUser,
    validate("query", QuizzesQuery),
    async (c) => {
      const { db, locale } = c.var;
      const user = currentUser(c);
      const q = c.req.valid("query");
      const courseIds = q.course_id ? [q.course_id] : await enrolledCourseIds(db, user.id);
      const rows = (await listQuizzes(db, { courseIds, userId: user.id }))
        .filter((r) => !q.kind || r.quiz.kind === q.kind);
      return c.json({
        data: rows.map((r) => ({
          id: r.quiz.id,
          course_id: r.quiz.courseId,
          language_id: r.languageId,
          level: r.level,
          kind: r.quiz.kind,
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
      });
    },
  )
  .get(
    "/:id",
    describe({
      summary: "Start or resume an attempt: questions in a fixed random order, never the answers",
      description:
        "A reload returns the same attempt and order until it is submitted or its deadline " +
        "passes. Starting beyond `max_attempts` is refused with 409.",
      tags: ["quizzes"],
      auth: "user",
      responses: { 200: "Resumed", 201: "Started", 403: "Not enrolled", 409: "No attempts left" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const quizId = c.req.valid("param").id;
      const now = clock.now();
      for (let round = 0; round < 3; round++) {
        const found = await loadQuiz(db, quizId, user.id);
        if (!found || found.quiz.status !== "published") throw notFound("Quiz");
        const { quiz, questions, attempts } = found;
        if (!found.enrolled) {
          throw forbidden("Enrol in the course to take its quizzes", { reason: "not_enrolled" });
        }
        let attempt = attempts.find((a) => attemptState(a, now) === "open");
        let status: 200 | 201 = 200;
        if (!attempt) {
          if (attempts.length >= quiz.maxAttempts) {
            throw conflict(`All ${quiz.maxAttempts} attempts at this quiz are used`, {
              reason: "attempts_exhausted",
              attempts_used: attempts.length,
            });
          }
          const id = crypto.randomUUID();
          const order = attemptOrder(
            id,
            questions.map((q) => ({ id: q.id, optionCount: optionCount(q) })),
          );
          const row = {
            id,
            userId: user.id,
            quizId,
            attemptNumber: attempts.length + 1,
            questionOrder: order,
            startedAt: now,
            deadlineAt: quiz.timeLimitSeconds
              ? new Date(now.getTime() + quiz.timeLimitSeconds * 1000)
              : null,
          };
          if (!(await insertAttempt(db, row))) continue; // a parallel start won: resume it
          attempt = {
            ...row,
            submittedAt: null,
            score: null,
            maxScore: null,
            percentage: null,
            passed: null,
            timeTakenSeconds: null,
            answers: null,
          };
          status = 201;
        }
        const order = attempt.questionOrder as {
          questions: string[];
          options: Record<string, number[]>;
        };
        const byId = new Map(questions.map((q) => [q.id, q]));
        return c.json({
          data: {
            quiz: {
              id: quiz.id,
              course_id: quiz.courseId,
              kind: quiz.kind,
              title: localized(quiz.title, locale),
              difficulty: quiz.difficulty,
              pass_percentage: quiz.passPercentage,
              time_limit_seconds: quiz.timeLimitSeconds,
            },
            attempt: {
              id: attempt.id,
              attempt_number: attempt.attemptNumber,
              started_at: attempt.startedAt.toISOString(),
              deadline: attempt.deadlineAt?.toISOString() ?? null,
              grace_seconds: SUBMIT_GRACE_SECONDS,
              attempts_remaining: quiz.maxAttempts - attempt.attemptNumber,
            },
            questions: order.questions.filter((id) => byId.has(id))
              .map((id) => questionView(byId.get(id)!, order.options[id], locale)),
          },
        }, status);
      }
      throw conflict("The quiz is being started elsewhere at the same moment; try again");
    },
  )
  .post(
    "/:id/submit",
    describe({
      summary:
        "Submit an attempt: scored on the server; correct answers and explanations come back",
      description:
        "`time_taken` is in seconds (recorded, not trusted: the deadline is checked against " +
        `the attempt's server-side start, with ${SUBMIT_GRACE_SECONDS} s of grace). Partial credit per ` +
        "type is documented in domain/quiz_scoring.ts. A second submit of the same attempt is refused.",
      tags: ["quizzes"],
      auth: "user",
      responses: {
        200: "Scored",
        400: "Bad answers",
        409: "Late, submitted already, or not started",
      },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", SubmitBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const now = clock.now();
      const found = await loadQuiz(db, c.req.valid("param").id, user.id);
      if (!found || found.quiz.status !== "published") throw notFound("Quiz");
      const { quiz, course, questions, attempts } = found;
      const attempt = body.attempt_id
        ? attempts.find((a) => a.id === body.attempt_id)
        : attempts.find((a) => !a.submittedAt) ?? attempts[attempts.length - 1];
      if (!attempt) {
        if (body.attempt_id) throw notFound("Attempt");
        throw conflict("Start the quiz first (GET /api/quizzes/{id})", { reason: "not_started" });
      }
      const state = attemptState(attempt, now);
      if (state === "submitted") {
        throw conflict("This attempt was already submitted", { reason: "already_submitted" });
      }
      if (state === "expired") {
        throw conflict("The time limit for this attempt has passed", {
          reason: "deadline_passed",
          deadline: attempt.deadlineAt?.toISOString(),
        });
      }

      const byId = new Map(questions.map((q) => [q.id, q]));
      const seen = new Set<string>();
      const problems = body.answers.flatMap((a, i) => {
        const q = byId.get(a.question_id);
        if (!q) {
          return [{ field: `answers.${i}.question_id`, message: "Not a question of this quiz" }];
        }
        if (seen.has(a.question_id)) {
          return [{ field: `answers.${i}.question_id`, message: "Answered twice" }];
        }
        seen.add(a.question_id);
        const shape = answerShapeError(resolveKey(q.answer as StoredKey, locale), a.answer);
        return shape ? [{ field: `answers.${i}.answer`, message: shape }] : [];
      });
      if (problems.length) throw badRequest("Some answers do not fit this quiz", problems);

      const given = new Map(body.answers.map((a) => [a.question_id, a.answer as LearnerAnswer]));
      const language = course.languageId;
      const order = (attempt.questionOrder as { questions: string[] }).questions;
      const results = order.filter((id) => byId.has(id)).map((id) => {
        const q = byId.get(id)!;
        const tags = q.tags as Record<string, string>;
        const answer = given.get(id);
        const key = resolveKey(q.answer as StoredKey, locale);
        const r = answer === undefined
          ? {
            credit: 0,
            correct: false,
            error: "incomplete" as const,
            correct_answer: scoreQuestion(key, "").correct_answer,
            note: null,
          }
          : scoreQuestion(key, answer, { concept: tags.concept });
        return { q, tags, answer, r };
      });
      const totals = totalScore(
        results.map(({ q, r }) => ({ credit: r.credit, points: q.points })),
      );
      const passed = totals.percentage >= quiz.passPercentage;
      const passedBefore = attempts.some((a) => a.passed);
      const xp = quizXp({
        percentage: totals.percentage,
        passed,
        difficulty: quiz.difficulty,
        passedBefore,
      });
      const elapsed = Math.round((now.getTime() - attempt.startedAt.getTime()) / 1000);
      const certificate = quiz.kind === "final" && passed
        ? {
          id: crypto.randomUUID(),
          publicId: randomId(12),
          userId: user.id,
          courseId: course.id,
          level: course.level,
          score: totals.percentage,
          attemptId: attempt.id,
          issuedAt: now,
        }
        : null;
      // Each answered question updates the ability of the skill it tests and its difficulty.
      const model = abilityUpdates(db, {
        userId: user.id,
        languageId: language,
        abilities: found.abilities,
        items: found.items,
        answered: results.filter((x) => x.answer !== undefined).map(({ q, tags, r }) => ({
          itemId: q.id,
          itemType: "quiz_question" as const,
          skill: tags.grammar_topic
            ? "grammar" as const
            : tags.vocabulary_id
            ? "vocabulary" as const
            : "reading" as const,
          prior: { level: course.level, type: tags.question_type ?? q.type },
          score: r.credit,
          correct: r.correct,
        })),
        now,
      }, { afterConditionalWrite: true });
      const plan = awardPlan(c, user);
      const outcome = await recordSubmission(db, {
        trailing: plan.statements,
        attemptId: attempt.id,
        now,
        result: {
          score: totals.score,
          maxScore: totals.max_score,
          percentage: totals.percentage,
          passed,
          timeTaken: elapsed,
          answers: results.map(({ q, answer, r }) => ({
            question_id: q.id,
            answer,
            credit: r.credit,
            error: r.error,
          })),
        },
        activity: {
          userId: user.id,
          kind: "quiz",
          skill: quiz.kind === "grammar"
            ? "grammar"
            : quiz.kind === "vocabulary"
            ? "vocabulary"
            : "reading",
          languageId: language,
          courseId: course.id,
          refId: quiz.id,
          correct: results.filter((x) => x.r.correct).length,
          total: results.length,
          score: totals.percentage,
          durationSeconds: Math.min(elapsed, quiz.timeLimitSeconds ?? elapsed),
          xp,
          occurredAt: now,
          localDate: localDate(now, user.timezone),
        },
        courseId: course.id,
        errors: results.filter(({ r }) => !r.correct).map(({ q, tags, answer, r }) => ({
          source: "quiz",
          questionType: tags.question_type ?? q.type,
          errorKind: r.error ?? "wrong",
          vocabularyId: tags.vocabulary_id ?? null,
          grammarTopic: tags.grammar_topic ?? null,
          languageId: language,
          given: answer === undefined ? null : JSON.stringify(answer).slice(0, 200),
          expected: JSON.stringify(r.correct_answer).slice(0, 200),
        })),
        certificate,
        also: model.statements,
      });
      if (!outcome.recorded) {
        throw conflict("This attempt was already submitted", { reason: "already_submitted" });
      }
      const awards = await plan.finish(outcome.trailing, now);
      return c.json({
        data: {
          quiz_id: quiz.id,
          attempt_id: attempt.id,
          attempt_number: attempt.attemptNumber,
          attempts_remaining: Math.max(0, quiz.maxAttempts - attempts.length),
          score: totals.score,
          max_score: totals.max_score,
          percentage: totals.percentage,
          pass_percentage: quiz.passPercentage,
          passed,
          time_taken_seconds: elapsed,
          time_taken_reported: body.time_taken,
          xp_earned: xp,
          certificate: outcome.certificate
            ? {
              public_id: outcome.certificate.publicId,
              url: `/api/certificates/${outcome.certificate.publicId}`,
            }
            : null,
          results: results.map(({ q, answer, r }) => ({
            question_id: q.id,
            type: q.type,
            correct: r.correct,
            credit: r.credit,
            points: Math.round(r.credit * q.points * 100) / 100,
            max_points: q.points,
            your_answer: answer ?? null,
            correct_answer: r.correct_answer,
            error: r.error,
            note: r.note,
            explanation: localized(q.explanation as LocalizedText, locale),
          })),
          ...awards,
        },
      });
    },
  );
