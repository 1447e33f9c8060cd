/** Quizzes, their questions, learners' attempts and certificates, and recent error events. */
import { and, asc, count, desc, eq, gte, inArray, type Placeholder, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { GeneratedQuiz } from "../domain/quiz_generation.ts";
import { abilitiesQuery, itemDifficultiesQuery } from "./ability_records.ts";
import type { Db } from "./client.ts";
import { readAllContent } from "./content_files.ts";
import { vocabularyIds } from "./content_store.ts";
import { type ActivityEntry, activityStatements, type Statement } from "./learning_records.ts";
import { preparedStatement } from "./prepared.ts";
import { generateQuizzes } from "../domain/quiz_generation.ts";
import {
  certificates,
  courses,
  errorEvents,
  quizAttempts,
  quizQuestions,
  quizzes,
  userProgress,
  vocabulary,
} from "./schema.ts";

/** Upserts generated quizzes; rows whose content is unchanged are not rewritten. */
export async function storeQuizzes(db: Db, generated: GeneratedQuiz[]): Promise<boolean> {
  const statements: BatchItem<"sqlite">[] = [];
  for (const q of generated) {
    const quiz = {
      id: q.id,
      courseId: q.courseId,
      kind: q.kind,
      title: q.title,
      difficulty: q.difficulty,
      timeLimitSeconds: q.timeLimitSeconds,
      maxAttempts: q.maxAttempts,
      passPercentage: q.passPercentage,
    };
    const { id: _q, ...quizSet } = quiz;
    statements.push(
      db.insert(quizzes).values(quiz).onConflictDoUpdate({
        target: quizzes.id,
        set: quizSet,
        setWhere: sql`${quizzes.title} IS NOT ${
          JSON.stringify(q.title)
        } OR ${quizzes.difficulty} IS NOT ${q.difficulty}
          OR ${quizzes.timeLimitSeconds} IS NOT ${q.timeLimitSeconds} OR ${quizzes.maxAttempts} IS NOT ${q.maxAttempts}
          OR ${quizzes.passPercentage} IS NOT ${q.passPercentage}`,
      }),
    );
    q.questions.forEach((question, position) => {
      const row = {
        id: question.id,
        quizId: q.id,
        position,
        type: question.type,
        prompt: question.prompt,
        answer: question.key,
        explanation: question.explanation,
        points: question.points,
        tags: question.tags,
      };
      const { id: _id, ...set } = row;
      statements.push(
        db.insert(quizQuestions).values(row).onConflictDoUpdate({
          target: quizQuestions.id,
          set,
          setWhere: sql`${quizQuestions.prompt} IS NOT ${JSON.stringify(question.prompt)}
            OR ${quizQuestions.answer} IS NOT ${JSON.stringify(question.key)}
            OR ${quizQuestions.explanation} IS NOT ${JSON.stringify(question.explanation)}
            OR ${quizQuestions.position} IS NOT ${position} OR ${quizQuestions.points} IS NOT ${question.points}
            OR ${quizQuestions.tags} IS NOT ${JSON.stringify(question.tags)}`,
        }),
      );
    });
  }
  if (!statements.length) return false;
  const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return results.some((r) => ((r as { rowsAffected?: number }).rowsAffected ?? 0) > 0);
}

/** Seeder: every course's quizzes, generated from the content files. */
export async function seedQuizzes(db: Db): Promise<string[]> {
  const contents = await readAllContent();
  const generated = contents.flatMap((c) => generateQuizzes(c, vocabularyIds(c)));
  return (await storeQuizzes(db, generated)) ? ["quizzes"] : [];
}

/** Quizzes of the given courses with question counts and the learner's attempts. */
export async function listQuizzes(db: Db, args: { courseIds?: string[]; userId: string }) {
  const conditions = [eq(quizzes.status, "published")];
  if (args.courseIds) {
    conditions.push(inArray(quizzes.courseId, args.courseIds.length ? args.courseIds : [""]));
  }
  const questionCount = db.select({ quizId: quizQuestions.quizId, n: count().as("n") }).from(
    quizQuestions,
  )
    .groupBy(quizQuestions.quizId).as("qc");
  const attempts = db.select({
    quizId: quizAttempts.quizId,
    used: count().as("used"),
    best: sql<number | null>`max(${quizAttempts.percentage})`.as("best"),
    passed: sql<number>`max(coalesce(${quizAttempts.passed}, 0))`.as("passed_any"),
  }).from(quizAttempts).where(eq(quizAttempts.userId, args.userId)).groupBy(quizAttempts.quizId).as(
    "att",
  );
  return await db.select({
    quiz: quizzes,
    level: courses.level,
    languageId: courses.languageId,
    questions: sql<number>`coalesce(${questionCount.n}, 0)`,
    used: sql<number>`coalesce(${attempts.used}, 0)`,
    best: attempts.best,
    passed: attempts.passed,
  }).from(quizzes)
    .innerJoin(courses, eq(courses.id, quizzes.courseId))
    .leftJoin(questionCount, eq(questionCount.quizId, quizzes.id))
    .leftJoin(attempts, eq(attempts.quizId, quizzes.id))
    .where(and(...conditions))
    .orderBy(asc(quizzes.courseId), asc(quizzes.id));
}

/** The learner's enrolled course ids, most recent first. */
export async function enrolledCourseIds(db: Db, userId: string) {
  const rows = await db.select({ id: userProgress.courseId }).from(userProgress)
    .where(eq(userProgress.userId, userId)).orderBy(desc(userProgress.lastActivityAt));
  return rows.map((r) => r.id);
}

/** A quiz, its questions and the learner's attempts at it, in one round trip. */
export async function loadQuiz(db: Db, quizId: string, userId: string) {
  const [quizRows, questions, attempts, abilities, items] = await db.batch([
    db.select({
      quiz: quizzes,
      course: courses,
      enrolled: sql<number>`EXISTS (SELECT 1 FROM ${userProgress}
        WHERE ${userProgress.userId} = ${userId} AND ${userProgress.courseId} = ${quizzes.courseId})`,
    }).from(quizzes)
      .innerJoin(courses, eq(courses.id, quizzes.courseId)).where(eq(quizzes.id, quizId)).limit(1),
    // With each word question, the word's recording (a listening question needs one).
    db.select({ question: quizQuestions, audioId: vocabulary.audioId }).from(quizQuestions)
      .leftJoin(
        vocabulary,
        eq(vocabulary.id, sql`json_extract(${quizQuestions.tags}, '$.vocabulary_id')`),
      )
      .where(eq(quizQuestions.quizId, quizId)).orderBy(asc(quizQuestions.position)),
    db.select().from(quizAttempts)
      .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.quizId, quizId)))
      .orderBy(asc(quizAttempts.attemptNumber)),
    // The adaptive model's state, for scoring (db/ability_records.ts).
    abilitiesQuery(
      db,
      userId,
      sql`(SELECT ${courses.languageId} FROM ${courses} WHERE ${courses.id} = (SELECT ${quizzes.courseId} FROM ${quizzes} WHERE ${quizzes.id} = ${quizId}))`,
    ),
    itemDifficultiesQuery(
      db,
      sql`(SELECT ${quizQuestions.id} FROM ${quizQuestions} WHERE ${quizQuestions.quizId} = ${quizId})`,
    ),
  ]);
  if (!quizRows[0]) return null;
  const { enrolled, ...head } = quizRows[0];
  return {
    ...head,
    enrolled: Number(enrolled) === 1,
    questions: questions.map((q) => ({ ...q.question, audioId: q.audioId })),
    attempts,
    abilities,
    items,
  };
}

