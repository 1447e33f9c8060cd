/**
 * Reads and validates `content/translations/*.json` and
 * `content/pronunciation/*.json`. Run `deno task content:check` to validate all content.
 */
import type { z } from "zod";
import { translationAnswerProblems } from "../domain/answer_lint.ts";
import { PronunciationFile, TranslationFile } from "../domain/practice_content_schema.ts";
import { ContentFileError } from "./content_files.ts";

const DIR = new URL("../content/", import.meta.url);

/** The JSON files of a content subfolder, sorted (none when the folder is missing). */
export async function contentJsonNames(folder: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(new URL(`${folder}/`, DIR))) {
      if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return names.sort();
}

/** Reads and validates one file, throwing {@link ContentFileError} naming file and fields. */
export async function readContentJson<T extends z.ZodType>(
  folder: string,
  name: string,
  schema: T,
): Promise<z.output<T>> {
  const file = `${folder}/${name}`;
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(new URL(`${folder}/${name}`, DIR)));
  } catch (err) {
    throw new ContentFileError(file, [{ field: "", message: (err as Error).message }]);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ContentFileError(
      file,
      result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

async function readFolder<T extends z.ZodType>(folder: string, schema: T): Promise<z.output<T>[]> {
  const names = await contentJsonNames(folder);
  return await Promise.all(names.map((name) => readContentJson(folder, name, schema)));
}

export function readTranslationFiles() {
  return readFolder("translations", TranslationFile);
}

export function readPronunciationFiles() {
  return readFolder("pronunciation", PronunciationFile);
}

if (import.meta.main) {
  let failed = false;
  for (
    const [name, read] of [["translations", readTranslationFiles], [
      "pronunciation",
      readPronunciationFiles,
    ]] as const
  ) {
    try {
      const files = await read();
      for (const f of files) {
        const n = "exercises" in f
          ? `${f.exercises.length} exercises`
          : `${f.sounds.length} sounds`;
        console.log(`${name}/${f.language}: ${n}`);
        if (!("exercises" in f)) continue;
        for (const p of translationAnswerProblems(f)) {
          console.error(`  ${name}/${f.language}: ${p.field}: "${p.text}": ${p.problem}`);
          failed = true;
        }
      }
    } catch (err) {
      console.error((err as Error).message);
      failed = true;
    }
  }
  if (failed) Deno.exit(1);
}
