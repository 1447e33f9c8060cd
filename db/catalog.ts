/**
 * Reading the curriculum together with one learner's place in it. Each function
 * answers its endpoint in one round trip (a `db.batch` of the selects it needs).
 */
import { and, asc, count, desc, eq, gt, gte, inArray, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { abilitiesQuery, itemDifficultiesQuery } from "./ability_records.ts";
import type { Db } from "./client.ts";
import { creditsQuery, exerciseKey, paidToday } from "./item_credits.ts";
import {
  courses,
  grammarExercises,
  grammarTopics,
  languages,
  lessonGrammar,
  lessons,
  lessonVocabulary,
  reviewLogs,
  userGrammar,
  userLessons,
  userProgress,
  userVocabulary,
  vocabulary,
} from "./schema.ts";

const published = (t: { status: SQLiteColumn }) => eq(t.status, "published");

/** Languages with published course counts and learners active in the last 30 days. */
export async function listLanguages(db: Db, now: Date) {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const courseCount = db.select({ languageId: courses.languageId, n: count().as("n") })
    .from(courses).where(published(courses)).groupBy(courses.languageId).as("cc");
  const learners = db.select({
    languageId: courses.languageId,
    n: sql<number>`count(DISTINCT ${userProgress.userId})`.as("learners"),
  }).from(userProgress).innerJoin(courses, eq(courses.id, userProgress.courseId))
    .where(gte(userProgress.lastActivityAt, since)).groupBy(courses.languageId).as("al");
  return await db.select({
    language: languages,
    courseCount: sql<number>`coalesce(${courseCount.n}, 0)`,
    activeLearners: sql<number>`coalesce(${learners.n}, 0)`,
  }).from(languages)
    .leftJoin(courseCount, eq(courseCount.languageId, languages.id))
    .leftJoin(learners, eq(learners.languageId, languages.id))
    .orderBy(asc(languages.difficulty), asc(languages.code));
}

/** A language by code or id (they are the same for seeded languages). */
export async function findLanguage(db: Db, codeOrId: string) {
  const key = codeOrId.toLowerCase();
  const [row] = await db.select().from(languages)
    .where(sql`${languages.id} = ${key} OR ${languages.code} = ${key}`).limit(1);
  return row;
}

/** Published courses with lesson counts and, for a learner, their enrolment. */
export async function listCourses(
  db: Db,
  filter: { languageId?: string; level?: string; userId?: string },
) {
  const lessonCount = db.select({ courseId: lessons.courseId, n: count().as("n") }).from(lessons)
    .where(published(lessons)).groupBy(lessons.courseId).as("lc");
  const conditions = [published(courses)];
  if (filter.languageId) conditions.push(eq(courses.languageId, filter.languageId));
  if (filter.level) conditions.push(eq(courses.level, filter.level));
  return await db.select({
    course: courses,
    language: languages,
    lessonCount: sql<number>`coalesce(${lessonCount.n}, 0)`,
    progress: userProgress,
  }).from(courses)
    .innerJoin(languages, eq(languages.id, courses.languageId))
    .leftJoin(lessonCount, eq(lessonCount.courseId, courses.id))
    .leftJoin(
      userProgress,
      and(eq(userProgress.courseId, courses.id), eq(userProgress.userId, filter.userId ?? "")),
    )
    .where(and(...conditions))
    .orderBy(asc(courses.languageId), asc(courses.position), asc(courses.level));
}

/**
 * A course with its language, ordered lessons, prerequisite, and the learner's
 * progress in it and in the prerequisite.
 */
export async function loadCourse(db: Db, courseId: string, userId: string | undefined) {
  const uid = userId ?? "";
  const [head, lessonRows, states, progressRows] = await db.batch([
    db.select({ course: courses, language: languages }).from(courses)
      .innerJoin(languages, eq(languages.id, courses.languageId))
      .where(eq(courses.id, courseId)).limit(1),
    db.select({
      id: lessons.id,
      position: lessons.position,
      type: lessons.type,
      title: lessons.title,
      summary: lessons.summary,
      estimatedMinutes: lessons.estimatedMinutes,
    }).from(lessons).where(and(eq(lessons.courseId, courseId), published(lessons)))
      .orderBy(asc(lessons.position), asc(lessons.id)),
    db.select({
      lessonId: userLessons.lessonId,
      status: userLessons.status,
      bestScore: userLessons.bestScore,
    }).from(userLessons).innerJoin(lessons, eq(lessons.id, userLessons.lessonId))
      .where(and(eq(userLessons.userId, uid), eq(lessons.courseId, courseId))),
    // The learner's progress in this course and in its prerequisite, with the
    // prerequisite's own title and level.
    db.select({ progress: userProgress, course: courses }).from(courses)
      .leftJoin(
        userProgress,
        and(eq(userProgress.courseId, courses.id), eq(userProgress.userId, uid)),
      )
      .where(
        sql`${courses.id} = ${courseId} OR ${courses.id} = (SELECT ${courses.prerequisiteId} FROM ${courses} WHERE ${courses.id} = ${courseId})`,
      ),
  ]);
  if (!head[0]) return null;
  const own = progressRows.find((r) => r.course.id === courseId)?.progress ?? null;
  const prereq = progressRows.find((r) => r.course.id === head[0].course.prerequisiteId) ?? null;
  return { ...head[0], lessons: lessonRows, states, progress: own, prerequisite: prereq };
}

/** The learner's most recently active course. */
export async function mostRecentCourseId(db: Db, userId: string) {
  const [row] = await db.select({ courseId: userProgress.courseId }).from(userProgress)
    .where(eq(userProgress.userId, userId)).orderBy(desc(userProgress.lastActivityAt)).limit(1);
  return row?.courseId;
}

/** The language of the learner's most recently active course. */
export async function currentLanguageId(db: Db, userId: string) {
  return (await currentCourse(db, userId))?.languageId;
}

/** The language and level of the learner's most recently active course. */
export async function currentCourse(db: Db, userId: string) {
  const [row] = await db.select({ languageId: courses.languageId, level: courses.level })
    .from(userProgress).innerJoin(courses, eq(courses.id, userProgress.courseId))
    .where(eq(userProgress.userId, userId)).orderBy(desc(userProgress.lastActivityAt)).limit(1);
  return row;
}

/** Everything a lesson page needs, for one learner, in one round trip. */
export async function loadLesson(
  db: Db,
  lessonId: string,
  userId: string,
  /** The learner's local date, for what completing the lesson paid today. */
  today = "",
) {
  const [
    lessonRows,
    siblings,
    states,
    progressRows,
    words,
    topics,
    exercises,
    wordStats,
    exerciseCredits,
    lessonCredits,
    recalled,
  ] = await db
    .batch([
      db.select({ lesson: lessons, course: courses, language: languages }).from(lessons)
        .innerJoin(courses, eq(courses.id, lessons.courseId))
        .innerJoin(languages, eq(languages.id, courses.languageId))
        .where(eq(lessons.id, lessonId)).limit(1),
      db.select({ id: lessons.id, position: lessons.position }).from(lessons)
        .where(and(
          eq(
            lessons.courseId,
            sql`(SELECT ${lessons.courseId} FROM ${lessons} WHERE ${lessons.id} = ${lessonId})`,
          ),
          published(lessons),
        )).orderBy(asc(lessons.position), asc(lessons.id)),
      db.select({ lessonId: userLessons.lessonId, status: userLessons.status, row: userLessons })
        .from(userLessons).innerJoin(lessons, eq(lessons.id, userLessons.lessonId))
        .where(and(
          eq(userLessons.userId, userId),
          eq(
            lessons.courseId,
            sql`(SELECT ${lessons.courseId} FROM ${lessons} WHERE ${lessons.id} = ${lessonId})`,
          ),
        )),
      db.select().from(userProgress).where(and(
        eq(userProgress.userId, userId),
        eq(
          userProgress.courseId,
          sql`(SELECT ${lessons.courseId} FROM ${lessons} WHERE ${lessons.id} = ${lessonId})`,
        ),
      )),
      db.select({ word: vocabulary }).from(lessonVocabulary)
        .innerJoin(vocabulary, eq(vocabulary.id, lessonVocabulary.vocabularyId))
        .where(eq(lessonVocabulary.lessonId, lessonId)).orderBy(asc(lessonVocabulary.position)),
      db.select({ topic: grammarTopics }).from(lessonGrammar)
        .innerJoin(grammarTopics, eq(grammarTopics.id, lessonGrammar.topicId))
        .where(eq(lessonGrammar.lessonId, lessonId)),
      db.select().from(grammarExercises).where(inArray(
        grammarExercises.topicId,
        db.select({ id: lessonGrammar.topicId }).from(lessonGrammar)
          .where(eq(lessonGrammar.lessonId, lessonId)),
      )).orderBy(asc(grammarExercises.topicId), asc(grammarExercises.position)),
      db.select({
        vocabularyId: reviewLogs.vocabularyId,
        attempts: count(),
        errors: sql<number>`sum(CASE WHEN ${reviewLogs.correct} THEN 0 ELSE 1 END)`,
      }).from(reviewLogs).where(inArray(
        reviewLogs.vocabularyId,
        db.select({ id: lessonVocabulary.vocabularyId }).from(lessonVocabulary)
          .where(eq(lessonVocabulary.lessonId, lessonId)),
      )).groupBy(reviewLogs.vocabularyId),
      // What the learner has answered right, checked by the server: the lesson's
      // exercises (any day) and its words (a right practice answer).
      creditsQuery(db, userId, {
        keys: sql`(SELECT ${exerciseKey(grammarExercises.id)} FROM ${grammarExercises}
          WHERE ${grammarExercises.topicId} IN (SELECT ${lessonGrammar.topicId} FROM ${lessonGrammar}
            WHERE ${lessonGrammar.lessonId} = ${lessonId}))`,
      }),
      creditsQuery(db, userId, { keys: [`lesson:${lessonId}`], localDate: today }),
      db.select({ id: userVocabulary.vocabularyId }).from(userVocabulary).where(and(
        eq(userVocabulary.userId, userId),
        gt(userVocabulary.correctCount, 0),
        inArray(
          userVocabulary.vocabularyId,
          db.select({ id: lessonVocabulary.vocabularyId }).from(lessonVocabulary)
            .where(eq(lessonVocabulary.lessonId, lessonId)),
        ),
      )),
    ]);
  if (!lessonRows[0]) return null;
  return {
    ...lessonRows[0],
    siblings,
    states,
    progress: progressRows[0] ?? null,
    words: words.map((w) => w.word),
    topics: topics.map((t) => t.topic),
    exercises,
    wordStats: new Map(wordStats.map((s) => [s.vocabularyId, s])),
    answeredExercises: new Set(exerciseCredits.map((c) => c.itemKey.slice("exercise:".length))),
    recalledWords: new Set(recalled.map((r) => r.id)),
    paidToday: lessonCredits[0]?.xp ?? 0,
  };
}

/** Grammar topics with the learner's progress, filtered by language and level. */
export async function listGrammarTopics(
  db: Db,
  filter: { languageId?: string; levels?: string[]; userId?: string },
) {
  const exerciseCount = db.select({ topicId: grammarExercises.topicId, n: count().as("n") })
    .from(grammarExercises).groupBy(grammarExercises.topicId).as("ec");
  const conditions = [published(grammarTopics)];
  if (filter.languageId) conditions.push(eq(grammarTopics.languageId, filter.languageId));
  if (filter.levels?.length) conditions.push(inArray(grammarTopics.level, filter.levels));
  return await db.select({
    topic: grammarTopics,
    exerciseCount: sql<number>`coalesce(${exerciseCount.n}, 0)`,
    progress: userGrammar,
  }).from(grammarTopics)
    .leftJoin(exerciseCount, eq(exerciseCount.topicId, grammarTopics.id))
    .leftJoin(
      userGrammar,
      and(eq(userGrammar.topicId, grammarTopics.id), eq(userGrammar.userId, filter.userId ?? "")),
    )
    .where(and(...conditions))
    .orderBy(asc(grammarTopics.languageId), asc(grammarTopics.level), asc(grammarTopics.position));
}

/** One topic with its exercises and the learner's progress. */
export async function loadGrammarTopic(
  db: Db,
  topicId: string,
  userId: string | undefined,
  /** The learner's local date, to read what the topic's exercises paid today. */
  today = "",
) {
  const [topicRows, exercises, progress, abilities, items, credits] = await db.batch([
    db.select({ topic: grammarTopics, language: languages }).from(grammarTopics)
      .innerJoin(languages, eq(languages.id, grammarTopics.languageId))
      .where(eq(grammarTopics.id, topicId)).limit(1),
    db.select().from(grammarExercises).where(eq(grammarExercises.topicId, topicId))
      .orderBy(asc(grammarExercises.position)),
    db.select().from(userGrammar)
      .where(and(eq(userGrammar.topicId, topicId), eq(userGrammar.userId, userId ?? ""))),
    // The adaptive model's state, for checking answers (db/ability_records.ts).
    abilitiesQuery(
      db,
      userId ?? "",
      sql`(SELECT ${grammarTopics.languageId} FROM ${grammarTopics} WHERE ${grammarTopics.id} = ${topicId})`,
    ),
    itemDifficultiesQuery(
      db,
      sql`(SELECT ${grammarExercises.id} FROM ${grammarExercises} WHERE ${grammarExercises.topicId} = ${topicId})`,
    ),
    creditsQuery(db, userId ?? "", {
      keys: sql`(SELECT ${exerciseKey(grammarExercises.id)} FROM ${grammarExercises}
        WHERE ${grammarExercises.topicId} = ${topicId})`,
      localDate: today,
    }),
  ]);
  if (!topicRows[0]) return null;
  return {
    ...topicRows[0],
    exercises,
    progress: progress[0] ?? null,
    abilities,
    items,
    paidToday: paidToday(credits, today),
  };
}
