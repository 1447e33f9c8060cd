/**
 * Loads the curriculum from `content/*.json` into the database. Idempotent: a
 * file already stored unchanged is skipped, a changed one is upserted in one
 * atomic batch. `main.ts` calls {@link seedIfEmpty}; `deno task seed` reseeds.
 */
import { count } from "drizzle-orm";
import type { Db } from "./db/client.ts";
import { openDatabase } from "./db/client.ts";
import { readAllContent } from "./db/content_files.ts";
import { seedAchievements } from "./db/achievements_store.ts";
import { contentHash, storeContent } from "./db/content_store.ts";
import { seedQuizzes } from "./db/quizzes.ts";
import { seedPracticeContent } from "./db/practice_content_store.ts";
import { renderPendingClips, seedReferenceAudio } from "./db/speech_clips.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { languages } from "./db/schema.ts";
import { loadConfig } from "./config.ts";

export interface SeedReport {
  languages: string[];
  written: string[];
  ms: number;
}

/**
 * Seeders for content that hangs off the curriculum (achievements, translation
 * exercises, pronunciation guides ...). Each is idempotent and runs after the
 * curriculum files are stored; each returns the names of what it wrote.
 */
const EXTRA_SEEDERS: ((db: Db) => Promise<string[]>)[] = [
  seedAchievements,
  seedQuizzes,
  seedPracticeContent,
  // Clip ids only (fast); the bytes are rendered below or on first request.
  seedReferenceAudio,
];

/** Stores every content file; unchanged ones are skipped. */
export async function seedContent(db: Db): Promise<SeedReport> {
  const start = performance.now();
  const contents = await readAllContent();
  const written: string[] = [];
  for (const content of contents) {
    if (await storeContent(db, content, contentHash(content))) {
      written.push(content.language.code);
    }
  }
  for (const seeder of EXTRA_SEEDERS) written.push(...await seeder(db));
  return {
    languages: contents.map((c) => c.language.code),
    written,
    ms: Math.round(performance.now() - start),
  };
}

/** Seeds only a database that has no languages yet. */
export async function seedIfEmpty(db: Db): Promise<SeedReport | null> {
  const [{ n }] = await db.select({ n: count() }).from(languages);
  return n === 0 ? await seedContent(db) : null;
}

if (import.meta.main) {
  const config = loadConfig(Deno.env.toObject());
  const database = await openDatabase(config.DATABASE_URL, {
    authToken: config.DATABASE_AUTH_TOKEN,
  });
  await migrateDatabase(database.db);
  const report = await seedContent(database.db);
  console.log(
    `seeded ${report.languages.join(", ") || "nothing"}: ` +
      (report.written.length ? `wrote ${report.written.join(", ")}` : "nothing changed") +
      ` in ${report.ms} ms`,
  );
  // A server renders a missing clip on its first request; the seed task renders
  // them all up front (--lazy-audio leaves that to the server).
  if (!Deno.args.includes("--lazy-audio")) {
    const audio = await renderPendingClips(database.db);
    console.log(
      `reference audio: rendered ${audio.rendered} clips ` +
        `(${(audio.bytes / 1e6).toFixed(1)} MB, ${Math.round(audio.audioMs / 1000)} s of speech) ` +
        `in ${audio.ms} ms`,
    );
  }
  database.close();
}
