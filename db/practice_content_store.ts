/**
 * Seeds the practice content beside the curriculum: translation exercises
 * (`content/translations/<code>.json`) and pronunciation guides
 * (`content/pronunciation/<code>.json`). Idempotent and keyed on a content
 * hash: a guide row keeps the SHA-256 of its file; a language's exercises are
 * hashed as stored and as the file would store them, and rewritten only when
 * the two differ. A file whose language has no curriculum yet, or that does not
 * validate (a file still being written), is skipped with a warning so the rest
 * of the content still loads; `deno task content:check` names its mistakes.
 */
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import { PronunciationFile, TranslationFile } from "../domain/practice_content_schema.ts";
import type { Db } from "./client.ts";
import { ContentFileError } from "./content_files.ts";
import { contentHash } from "./content_store.ts";
import { contentJsonNames, readContentJson } from "./practice_content_files.ts";
import {
  languages,
  pronunciationGuides,
  translationExercises,
  userTranslations,
} from "./schema.ts";

type Warn = (message: string) => void;

/** Every valid file of a folder; invalid or unreadable ones are reported and skipped. */
async function readValidFiles<T extends z.ZodType>(
  folder: string,
  schema: T,
  warn: Warn,
): Promise<{ name: string; data: z.output<T> }[]> {
  const out: { name: string; data: z.output<T> }[] = [];
  for (const name of await contentJsonNames(folder)) {
    try {
      out.push({ name: `${folder}/${name}`, data: await readContentJson(folder, name, schema) });
    } catch (err) {
      // Unreadable JSON comes back as one problem with no field: say what it was.
      const problems = !(err instanceof ContentFileError)
        ? (err as Error).message
        : err.problems[0]?.field === ""
        ? err.problems[0].message
        : `${err.problems.length} validation problem(s)`;
      warn(`${folder}/${name} skipped: ${problems}`);
    }
  }
  return out;
}

/** A stable exercise id: the file's id, prefixed with the language unless it already is. */
export function translationExerciseId(code: string, id: string): string {
  return id.startsWith(`${code}-`) ? id : `${code}-${id}`;
}

type ExerciseRow = typeof translationExercises.$inferInsert;

function exerciseRows(file: z.output<typeof TranslationFile>): ExerciseRow[] {
  return file.exercises.map((e) => ({
    id: translationExerciseId(file.language, e.id),
    languageId: file.language,
    direction: e.direction,
    difficulty: e.difficulty,
    kind: e.kind,
    source: e.source,
    reading: e.direction === "from_target" ? e.reading ?? null : null,
    romanization: e.direction === "from_target" ? e.romanization ?? null : null,
    accepted: e.accepted,
    notes: e.notes ?? null,
    status: "published" as const,
  }));
}

/** The comparable content of rows, in id order (the same for file and database). */
function canonical(rows: ExerciseRow[]) {
  return rows.map((r) => [
    r.id,
    r.direction,
    r.difficulty,
    r.kind,
    r.source,
    r.reading ?? null,
    r.romanization ?? null,
    r.accepted,
    r.notes ?? null,
    r.status,
  ]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/**
 * Loads translation exercises and pronunciation guides; returns what it wrote
 * (`translations/es`, `pronunciation/es`).
 */
export async function seedPracticeContent(
  db: Db,
  options: { warn?: Warn } = {},
): Promise<string[]> {
  const warn = options.warn ?? ((m: string) => console.warn(`seed: ${m}`));
  const [translationFiles, guideFiles, known, guides] = await Promise.all([
    readValidFiles("translations", TranslationFile, warn),
    readValidFiles("pronunciation", PronunciationFile, warn),
    db.select({ id: languages.id }).from(languages),
    db.select({ languageId: pronunciationGuides.languageId, hash: pronunciationGuides.contentHash })
      .from(pronunciationGuides),
  ]);
  const languageIds = new Set(known.map((l) => l.id));
  const guideHashes = new Map(guides.map((g) => [g.languageId, g.hash]));
  const written: string[] = [];

  for (const { name, data: file } of translationFiles) {
    if (!languageIds.has(file.language)) {
      warn(`${name} skipped: no curriculum for language ${file.language}`);
      continue;
    }
    const rows = exerciseRows(file);
    const stored = await db.select().from(translationExercises)
      .where(eq(translationExercises.languageId, file.language));
    if (contentHash(canonical(stored)) === contentHash(canonical(rows))) continue;
    const ids = rows.map((r) => r.id);
    const statements: BatchItem<"sqlite">[] = rows.map((row) => {
      const { id: _id, ...set } = row;
      return db.insert(translationExercises).values(row).onConflictDoUpdate({
        target: translationExercises.id,
        set,
      });
    });
    // Exercises gone from the file: deleted, or archived when learners have
    // history on them (their progress rows point at the exercise).
    const gone = and(
      eq(translationExercises.languageId, file.language),
      notInArray(translationExercises.id, ids),
    );
    const practised = sql`EXISTS (SELECT 1 FROM ${userTranslations} ut
      WHERE ut.exercise_id = ${translationExercises.id})`;
    statements.push(
      db.update(translationExercises).set({ status: "archived" }).where(and(gone, practised)),
      db.delete(translationExercises).where(and(gone, sql`NOT ${practised}`)),
    );
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    written.push(`translations/${file.language}`);
  }

  const guideWrites: BatchItem<"sqlite">[] = [];
  for (const { name, data: file } of guideFiles) {
    if (!languageIds.has(file.language)) {
      warn(`${name} skipped: no curriculum for language ${file.language}`);
      continue;
    }
    const hash = contentHash(file);
    if (guideHashes.get(file.language) === hash) continue;
    guideWrites.push(
      db.insert(pronunciationGuides).values({
        languageId: file.language,
        guide: file as unknown as Record<string, unknown>,
        contentHash: hash,
      }).onConflictDoUpdate({
        target: pronunciationGuides.languageId,
        set: { guide: file as unknown as Record<string, unknown>, contentHash: hash },
      }),
    );
    written.push(`pronunciation/${file.language}`);
  }
  if (guideWrites.length) {
    await db.batch(guideWrites as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  }
  return written;
}
