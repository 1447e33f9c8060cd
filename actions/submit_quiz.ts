/**
 * Submit a quiz attempt: verify the signed attempt token, score every question on
 * the server, pay XP, move the adaptive model, record the wrong answers, issue the
 * certificate of a passed final, and award what it earned, in one atomic batch.
 * The attempt row is written only if its number is still free and everything else
 * is conditional on it, so of two racing submits of one attempt the loser writes
 * nothing and is refused.
 */
import { localDate } from "../domain/calendar.ts";
import type { LocalizedText } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { attemptDeadline, pastDeadline, quizXp } from "../domain/quiz_attempts.ts";
import type { StoredKey } from "../domain/quiz_generation.ts";
import {
  attemptQuestionOrder,
  questionSkill,
  quizSkill,
  resolveKey,
  servedType,
} from "../domain/quiz_questions.ts";
import {
  answerShapeError,
  type LearnerAnswer,
  scoreQuestion,
  totalScore,
} from "../domain/quiz_scoring.ts";
import { errorStatements } from "../db/error_events.ts";
import {
  loadQuiz,
  recordedCertificate,
  recordedSubmissionStatements,
  submissionStatements,
} from "../db/quizzes.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { readAttemptToken } from "../http/quiz_tokens.ts";
import { randomId } from "../platform/tokens.ts";
import { abilityUpdates } from "./ability_updates.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { rowsChanged, runWriteBatch } from "./write_batch.ts";

export interface QuizSubmission {
  quizId: string;
  /** The attempt token from `GET /api/quizzes/{id}` (sent in the body or its cookie). */
  attemptToken: string | undefined;
  answers: readonly { questionId: string; answer: LearnerAnswer }[];
  /** What the learner reports; recorded, never trusted (the token's issue time is). */
  timeTakenSeconds: number;
}

