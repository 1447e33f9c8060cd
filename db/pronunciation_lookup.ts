/**
 * Finding a word to pronounce: by its normalised spelling (`search_key`), its
 * reading or its romanization, in one language or all of them, together with
 * the language's pronunciation guide, in one round trip.
 */
import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type ActivityEntry, activityStatements, type Statement } from "./learning_records.ts";
import { type Credit, creditsQuery, creditStatements } from "./item_credits.ts";
import { audioAssets, languages, pronunciationGuides, vocabulary } from "./schema.ts";

const languageMatches = (codeOrId: string) =>
  or(eq(languages.id, codeOrId.toLowerCase()), eq(languages.code, codeOrId.toLowerCase()));

/**
 * Published words whose spelling, reading or romanization has the key `key`
 * (see `answerKey`), easiest language first, each with `storedAudio`: its
 * `audioId` when that file is stored (a synthesised clip not rendered yet is
 * not, so a check need not try to read it); plus, when a language is named,
 * that language and its guide (so an unknown word can still be scored by the
 * language's rules). For a check, also the learner's credit for the word that
 * day and, if asked (`withClip`), the first word's stored file (`clip`), so that
 * scoring against it needs no read of its own. One batch.
 */
export async function lookupPronunciation(
  db: Db,
  key: string,
  language?: string,
  check?: { userId: string; itemKey: string; localDate: string; withClip: boolean },
) {
  const wordMatch = and(
    eq(vocabulary.status, "published"),
    or(
      eq(vocabulary.searchKey, key),
      sql`lower(${vocabulary.reading}) = ${key}`,
      sql`lower(${vocabulary.romanization}) = ${key}`,
    ),
    language ? languageMatches(language) : undefined,
  );
  const easiestFirst = [asc(languages.difficulty), asc(languages.code), asc(vocabulary.sequence)];
  const [words, named, credits, clips] = await db.batch([
    db.select({
      word: vocabulary,
      language: languages,
      guide: pronunciationGuides.guide,
      storedAudio: audioAssets.id,
    })
      .from(vocabulary)
      .innerJoin(languages, eq(languages.id, vocabulary.languageId))
      .leftJoin(pronunciationGuides, eq(pronunciationGuides.languageId, languages.id))
      .leftJoin(audioAssets, eq(audioAssets.id, vocabulary.audioId))
      .where(wordMatch)
      .orderBy(...easiestFirst)
      .limit(10),
    db.select({ language: languages, guide: pronunciationGuides.guide }).from(languages)
      .leftJoin(pronunciationGuides, eq(pronunciationGuides.languageId, languages.id))
      .where(language ? languageMatches(language) : sql`0`).limit(1),
    // Without a credit to read (a GET), a primary-key probe that finds nothing.
    creditsQuery(db, check?.userId ?? "", {
      keys: check ? [check.itemKey] : [],
      localDate: check?.localDate ?? "",
    }),
    db.select({ vocabularyId: vocabulary.id, id: audioAssets.id, data: audioAssets.data })
      .from(vocabulary)
      .innerJoin(languages, eq(languages.id, vocabulary.languageId))
      .leftJoin(audioAssets, eq(audioAssets.id, vocabulary.audioId))
      .where(check?.withClip ? wordMatch : sql`0`)
      .orderBy(...easiestFirst)
      .limit(1),
  ]);
  return {
    words,
    language: named[0] ?? null,
    paidToday: credits[0]?.xp ?? 0,
    clip: clips[0] ?? null,
  };
}

/** Every published word's key (for suggesting close words), in one language or all. */
export async function wordKeys(db: Db, languageId?: string) {
  return await db.select({
    word: vocabulary.word,
    searchKey: vocabulary.searchKey,
    romanization: vocabulary.romanization,
    languageId: vocabulary.languageId,
  }).from(vocabulary).where(and(
    eq(vocabulary.status, "published"),
    languageId ? eq(vocabulary.languageId, languageId) : undefined,
  ));
}

/**
 * A pronunciation attempt's writes: the activity row, XP and rollups, then the
 * day's credit for the word (after them: the XP expression reads it).
 */
export function pronunciationAttemptStatements(
  db: Db,
  args: { activity: ActivityEntry; credits: readonly Credit[] },
): Statement[] {
  return [
    ...activityStatements(db, args.activity),
    ...creditStatements(db, args.activity.userId, args.credits),
  ];
}
