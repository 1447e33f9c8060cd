/**
 * Authoring writes: create, update, archive or delete content. Deleting content
 * that learners have progress on archives it instead (hidden from listings, rows
 * kept), so no learner row is ever orphaned.
 */
import { and, count, eq, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type {
  Course,
  GrammarExercise,
  GrammarTopic,
  Lesson,
  LocalizedText,
  VocabularyItem,
} from "../domain/content_schema.ts";
import { answerKey } from "../domain/answer_matching.ts";
import type { Db } from "./client.ts";
import {
  newWordAudio,
  refreshWordAudio,
  sentenceAudioStatements,
  SPOKEN_FIELDS,
  spokenColumns,
} from "./speech_clips.ts";
import { exerciseRow, vocabularyId } from "./content_store.ts";
import type { Statement } from "./learning_records.ts";
import {
  certificates,
  courses,
  goals,
  grammarExercises,
  grammarTopics,
  lessonGrammar,
  lessons,
  lessonVocabulary,
  quizzes,
  reviewLogs,
  userGrammar,
  userLessons,
  userProgress,
  users,
  userVocabulary,
  vocabulary,
} from "./schema.ts";

type CourseFields = Omit<z.infer<typeof Course>, "lessons">;

function courseJson(c: typeof courses.$inferSelect) {
  return {
    id: c.id,
    language_id: c.languageId,
    level: c.level,
    title: c.title,
    description: c.description,
    objectives: c.objectives,
    estimated_hours: c.estimatedHours,
    prerequisite_id: c.prerequisiteId,
    status: c.status,
  };
}

export async function insertCourse(db: Db, languageId: string, body: CourseFields) {
  const [maxPos] = await db.select({ n: sql<number>`coalesce(max(${courses.position}), -1)` })
    .from(courses).where(eq(courses.languageId, languageId));
  const [row] = await db.insert(courses).values({
    id: body.slug,
    languageId,
    level: body.level,
    position: Number(maxPos.n) + 1,
    title: body.title,
    description: body.description,
    objectives: body.objectives,
    estimatedHours: body.estimated_hours,
    prerequisiteId: body.prerequisite,
  }).onConflictDoNothing().returning();
  return row ? courseJson(row) : "duplicate" as const;
}

export async function updateCourse(db: Db, id: string, patch: Partial<CourseFields>) {
  const [row] = await db.update(courses).set({
    ...(patch.level ? { level: patch.level } : {}),
    ...(patch.title ? { title: patch.title } : {}),
    ...(patch.description ? { description: patch.description } : {}),
    ...(patch.objectives ? { objectives: patch.objectives } : {}),
    ...(patch.estimated_hours ? { estimatedHours: patch.estimated_hours } : {}),
    ...(patch.prerequisite !== undefined ? { prerequisiteId: patch.prerequisite } : {}),
    updatedAt: sql`(unixepoch() * 1000)`,
  }).where(eq(courses.id, id)).returning();
  return row ? courseJson(row) : null;
}

export async function archiveOrDeleteCourse(db: Db, id: string) {
  const [[course], [learners], [dependents]] = await db.batch([
    db.select().from(courses).where(eq(courses.id, id)),
    db.select({
      n: sql<number>`(SELECT count(*) FROM ${userProgress} WHERE ${userProgress.courseId} = ${id})
        + (SELECT count(*) FROM ${goals} WHERE ${goals.courseId} = ${id})
        + (SELECT count(*) FROM ${certificates} WHERE ${certificates.courseId} = ${id})`,
    }).from(sql`(SELECT 1)`),
    db.select({ n: count() }).from(courses)
      .where(and(eq(courses.prerequisiteId, id), eq(courses.status, "published"))),
  ]);
  if (!course) return "not_found" as const;
  if (dependents.n > 0) return "is_prerequisite" as const;
  if (Number(learners.n) > 0) {
    await db.batch([
      db.update(courses).set({ status: "archived" }).where(eq(courses.id, id)),
      db.update(lessons).set({ status: "archived" }).where(eq(lessons.courseId, id)),
    ]);
    return "archived" as const;
  }
  await db.batch([
    db.delete(userLessons).where(
      inArray(
        userLessons.lessonId,
        db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, id)),
      ),
    ),
    db.delete(lessons).where(eq(lessons.courseId, id)),
    // Questions go with their quiz (ON DELETE CASCADE).
    db.delete(quizzes).where(eq(quizzes.courseId, id)),
    db.delete(courses).where(eq(courses.id, id)),
  ]);
  return "deleted" as const;
}