/** The recording behind each listening question of a quiz. */
export async function listeningAudio(db: Db, quizId: string) {
  return await db.select({ questionId: quizQuestions.id, audioId: vocabulary.audioId })
    .from(quizQuestions)
    .innerJoin(
      vocabulary,
      eq(vocabulary.id, sql`json_extract(${quizQuestions.tags}, '$.vocabulary_id')`),
    )
    .where(and(eq(quizQuestions.quizId, quizId), eq(quizQuestions.type, "listening")));
}

const ATTEMPT_VALUES = [
  "id",
  "userId",
  "quizId",
  "attemptNumber",
  "questionOrder",
  "startedAt",
  "deadlineAt",
  "submittedAt",
  "score",
  "maxScore",
  "percentage",
  "passed",
  "timeTaken",
  "answers",
] as const;

/** The attempt row, only if its number is still free (else it changes no row). */
const attemptInsert = preparedStatement(
  ATTEMPT_VALUES,
  (db, p) =>
    db.run(sql`INSERT INTO ${quizAttempts} (id, user_id, quiz_id, attempt_number, question_order,
    started_at, deadline_at, submitted_at, score, max_score, percentage, passed, time_taken_seconds,
    answers)
    VALUES (${p.id}, ${p.userId}, ${p.quizId}, ${p.attemptNumber}, ${p.questionOrder},
      ${p.startedAt}, ${p.deadlineAt}, ${p.submittedAt}, ${p.score}, ${p.maxScore},
      ${p.percentage}, ${p.passed}, ${p.timeTaken}, ${p.answers})
    ON CONFLICT DO NOTHING`),
);

/** Whether the attempt `attemptId` names was recorded (by this batch: its id is fresh). */
function attemptRecorded(attemptId: Placeholder) {
  return sql`EXISTS (SELECT 1 FROM ${quizAttempts} WHERE ${quizAttempts.id} = ${attemptId})`;
}

const progressTouch = preparedStatement(
  ["attemptId", "userId", "courseId", "at"],
  (db, p) =>
    db.run(sql`UPDATE ${userProgress} SET last_activity_at = ${p.at}
    WHERE ${userProgress.userId} = ${p.userId} AND ${userProgress.courseId} = ${p.courseId}
      AND ${attemptRecorded(p.attemptId)}`),
);

