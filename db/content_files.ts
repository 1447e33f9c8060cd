/**
 * Reads and validates the curriculum files under `content/`. A broken file fails
 * with the file name and the path of each bad field, so a non-programmer editing
 * the JSON can find the mistake. Run `deno task content:check` to validate them all.
 */
import { contentAnswerProblems } from "../domain/answer_lint.ts";
import { CONTENT_MINIMUMS, ContentFile, levelConflicts } from "../domain/content_schema.ts";

export const CONTENT_DIR = new URL("../content/", import.meta.url);

/** Raised when a content file does not parse or validate; names file and fields. */
export class ContentFileError extends Error {
  constructor(readonly file: string, readonly problems: { field: string; message: string }[]) {
    super(
      `${file} is not valid content:\n` +
        problems.map((p) => `  - ${p.field || "(file)"}: ${p.message}`).join("\n"),
    );
    this.name = "ContentFileError";
  }
}

/** Validates parsed JSON as a content file, throwing {@link ContentFileError}. */
export function parseContent(file: string, json: unknown): ContentFile {
  const result = ContentFile.safeParse(json);
  if (!result.success) {
    throw new ContentFileError(
      file,
      result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

/** Lists the ways a language falls short of the minimum amount of content. */
export function shortfalls(content: ContentFile): string[] {
  const out: string[] = [];
  const m = CONTENT_MINIMUMS;
  if (content.vocabulary.length < m.vocabulary) {
    out.push(`vocabulary has ${content.vocabulary.length} items, needs ${m.vocabulary}`);
  }
  if (content.grammar.length < m.grammarTopics) {
    out.push(`grammar has ${content.grammar.length} topics, needs ${m.grammarTopics}`);
  }
  if (content.courses.length < m.courses) {
    out.push(`courses has ${content.courses.length}, needs ${m.courses}`);
  }
  for (const c of content.courses) {
    if (c.lessons.length < m.lessonsPerCourse) {
      out.push(`${c.slug} has ${c.lessons.length} lessons`);
    }
    const types = new Set(c.lessons.map((l) => l.type));
    if (types.size < 3) out.push(`${c.slug} needs vocabulary, grammar and conversation lessons`);
  }
  const levels = new Set(content.courses.map((c) => c.level));
  for (const level of ["A1", "A2"]) if (!levels.has(level as never)) out.push(`no ${level} course`);
  const a1 = content.courses.find((c) => c.level === "A1");
  const a2 = content.courses.find((c) => c.level === "A2");
  if (a1 && a2 && a2.prerequisite !== a1.slug) out.push(`${a2.slug} must require ${a1.slug}`);
  const exerciseTypes = new Set(content.grammar.flatMap((g) => g.exercises.map((e) => e.type)));
  if (exerciseTypes.size < 4) {
    out.push(`grammar exercises use only ${[...exerciseTypes].join(", ")}`);
  }
  return out;
}

/** Reads one content file by path. */
export async function readContentFile(path: string | URL): Promise<ContentFile> {
  const name = typeof path === "string" ? path : path.pathname.split("/").pop()!;
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new ContentFileError(name, [{ field: "", message: (err as Error).message }]);
  }
  return parseContent(name, json);
}

/** Reads every `content/*.json`, sorted by file name. */
export async function readAllContent(dir: URL = CONTENT_DIR): Promise<ContentFile[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  names.sort();
  return Promise.all(names.map((n) => readContentFile(new URL(n, dir))));
}

if (import.meta.main) {
  const files = Deno.args.length ? Deno.args : null;
  let failed = false;
  const contents = files
    ? await Promise.all(files.map(async (f) => {
      try {
        return await readContentFile(f);
      } catch (err) {
        console.error((err as Error).message);
        failed = true;
        return null;
      }
    }))
    : await readAllContent().catch((err) => {
      console.error(err.message);
      failed = true;
      return [];
    });
  for (const c of contents) {
    if (!c) continue;
    const lessons = c.courses.reduce((n, x) => n + x.lessons.length, 0);
    const exercises = c.grammar.reduce((n, g) => n + g.exercises.length, 0);
    console.log(
      `${c.language.code}: ${c.vocabulary.length} words, ${c.grammar.length} grammar topics ` +
        `(${exercises} exercises), ${c.courses.length} courses, ${lessons} lessons`,
    );
    for (const s of shortfalls(c)) {
      console.error(`  ${c.language.code}: ${s}`);
      failed = true;
    }
    for (const p of contentAnswerProblems(c)) {
      console.error(`  ${c.language.code}: ${p.field}: "${p.text}": ${p.problem}`);
      failed = true;
    }
  }
  if (!files) {
    for (const c of levelConflicts(contents.filter((c) => c !== null))) {
      console.error(`  "${c.gloss}" has different levels: ${JSON.stringify(c.levels)}`);
      failed = true;
    }
  }
  if (failed) Deno.exit(1);
}
