/**
 * Writes a validated content file into the content tables. Ids are derived from
 * slugs and words, so the same file always yields the same ids and rewriting it
 * is an upsert; all of one language is written in one atomic batch.
 */
import { eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { ContentFile, GrammarExercise } from "../domain/content_schema.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { hashSeed } from "../domain/random.ts";
import { sha256Hex } from "../platform/tokens.ts";
import type { Db } from "./client.ts";
import { contentAudioStatements } from "./speech_clips.ts";
import {
  courses,
  grammarExercises,
  grammarTopics,
  languages,
  lessonGrammar,
  lessons,
  lessonVocabulary,
  vocabulary,
} from "./schema.ts";

/** A stable id for a word: `<lang>-<ascii slug>`, with a hash suffix when needed. */
export function vocabularyId(code: string, word: string, romanization?: string): string {
  const base = (romanization ?? word).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return base && base.length <= 40 ? `${code}-${base}` : `${code}-w${shortHash(word)}`;
}

export function exerciseId(topicSlug: string, exerciseSlug: string): string {
  return `${topicSlug}--${exerciseSlug}`;
}

function shortHash(s: string): string {
  return hashSeed(s).toString(36);
}

/** SHA-256 of the file's canonical JSON. */
export function contentHash(content: unknown): string {
  return sha256Hex(JSON.stringify(content));
}

/** Assigns vocabulary ids, resolving clashes (two words with one slug) deterministically. */
export function vocabularyIds(content: ContentFile): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const v of content.vocabulary) {
    let id = vocabularyId(content.language.code, v.word, v.romanization);
    if (used.has(id)) id = `${id}-${shortHash(v.word)}`;
    used.add(id);
    ids.set(v.word, id);
  }
  return ids;
}

/**
 * Upserts one language's content. Returns false (and writes nothing) when the
 * same file was already stored.
 */
export async function storeContent(db: Db, content: ContentFile, hash: string): Promise<boolean> {
  const code = content.language.code;
  const [existing] = await db.select({ hash: languages.contentHash }).from(languages)
    .where(eq(languages.id, code));
  if (existing?.hash === hash) return false;
  await db.batch(contentStatements(db, content, hash) as [BatchItem<"sqlite">]);
  return true;
}

/** Every statement that writes `content`, in dependency order. */
export function contentStatements(db: Db, content: ContentFile, hash: string | null) {
  const lang = content.language;
  const code = lang.code;
  const wordIds = vocabularyIds(content);
  const out: BatchItem<"sqlite">[] = [];
  const upsert = <T extends SQLiteTable>(table: T, target: unknown, row: T["$inferInsert"]) => {
    const { id: _id, ...set } = row as Record<string, unknown>;
    out.push(
      db.insert(table).values(row).onConflictDoUpdate({
        // deno-lint-ignore no-explicit-any
        target: target as any,
        set: { ...set, ...("updatedAt" in table ? { updatedAt: sql`(unixepoch() * 1000)` } : {}) },
      }) as unknown as BatchItem<"sqlite">,
    );
  };

  upsert(languages, languages.id, {
    id: code,
    code,
    name: lang.name,
    nativeName: lang.native_name,
    difficulty: lang.difficulty,
    fsiCategory: lang.fsi_category,
    fsiHours: lang.fsi_hours,
    ttsLang: lang.tts_lang,
    script: lang.script,
    hasGender: lang.has_gender,
    optionalArticles: lang.optional_articles,
    description: lang.description,
    locales: content.locales,
    contentHash: hash,
  });

  // The first lesson that teaches a word decides when a new learner meets it.
  const sequence = new Map<string, number>();
  content.courses.forEach((course, ci) =>
    course.lessons.forEach((lesson, li) =>
      lesson.vocabulary.forEach((w, wi) => {
        if (!sequence.has(w)) sequence.set(w, (ci + 1) * 100_000 + (li + 1) * 1_000 + wi);
      })
    )
  );
  content.vocabulary.forEach((v, i) => {
    upsert(vocabulary, vocabulary.id, {
      id: wordIds.get(v.word)!,
      languageId: code,
      word: v.word,
      searchKey: answerKey(v.word),
      reading: v.reading ?? null,
      romanization: v.romanization ?? null,
      translation: v.translation,
      alternatives: v.alternatives ?? {},
      partOfSpeech: v.part_of_speech,
      gender: v.gender ?? null,
      plural: v.plural ?? null,
      ipa: v.ipa,
      example: v.example,
      level: v.level,
      category: v.category,
      frequencyRank: v.frequency_rank ?? null,
      notes: v.notes ?? null,
      sequence: sequence.get(v.word) ?? 900_000 + i,
      status: "published",
    });
  });

  content.grammar.forEach((topic, ti) => {
    upsert(grammarTopics, grammarTopics.id, {
      id: topic.slug,
      languageId: code,
      level: topic.level,
      position: ti,
      title: topic.title,
      summary: topic.summary,
      explanation: topic.explanation,
      examples: topic.examples,
      status: "published",
    });
    topic.exercises.forEach((ex, ei) => {
      upsert(grammarExercises, grammarExercises.id, exerciseRow(topic.slug, ex, ei));
    });
  });

  content.courses.forEach((course, ci) => {
    upsert(courses, courses.id, {
      id: course.slug,
      languageId: code,
      level: course.level,
      position: ci,
      title: course.title,
      description: course.description,
      objectives: course.objectives,
      estimatedHours: course.estimated_hours,
      prerequisiteId: course.prerequisite,
      status: "published",
    });
    course.lessons.forEach((lesson, li) => {
      upsert(lessons, lessons.id, {
        id: lesson.slug,
        courseId: course.slug,
        position: li + 1,
        type: lesson.type,
        title: lesson.title,
        summary: lesson.summary,
        estimatedMinutes: lesson.estimated_minutes,
        content: lesson.content,
        status: "published",
      });
      out.push(db.delete(lessonVocabulary).where(eq(lessonVocabulary.lessonId, lesson.slug)));
      out.push(db.delete(lessonGrammar).where(eq(lessonGrammar.lessonId, lesson.slug)));
      if (lesson.vocabulary.length) {
        out.push(
          db.insert(lessonVocabulary).values(lesson.vocabulary.map((w, position) => ({
            lessonId: lesson.slug,
            vocabularyId: wordIds.get(w)!,
            position,
          }))),
        );
      }
      if (lesson.grammar_topics.length) {
        out.push(
          db.insert(lessonGrammar).values(
            lesson.grammar_topics.map((topicId) => ({ lessonId: lesson.slug, topicId })),
          ),
        );
      }
    });
  });
  out.push(...contentAudioStatements(db, content, wordIds));
  return out;
}

/** Splits an exercise into what the learner sees and the answer columns. */
export function exerciseRow(topicSlug: string, ex: GrammarExercise, position: number) {
  const { id, type, answer, accepted, explanation, ...prompt } = ex;
  return {
    id: exerciseId(topicSlug, id),
    topicId: topicSlug,
    position,
    type,
    prompt,
    answer,
    accepted: accepted ?? [],
    explanation,
  };
}