/** Queries for a lesson's words and topics within one language (an id or a subquery). */
function lessonLinkQueries(
  db: Db,
  languageId: string | SQL,
  lesson: Pick<Lesson, "vocabulary" | "grammar_topics">,
) {
  return [
    db.select({ id: vocabulary.id, word: vocabulary.word }).from(vocabulary).where(and(
      eq(vocabulary.languageId, languageId),
      inArray(vocabulary.word, lesson.vocabulary.length ? lesson.vocabulary : [""]),
    )),
    db.select({ id: grammarTopics.id }).from(grammarTopics).where(and(
      eq(grammarTopics.languageId, languageId),
      inArray(grammarTopics.id, lesson.grammar_topics.length ? lesson.grammar_topics : [""]),
    )),
  ] as const;
}

type LinkRows = [{ id: string; word: string }[], { id: string }[]];

/** The lesson's links, or null when a word or topic is unknown in the language. */
function resolveLinks(
  [words, topics]: LinkRows,
  lesson: Pick<Lesson, "vocabulary" | "grammar_topics">,
) {
  const wordIds = new Map(words.map((w) => [w.word, w.id]));
  if (lesson.vocabulary.some((w) => !wordIds.has(w))) return null;
  if (topics.length !== new Set(lesson.grammar_topics).size) return null;
  return { wordIds, topicIds: lesson.grammar_topics };
}

function linkStatements(
  db: Db,
  lessonId: string,
  links: NonNullable<ReturnType<typeof resolveLinks>>,
  words: string[],
) {
  const out: Statement[] = [
    db.delete(lessonVocabulary).where(eq(lessonVocabulary.lessonId, lessonId)),
    db.delete(lessonGrammar).where(eq(lessonGrammar.lessonId, lessonId)),
  ];
  if (words.length) {
    out.push(
      db.insert(lessonVocabulary).values(
        words.map((w, position) => ({ lessonId, vocabularyId: links.wordIds.get(w)!, position })),
      ),
    );
  }
  if (links.topicIds.length) {
    out.push(
      db.insert(lessonGrammar).values(links.topicIds.map((topicId) => ({ lessonId, topicId }))),
    );
  }
  return out;
}

export async function insertLesson(db: Db, courseId: string, body: Lesson & { position?: number }) {
  const language =
    sql`(SELECT ${courses.languageId} FROM ${courses} WHERE ${courses.id} = ${courseId})`;
  const [words, topics] = lessonLinkQueries(db, language, body);
  const [course, wordRows, topicRows, existing, last] = await db.batch([
    db.select({ id: courses.id, languageId: courses.languageId }).from(courses)
      .where(eq(courses.id, courseId)),
    words,
    topics,
    db.select({ id: lessons.id }).from(lessons).where(eq(lessons.id, body.slug)),
    db.select({ n: sql<number>`coalesce(max(${lessons.position}), 0)` }).from(lessons)
      .where(eq(lessons.courseId, courseId)),
  ]);
  if (!course[0]) return "course_not_found" as const;
  const links = resolveLinks([wordRows, topicRows], body);
  if (!links) return "unknown_reference" as const;
  if (existing[0]) return "duplicate" as const;
  const end = Number(last[0].n) + 1;
  const position = Math.min(body.position ?? end, end);
  await db.batch([
    db.update(lessons).set({ position: sql`${lessons.position} + 1` })
      .where(and(eq(lessons.courseId, courseId), gte(lessons.position, position))),
    db.insert(lessons).values({
      id: body.slug,
      courseId,
      position,
      type: body.type,
      title: body.title,
      summary: body.summary,
      estimatedMinutes: body.estimated_minutes,
      content: body.content,
    }),
    ...linkStatements(db, body.slug, links, body.vocabulary),
    ...sentenceAudioStatements(
      db,
      lessons,
      body.slug,
      course[0].languageId,
      body.content.examples ?? [],
    ),
  ]);
  return { id: body.slug, course_id: courseId, position, type: body.type, title: body.title };
}