export async function submitQuiz(deps: ActionDeps, user: Learner, input: QuizSubmission) {
  const { db, clock, config, locale } = deps;
  const { quizId } = input;
  const now = clock.now();
  if (!input.attemptToken) {
    throw conflict(
      "Start the quiz first: GET /api/quizzes/{id}, then send its attempt.token as attempt_token",
      { reason: "not_started" },
    );
  }
  const held = readAttemptToken(config.QUIZ_TOKEN_SECRET, input.attemptToken, {
    userId: user.id,
    quizId,
  });
  if (!held) {
    throw badRequest("The attempt token is not valid for this quiz", [
      { field: "attempt_token", message: "Not a token from GET /api/quizzes/{id} for you" },
    ]);
  }
  const found = await loadQuiz(db, quizId, user.id);
  if (!found || found.quiz.status !== "published") throw notFound("Quiz");
  const { quiz, course, questions, attempts } = found;
  if (held.attemptNumber <= attempts.length) {
    throw conflict("This attempt was already submitted", { reason: "already_submitted" });
  }
  if (attempts.length >= quiz.maxAttempts || held.attemptNumber > attempts.length + 1) {
    throw conflict("This attempt can no longer be submitted", {
      reason: "attempts_exhausted",
      attempts_used: attempts.length,
    });
  }
  const deadline = attemptDeadline(held.issuedAt, quiz.timeLimitSeconds);
  if (pastDeadline(deadline, now)) {
    throw conflict("The time limit for this attempt has passed", {
      reason: "deadline_passed",
      deadline: deadline?.toISOString(),
    });
  }
  const order = attemptQuestionOrder(
    { userId: user.id, quizId, attemptNumber: held.attemptNumber },
    questions,
  );

  const byId = new Map(questions.map((q) => [q.id, q]));
  const keyOf = (q: (typeof questions)[number]) => resolveKey(q.answer as StoredKey, locale);
  const seen = new Set<string>();
  const problems = input.answers.flatMap((a, i) => {
    const q = byId.get(a.questionId);
    if (!q) {
      return [{ field: `answers.${i}.question_id`, message: "Not a question of this quiz" }];
    }
    if (seen.has(a.questionId)) {
      return [{ field: `answers.${i}.question_id`, message: "Answered twice" }];
    }
    seen.add(a.questionId);
    const shape = answerShapeError(keyOf(q), a.answer);
    return shape ? [{ field: `answers.${i}.answer`, message: shape }] : [];
  });
  if (problems.length) throw badRequest("Some answers do not fit this quiz", problems);

  const given = new Map(input.answers.map((a) => [a.questionId, a.answer]));
  const language = course.languageId;
  const results = order.questions.map((id) => {
    const q = byId.get(id)!;
    const tags = q.tags as Record<string, string>;
    const answer = given.get(id);
    const key = keyOf(q);
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
  const totals = totalScore(results.map(({ q, r }) => ({ credit: r.credit, points: q.points })));
  const passed = totals.percentage >= quiz.passPercentage;
  const xp = quizXp({
    percentage: totals.percentage,
    passed,
    difficulty: quiz.difficulty,
    passedBefore: attempts.some((a) => a.passed),
  });
  const attemptId = crypto.randomUUID();
  const elapsed = Math.round((now.getTime() - held.issuedAt.getTime()) / 1000);
  // Each answered question updates the ability of the skill it tests and its difficulty.
  const model = abilityUpdates(db, {
    userId: user.id,
    languageId: language,
    abilities: found.abilities,
    items: found.items,
    answered: results.filter((x) => x.answer !== undefined).map(({ q, tags, r }) => ({
      itemId: q.id,
      itemType: "quiz_question" as const,
      skill: questionSkill(tags),
      prior: { level: course.level, type: tags.question_type ?? q.type },
      score: r.credit,
      correct: r.correct,
    })),
    now,
  }, { afterConditionalWrite: true });
  const awards = awardPlan(deps, user);
  // The chain on the attempt insert: attempt → activity → model → errors (which end
  // it, changing one row per event); the rest checks that the attempt row exists.
  const written = await runWriteBatch(db, {
    submission: submissionStatements(db, {
      attempt: {
        id: attemptId,
        userId: user.id,
        quizId,
        attemptNumber: held.attemptNumber,
        questionOrder: order,
        startedAt: held.issuedAt,
        deadlineAt: deadline,
      },
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
        skill: quizSkill(quiz.kind),
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
    }),
    model: model.statements,
    errors: errorStatements(
      db,
      user.id,
      results.filter(({ r }) => !r.correct).map(({ q, tags, answer, r }) => ({
        source: "quiz",
        questionType: tags.question_type ?? q.type,
        errorKind: r.error ?? "wrong",
        vocabularyId: tags.vocabulary_id ?? null,
        grammarTopic: tags.grammar_topic ?? null,
        languageId: language,
        given: answer === undefined ? null : JSON.stringify(answer).slice(0, 200),
        expected: JSON.stringify(r.correct_answer).slice(0, 200),
      })),
      now,
      { afterConditionalWrite: true },
    ),
    recorded: recordedSubmissionStatements(db, {
      attemptId,
      userId: user.id,
      courseId: course.id,
      at: now,
      certificate: quiz.kind === "final" && passed
        ? {
          id: crypto.randomUUID(),
          publicId: randomId(12),
          userId: user.id,
          courseId: course.id,
          level: course.level,
          score: totals.percentage,
          issuedAt: now,
        }
        : null,
    }),
    awards: awards.statements,
  });
  if (rowsChanged(written.submission[0]) !== 1) {
    throw conflict("This attempt was already submitted", { reason: "already_submitted" });
  }
  const awarded = await awards.finish(written.awards, now);
  const certificate = recordedCertificate(written.recorded);
  return {
    quiz_id: quiz.id,
    attempt_id: attemptId,
    attempt_number: held.attemptNumber,
    attempts_remaining: Math.max(0, quiz.maxAttempts - held.attemptNumber),
    score: totals.score,
    max_score: totals.max_score,
    percentage: totals.percentage,
    pass_percentage: quiz.passPercentage,
    passed,
    time_taken_seconds: elapsed,
    time_taken_reported: input.timeTakenSeconds,
    xp_earned: xp,
    certificate: certificate
      ? { public_id: certificate.publicId, url: `/api/certificates/${certificate.publicId}` }
      : null,
    results: results.map(({ q, answer, r }) => ({
      question_id: q.id,
      type: servedType(q),
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
    ...awarded,
  };
}
