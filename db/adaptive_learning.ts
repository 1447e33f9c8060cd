/**
 * Reads and writes of adaptive learning: the item bank of a language with its
 * calibrated difficulties, placement tests, and what the next-activity and
 * learning-path endpoints need. Each endpoint loads in one `db.batch`.
 */
import { and, asc, count, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { activeParameters, modelQuery } from "./fsrs_models.ts";
import { abilitiesQuery } from "./ability_records.ts";
import { EVER } from "./item_credits.ts";
import type { Statement } from "./learning_records.ts";
import {
  courses,
  errorEvents,
  grammarExercises,
  grammarTopics,
  itemCredits,
  itemDifficulties,
  languages,
  lessonGrammar,
  lessons,
  lessonVocabulary,
  placementTests,
  userLessons,
  userProgress,
  userVocabulary,
  vocabulary,
} from "./schema.ts";

export type PlacementRow = typeof placementTests.$inferSelect;

/** The published vocabulary and grammar exercises of a language with stored difficulties. */
function bankQueries(db: Db, languageId: string | SQL) {
  return [
    db.select({ word: vocabulary }).from(vocabulary)
      .where(and(eq(vocabulary.languageId, languageId), eq(vocabulary.status, "published")))
      .orderBy(asc(vocabulary.sequence), asc(vocabulary.id)),
    db.select({ exercise: grammarExercises, topic: grammarTopics }).from(grammarExercises)
      .innerJoin(grammarTopics, eq(grammarTopics.id, grammarExercises.topicId))
      .where(and(eq(grammarTopics.languageId, languageId), eq(grammarTopics.status, "published")))
      .orderBy(asc(grammarTopics.position), asc(grammarExercises.position)),
    db.select().from(itemDifficulties).where(eq(itemDifficulties.languageId, languageId)),
  ] as const;
}

/** A language's courses and lessons with the words and topics each lesson teaches. */
function courseQueries(db: Db, languageId: string | SQL) {
  const lessonIds =
    sql`(SELECT ${lessons.id} FROM ${lessons} JOIN ${courses} ON ${courses.id} = ${lessons.courseId}
    WHERE ${courses.languageId} = ${languageId})`;
  return [
    db.select().from(courses)
      .where(and(eq(courses.languageId, languageId), eq(courses.status, "published")))
      .orderBy(asc(courses.position), asc(courses.level)),
    db.select({
      id: lessons.id,
      courseId: lessons.courseId,
      position: lessons.position,
      type: lessons.type,
      title: lessons.title,
    }).from(lessons)
      .where(and(
        eq(lessons.status, "published"),
        sql`${lessons.courseId} IN (SELECT ${courses.id} FROM ${courses} WHERE ${courses.languageId} = ${languageId})`,
      ))
      .orderBy(asc(lessons.courseId), asc(lessons.position), asc(lessons.id)),
    db.select().from(lessonVocabulary).where(sql`${lessonVocabulary.lessonId} IN ${lessonIds}`),
    db.select({ lessonId: lessonGrammar.lessonId, exerciseId: grammarExercises.id })
      .from(lessonGrammar)
      .innerJoin(grammarExercises, eq(grammarExercises.topicId, lessonGrammar.topicId))
      .where(sql`${lessonGrammar.lessonId} IN ${lessonIds}`),
  ] as const;
}

/** Everything starting a placement test needs: language, bank, courses, an open test. */
export async function loadPlacementStart(db: Db, userId: string, languageKey: string) {
  const key = languageKey.toLowerCase();
  const [language] = await db.select().from(languages)
    .where(sql`${languages.id} = ${key} OR ${languages.code} = ${key}`).limit(1);
  if (!language) return null;
  const [words, exercises, difficulties, courseRows, open] = await db.batch([
    ...bankQueries(db, language.id),
    courseQueries(db, language.id)[0],
    db.select().from(placementTests).where(and(
      eq(placementTests.userId, userId),
      eq(placementTests.languageId, language.id),
      eq(placementTests.status, "in_progress"),
    )).orderBy(desc(placementTests.startedAt)).limit(1),
  ]);
  return { language, words, exercises, difficulties, courses: courseRows, open: open[0] ?? null };
}

/**
 * A learner's placement test with the bank and course structure of its
 * language, in one round trip. Null for an unknown test or another learner's.
 */
export async function loadPlacement(db: Db, userId: string, testId: string) {
  const languageId = sql`(SELECT ${placementTests.languageId} FROM ${placementTests}
    WHERE ${placementTests.id} = ${testId} AND ${placementTests.userId} = ${userId})`;
  const [tests, languageRows, words, exercises, difficulties, courseRows, lessonRows, lv, lg] =
    await db.batch([
      db.select().from(placementTests)
        .where(and(eq(placementTests.id, testId), eq(placementTests.userId, userId))),
      db.select().from(languages).where(sql`${languages.id} = ${languageId}`),
      ...bankQueries(db, languageId),
      ...courseQueries(db, languageId),
    ]);
  if (!tests[0] || !languageRows[0]) return null;
  return {
    test: tests[0],
    language: languageRows[0],
    words,
    exercises,
    difficulties,
    courses: courseRows,
    lessons: lessonRows,
    lessonWords: lv,
    lessonExercises: lg,
  };
}

/** Inserts a new test. */
export async function insertPlacement(db: Db, row: typeof placementTests.$inferInsert) {
  await db.insert(placementTests).values(row);
}

/**
 * An answer's write to its test: applies only if the test is still at `version`
 * (a concurrent answer writes nothing), so statements chained on `changes() = 1`
 * after it apply with it or not at all.
 */
export function placementAnswerStatements(
  db: Db,
  args: { testId: string; version: number; set: Partial<typeof placementTests.$inferInsert> },
): Statement[] {
  return [
    db.update(placementTests).set({ ...args.set, version: args.version + 1 })
      .where(and(eq(placementTests.id, args.testId), eq(placementTests.version, args.version))),
  ];
}

/** The learner's latest finished placement in a language (for enrolment and paths). */
export async function latestPlacement(db: Db, userId: string, languageId: string) {
  const [row] = await db.select().from(placementTests).where(and(
    eq(placementTests.userId, userId),
    eq(placementTests.languageId, languageId),
    eq(placementTests.status, "finished"),
  )).orderBy(desc(placementTests.finishedAt)).limit(1);
  return row ?? null;
}

/**
 * What an adaptive practice set is chosen from: bank, abilities, the learner's
 * cards, and the grammar exercises answered right since `sinceDay` (a local date).
 */
export async function loadPracticePool(
  db: Db,
  args: { userId: string; languageId: string; sinceDay: string },
) {
  const { userId, languageId } = args;
  const [words, exercises, difficulties, abilities, cards, rightLately] = await db.batch([
    ...bankQueries(db, languageId),
    abilitiesQuery(db, userId, languageId),
    db.select({ vocabularyId: userVocabulary.vocabularyId }).from(userVocabulary)
      .innerJoin(vocabulary, eq(vocabulary.id, userVocabulary.vocabularyId))
      .where(and(eq(userVocabulary.userId, userId), eq(vocabulary.languageId, languageId))),
    // Credits are written for right answers only (db/item_credits.ts); "ever" rows are
    // mastery bonuses, not answers, and sort after every date.
    db.selectDistinct({ itemKey: itemCredits.itemKey }).from(itemCredits).where(and(
      eq(itemCredits.userId, userId),
      sql`${itemCredits.itemKey} LIKE 'exercise:%'`,
      gte(itemCredits.localDate, args.sinceDay),
      sql`${itemCredits.localDate} <> ${EVER}`,
    )),
  ]);
  const recentlyRight = new Set(rightLately.map((r) => r.itemKey.slice("exercise:".length)));
  return { words, exercises, difficulties, abilities, cards, recentlyRight };
}

/**
 * What the next-activity decision needs, in one round trip: due cards, the
 * enrolments (most recent first) with their courses, lesson states in the most
 * recent course, recent grammar errors by topic, and finished placements.
 */
export async function loadNextActivity(
  db: Db,
  args: { userId: string; now: Date; since: Date; dueLimit: number },
) {
  const { userId, now } = args;
  const recentCourse = sql`(SELECT ${userProgress.courseId} FROM ${userProgress}
    WHERE ${userProgress.userId} = ${userId} ORDER BY ${userProgress.lastActivityAt} DESC LIMIT 1)`;
  const [due, enrolments, courseLessons, weak, placements, allCourses, models] = await db.batch([
    db.select().from(userVocabulary)
      .where(and(eq(userVocabulary.userId, userId), lte(userVocabulary.nextReview, now)))
      .orderBy(asc(userVocabulary.nextReview)).limit(args.dueLimit),
    db.select({ progress: userProgress, course: courses }).from(userProgress)
      .innerJoin(courses, eq(courses.id, userProgress.courseId))
      .where(eq(userProgress.userId, userId)).orderBy(desc(userProgress.lastActivityAt)),
    db.select({
      id: lessons.id,
      position: lessons.position,
      title: lessons.title,
      status: userLessons.status,
    }).from(lessons)
      .leftJoin(
        userLessons,
        and(eq(userLessons.lessonId, lessons.id), eq(userLessons.userId, userId)),
      )
      .where(and(sql`${lessons.courseId} = ${recentCourse}`, eq(lessons.status, "published")))
      .orderBy(asc(lessons.position), asc(lessons.id)),
    db.select({ topic: grammarTopics, errors: count() }).from(errorEvents)
      .innerJoin(grammarTopics, eq(grammarTopics.id, errorEvents.grammarTopic))
      .where(and(eq(errorEvents.userId, userId), gte(errorEvents.occurredAt, args.since)))
      .groupBy(grammarTopics.id).orderBy(desc(count()), asc(grammarTopics.id)).limit(3),
    db.select({ languageId: placementTests.languageId, level: placementTests.placedLevel })
      .from(placementTests)
      .where(and(eq(placementTests.userId, userId), eq(placementTests.status, "finished")))
      .orderBy(desc(placementTests.finishedAt)),
    db.select().from(courses).where(eq(courses.status, "published"))
      .orderBy(asc(courses.languageId), asc(courses.position), asc(courses.level)),
    modelQuery(db, userId),
  ]);
  return {
    due,
    enrolments,
    courseLessons,
    weak,
    placements,
    courses: allCourses,
    parameters: activeParameters(models),
  };
}

/**
 * A course's personalised-path inputs in one round trip: the course, its
 * lessons with the learner's states, the lessons' items with difficulties, the
 * learner's abilities and latest finished placement in the language, and the
 * language's courses (to tell whether a placement is beyond this course).
 */
export async function loadPathInputs(db: Db, userId: string, courseId: string) {
  const languageId =
    sql`(SELECT ${courses.languageId} FROM ${courses} WHERE ${courses.id} = ${courseId})`;
  const courseLessonIds =
    sql`(SELECT ${lessons.id} FROM ${lessons} WHERE ${lessons.courseId} = ${courseId})`;
  const [courseRows, lessonRows, words, exercises, abilities, placement, siblings] = await db
    .batch([
      db.select().from(courses).where(eq(courses.id, courseId)),
      db.select({
        id: lessons.id,
        position: lessons.position,
        type: lessons.type,
        title: lessons.title,
        status: userLessons.status,
        bestScore: userLessons.bestScore,
      }).from(lessons)
        .leftJoin(
          userLessons,
          and(eq(userLessons.lessonId, lessons.id), eq(userLessons.userId, userId)),
        )
        .where(and(eq(lessons.courseId, courseId), eq(lessons.status, "published")))
        .orderBy(asc(lessons.position), asc(lessons.id)),
      db.select({
        lessonId: lessonVocabulary.lessonId,
        word: vocabulary,
        stored: itemDifficulties.difficulty,
      }).from(lessonVocabulary)
        .innerJoin(vocabulary, eq(vocabulary.id, lessonVocabulary.vocabularyId))
        .leftJoin(itemDifficulties, eq(itemDifficulties.itemId, vocabulary.id))
        .where(sql`${lessonVocabulary.lessonId} IN ${courseLessonIds}`),
      db.select({
        lessonId: lessonGrammar.lessonId,
        exercise: grammarExercises,
        level: grammarTopics.level,
        stored: itemDifficulties.difficulty,
      }).from(lessonGrammar)
        .innerJoin(grammarTopics, eq(grammarTopics.id, lessonGrammar.topicId))
        .innerJoin(grammarExercises, eq(grammarExercises.topicId, lessonGrammar.topicId))
        .leftJoin(itemDifficulties, eq(itemDifficulties.itemId, grammarExercises.id))
        .where(sql`${lessonGrammar.lessonId} IN ${courseLessonIds}`),
      abilitiesQuery(db, userId, languageId),
      db.select().from(placementTests).where(and(
        eq(placementTests.userId, userId),
        sql`${placementTests.languageId} = ${languageId}`,
        eq(placementTests.status, "finished"),
      )).orderBy(desc(placementTests.finishedAt)).limit(1),
      db.select({ id: courses.id, level: courses.level }).from(courses)
        .where(sql`${courses.languageId} = ${languageId}`),
    ]);
  if (!courseRows[0]) return null;
  return {
    course: courseRows[0],
    lessons: lessonRows,
    words,
    exercises,
    abilities,
    placement: placement[0] ?? null,
    siblings,
  };
}