export async function updateLesson(db: Db, id: string, patch: Partial<Lesson>) {
  const language =
    sql`(SELECT ${courses.languageId} FROM ${courses} JOIN ${lessons} ON ${lessons.courseId} = ${courses.id} WHERE ${lessons.id} = ${id})`;
  const wanted = { vocabulary: patch.vocabulary ?? [], grammar_topics: patch.grammar_topics ?? [] };
  const [words, topics] = lessonLinkQueries(db, language, wanted);
  const [found, currentWords, currentTopics, wordRows, topicRows] = await db.batch([
    db.select({ id: lessons.id, languageId: courses.languageId }).from(lessons)
      .innerJoin(courses, eq(courses.id, lessons.courseId)).where(eq(lessons.id, id)),
    db.select({ id: vocabulary.id, word: vocabulary.word }).from(lessonVocabulary)
      .innerJoin(vocabulary, eq(vocabulary.id, lessonVocabulary.vocabularyId))
      .where(eq(lessonVocabulary.lessonId, id)).orderBy(lessonVocabulary.position),
    db.select({ id: lessonGrammar.topicId }).from(lessonGrammar).where(
      eq(lessonGrammar.lessonId, id),
    ),
    words,
    topics,
  ]);
  if (!found[0]) return "not_found" as const;
  const statements: Statement[] = [
    db.update(lessons).set({
      ...(patch.type ? { type: patch.type } : {}),
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.summary ? { summary: patch.summary } : {}),
      ...(patch.estimated_minutes ? { estimatedMinutes: patch.estimated_minutes } : {}),
      ...(patch.content ? { content: patch.content } : {}),
      updatedAt: sql`(unixepoch() * 1000)`,
    }).where(eq(lessons.id, id)),
  ];
  if (patch.vocabulary || patch.grammar_topics) {
    // The side not being changed keeps its current, already valid links.
    const lesson = {
      vocabulary: patch.vocabulary ?? currentWords.map((w) => w.word),
      grammar_topics: patch.grammar_topics ?? currentTopics.map((t) => t.id),
    };
    const links = resolveLinks([
      patch.vocabulary ? wordRows : currentWords,
      patch.grammar_topics ? topicRows : currentTopics,
    ], lesson);
    if (!links) return "unknown_reference" as const;
    statements.push(...linkStatements(db, id, links, lesson.vocabulary));
  }
  if (patch.content) {
    statements.push(
      ...sentenceAudioStatements(
        db,
        lessons,
        id,
        found[0].languageId,
        patch.content.examples ?? [],
      ),
    );
  }
  await db.batch(statements as [Statement, ...Statement[]]);
  return { id, updated: true };
}

export async function archiveOrDeleteLesson(db: Db, id: string) {
  const [[lesson], [learners]] = await db.batch([
    db.select().from(lessons).where(eq(lessons.id, id)),
    db.select({ n: count() }).from(userLessons).where(eq(userLessons.lessonId, id)),
  ]);
  if (!lesson) return "not_found" as const;
  if (learners.n > 0) {
    await db.update(lessons).set({ status: "archived" }).where(eq(lessons.id, id));
    return "archived" as const;
  }
  await db.batch([
    db.delete(lessons).where(eq(lessons.id, id)),
    db.update(lessons).set({ position: sql`${lessons.position} - 1` })
      .where(and(eq(lessons.courseId, lesson.courseId), gte(lessons.position, lesson.position))),
  ]);
  return "deleted" as const;
}