/** A learner keeps the first certificate of a course (unique per learner and course). */
const certificateInsert = preparedStatement(
  ["attemptId", "id", "publicId", "userId", "courseId", "level", "score", "issuedAt"],
  (db, p) =>
    db.run(sql`INSERT INTO ${certificates} (id, public_id, user_id, course_id, level, score,
    attempt_id, issued_at)
    SELECT ${p.id}, ${p.publicId}, ${p.userId}, ${p.courseId}, ${p.level}, ${p.score},
      ${p.attemptId}, ${p.issuedAt}
    WHERE ${attemptRecorded(p.attemptId)}
    ON CONFLICT DO NOTHING`),
);

const certificateRead = preparedStatement(
  ["userId", "courseId"],
  (db, p) =>
    db.select({ publicId: certificates.publicId }).from(certificates)
      .where(and(eq(certificates.userId, p.userId), eq(certificates.courseId, p.courseId))),
);

/**
 * The head of a submission's write chain: the attempt (only if its number is still
 * free, so of two racing submits of one attempt the loser's changes no row), then,
 * chained on it with `changes() = 1`, the activity, XP, rollups and running totals.
 * Statements chained on the same condition (the ability model, the error events)
 * may follow it directly.
 */
export function submissionStatements(
  db: Db,
  args: {
    attempt: {
      id: string;
      userId: string;
      quizId: string;
      attemptNumber: number;
      questionOrder: unknown;
      startedAt: Date;
      deadlineAt: Date | null;
    };
    result: {
      score: number;
      maxScore: number;
      percentage: number;
      passed: boolean;
      timeTaken: number;
      answers: unknown;
    };
    activity: ActivityEntry;
  },
): Statement[] {
  const { attempt, result, activity } = args;
  return [
    attemptInsert(db, {
      ...attempt,
      questionOrder: JSON.stringify(attempt.questionOrder),
      startedAt: attempt.startedAt.getTime(),
      deadlineAt: attempt.deadlineAt?.getTime() ?? null,
      submittedAt: activity.occurredAt.getTime(),
      score: result.score,
      maxScore: result.maxScore,
      percentage: result.percentage,
      passed: result.passed ? 1 : 0,
      timeTaken: result.timeTaken,
      answers: JSON.stringify(result.answers),
    }),
    ...activityStatements(db, activity, { afterConditionalWrite: true }),
  ];
}

/**
 * What a recorded submission changes besides its chain: the course's last activity
 * and, for a passed final, the certificate. Each applies only if the attempt row
 * exists, so they may follow anything in the batch, and a losing submit writes
 * nothing. The last statement reads the learner's certificate of the course
 * (the first one earned, which may be older than this attempt).
 */
export function recordedSubmissionStatements(
  db: Db,
  args: {
    attemptId: string;
    userId: string;
    courseId: string;
    at: Date;
    certificate: Omit<typeof certificates.$inferInsert, "attemptId"> | null;
  },
): Statement[] {
  const { attemptId, userId, courseId } = args;
  const statements: Statement[] = [
    progressTouch(db, { attemptId, userId, courseId, at: args.at.getTime() }),
  ];
  if (args.certificate) {
    const c = args.certificate;
    statements.push(
      certificateInsert(db, {
        attemptId,
        id: c.id,
        publicId: c.publicId,
        userId: c.userId,
        courseId: c.courseId,
        level: c.level,
        score: c.score,
        issuedAt: c.issuedAt.getTime(),
      }),
      certificateRead(db, { userId, courseId }) as unknown as Statement,
    );
  }
  return statements;
}

/** The certificate {@link recordedSubmissionStatements} read back, from its results. */
export function recordedCertificate(results: readonly unknown[]): { publicId: string } | null {
  const last = results.at(-1);
  return Array.isArray(last) ? (last[0] as { publicId: string } | undefined) ?? null : null;
}

/** A certificate by its public id, with what may be shown publicly. */
export async function findCertificate(db: Db, publicId: string) {
  const [row] = await db.select({
    certificate: certificates,
    courseTitle: courses.title,
    languageId: courses.languageId,
    holder: sql<
      string
    >`(SELECT coalesce(display_name, username) FROM users WHERE id = ${certificates.userId})`,
  }).from(certificates).innerJoin(courses, eq(courses.id, certificates.courseId))
    .where(eq(certificates.publicId, publicId));
  return row;
}

/** Wrong answers since a date, newest first, bounded. */
export async function recentErrors(db: Db, userId: string, since: Date, limit: number) {
  return await db.select().from(errorEvents)
    .where(and(eq(errorEvents.userId, userId), gte(errorEvents.occurredAt, since)))
    .orderBy(desc(errorEvents.occurredAt)).limit(limit);
}
