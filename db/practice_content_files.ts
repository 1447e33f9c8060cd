/**
 * Reads and validates `content/translations/*.json` and
 * `content/pronunciation/*.json`. Run `deno task content:check` to validate all content.
 */
import type { z } from "zod";
import { PronunciationFile, TranslationFile } from "../domain/practice_content_schema.ts";
import { ContentFileError } from "./content_files.ts";

const DIR = new URL("../content/", import.meta.url);

async function readFolder<T extends z.ZodType>(folder: string, schema: T): Promise<z.output<T>[]> {
  const dir = new URL(`${folder}/`, DIR);
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  names.sort();
  return await Promise.all(names.map(async (name) => {
    const file = `${folder}/${name}`;
    let json: unknown;
    try {
      json = JSON.parse(await Deno.readTextFile(new URL(name, dir)));
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
  }));
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
      }
    } catch (err) {
      console.error((err as Error).message);
      failed = true;
    }
  }
  if (failed) Deno.exit(1);
}