// ---------------------------------------------------------------- vocabulary

function vocabularyValues(item: VocabularyItem) {
  return {
    word: item.word,
    searchKey: answerKey(item.word),
    reading: item.reading ?? null,
    romanization: item.romanization ?? null,
    translation: item.translation,
    alternatives: item.alternatives ?? {},
    partOfSpeech: item.part_of_speech,
    gender: item.gender ?? null,
    plural: item.plural ?? null,
    ipa: item.ipa,
    example: item.example,
    level: item.level,
    category: item.category,
    frequencyRank: item.frequency_rank ?? null,
    notes: item.notes ?? null,
  };
}

export async function insertVocabulary(db: Db, languageId: string, item: VocabularyItem) {
  const id = vocabularyId(languageId, item.word, item.romanization);
  const values = vocabularyValues(item);
  // The word's reference clips are created with it: audio_url is never null.
  const audio = newWordAudio(db, { languageId, ...values });
  const statements: Statement[] = [
    ...audio.statements,
    db.insert(vocabulary).values({
      id,
      languageId,
      ...values,
      ...audio.columns,
      sequence: 900_000,
    }).onConflictDoNothing().returning({ id: vocabulary.id }),
  ];
  const results = await db.batch(statements as [Statement, ...Statement[]]);
  const [row] = results.at(-1) as { id: string }[];
  return row ? { id, word: item.word, language_id: languageId } : "duplicate" as const;
}

export async function updateVocabulary(db: Db, id: string, patch: Partial<VocabularyItem>) {
  const set: Partial<typeof vocabulary.$inferInsert> = {};
  if (patch.reading !== undefined) set.reading = patch.reading;
  if (patch.romanization !== undefined) set.romanization = patch.romanization;
  if (patch.translation) set.translation = patch.translation;
  if (patch.alternatives) set.alternatives = patch.alternatives;
  if (patch.part_of_speech) set.partOfSpeech = patch.part_of_speech;
  if (patch.gender !== undefined) set.gender = patch.gender;
  if (patch.plural !== undefined) set.plural = patch.plural;
  if (patch.ipa) set.ipa = patch.ipa;
  if (patch.example) set.example = patch.example;
  if (patch.level) set.level = patch.level;
  if (patch.category) set.category = patch.category;
  if (patch.frequency_rank !== undefined) set.frequencyRank = patch.frequency_rank;
  if (patch.notes !== undefined) set.notes = patch.notes;
  const [row] = await db.update(vocabulary).set({ ...set, updatedAt: new Date() })
    .where(eq(vocabulary.id, id)).returning(spokenColumns);
  if (!row) return null;
  if (SPOKEN_FIELDS.some((field) => patch[field] !== undefined)) await refreshWordAudio(db, row);
  return { id, updated: true };
}

export async function archiveOrDeleteVocabulary(db: Db, id: string) {
  const [[word], [cards], [logs]] = await db.batch([
    db.select({ id: vocabulary.id }).from(vocabulary).where(eq(vocabulary.id, id)),
    db.select({ n: count() }).from(userVocabulary).where(eq(userVocabulary.vocabularyId, id)),
    db.select({ n: count() }).from(reviewLogs).where(eq(reviewLogs.vocabularyId, id)),
  ]);
  if (!word) return "not_found" as const;
  if (cards.n + logs.n > 0) {
    await db.update(vocabulary).set({ status: "archived" }).where(eq(vocabulary.id, id));
    return "archived" as const;
  }
  await db.delete(vocabulary).where(eq(vocabulary.id, id));
  return "deleted" as const;
}

// ---------------------------------------------------------------- grammar

export async function insertGrammarTopic(db: Db, languageId: string, topic: GrammarTopic) {
  const [exists] = await db.select({ id: grammarTopics.id }).from(grammarTopics)
    .where(eq(grammarTopics.id, topic.slug));
  if (exists) return "duplicate" as const;
  await db.batch([
    db.insert(grammarTopics).values({
      id: topic.slug,
      languageId,
      level: topic.level,
      position: 1000,
      title: topic.title,
      summary: topic.summary,
      explanation: topic.explanation,
      examples: topic.examples,
    }),
    ...topic.exercises.map((e, i) =>
      db.insert(grammarExercises).values(exerciseRow(topic.slug, e, i))
    ),
    ...sentenceAudioStatements(db, grammarTopics, topic.slug, languageId, topic.examples),
  ]);
  return { id: topic.slug, language_id: languageId, exercises: topic.exercises.length };
}

export async function updateGrammarTopic(
  db: Db,
  id: string,
  patch: Partial<Omit<GrammarTopic, "exercises" | "slug">>,
) {
  const [row] = await db.update(grammarTopics).set({
    ...(patch.level ? { level: patch.level } : {}),
    ...(patch.title ? { title: patch.title } : {}),
    ...(patch.summary ? { summary: patch.summary } : {}),
    ...(patch.explanation ? { explanation: patch.explanation } : {}),
    ...(patch.examples ? { examples: patch.examples } : {}),
    updatedAt: sql`(unixepoch() * 1000)`,
  }).where(eq(grammarTopics.id, id)).returning({
    id: grammarTopics.id,
    languageId: grammarTopics.languageId,
  });
  if (!row) return null;
  if (patch.examples) {
    await db.batch(
      sentenceAudioStatements(db, grammarTopics, id, row.languageId, patch.examples) as [
        Statement,
        ...Statement[],
      ],
    );
  }
  return { id, updated: true };
}

export async function archiveOrDeleteGrammarTopic(db: Db, id: string) {
  const [[topic], [learners]] = await db.batch([
    db.select({ id: grammarTopics.id }).from(grammarTopics).where(eq(grammarTopics.id, id)),
    db.select({ n: count() }).from(userGrammar).where(eq(userGrammar.topicId, id)),
  ]);
  if (!topic) return "not_found" as const;
  if (learners.n > 0) {
    await db.update(grammarTopics).set({ status: "archived" }).where(eq(grammarTopics.id, id));
    return "archived" as const;
  }
  await db.delete(grammarTopics).where(eq(grammarTopics.id, id));
  return "deleted" as const;
}

/** Adds or replaces one exercise of a topic. */
export async function upsertGrammarExercise(db: Db, topicId: string, exercise: GrammarExercise) {
  const [[topic], [position]] = await db.batch([
    db.select({ id: grammarTopics.id }).from(grammarTopics).where(eq(grammarTopics.id, topicId)),
    db.select({ n: sql<number>`coalesce(max(${grammarExercises.position}), -1)` }).from(
      grammarExercises,
    )
      .where(eq(grammarExercises.topicId, topicId)),
  ]);
  if (!topic) return null;
  const row = exerciseRow(topicId, exercise, Number(position.n) + 1);
  const { id: _id, position: _p, ...set } = row;
  await db.insert(grammarExercises).values(row).onConflictDoUpdate({
    target: grammarExercises.id,
    set,
  });
  return { id: row.id, topic_id: topicId, type: row.type };
}

export async function deleteGrammarExercise(db: Db, topicId: string, exerciseId: string) {
  const deleted = await db.delete(grammarExercises)
    .where(and(eq(grammarExercises.topicId, topicId), eq(grammarExercises.id, exerciseId)))
    .returning({ id: grammarExercises.id });
  return deleted.length > 0;
}

// ---------------------------------------------------------------- roles

export async function setRole(db: Db, userId: string, role: "learner" | "editor" | "admin") {
  const [row] = await db.update(users).set({ role }).where(eq(users.id, userId))
    .returning({ id: users.id, username: users.username, role: users.role });
  return row ?? null;
}

export type { LocalizedText };
