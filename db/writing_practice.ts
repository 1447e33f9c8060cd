/**
 * What checking a learner's text needs, read in one batch: the language, its
 * published words (for agreement and expected-word checks) and the learner's
 * writing credits of the day (for the daily XP cap).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { creditsQuery } from "./item_credits.ts";
import { languages, vocabulary } from "./schema.ts";

/** The prefix of writing credits' item keys. */
export const WRITING_CREDIT = "writing:";

export async function loadWritingCheck(
  db: Db,
  args: { language: string; userId: string; localDate: string },
) {
  const key = args.language.toLowerCase();
  const named = sql`${languages.id} = ${key} OR ${languages.code} = ${key}`;
  const [language, known, credits] = await db.batch([
    db.select().from(languages).where(named).limit(1),
    db.select({
      word: vocabulary.word,
      gender: vocabulary.gender,
      partOfSpeech: vocabulary.partOfSpeech,
    }).from(vocabulary).where(and(
      inArray(
        vocabulary.languageId,
        db.select({ id: languages.id }).from(languages).where(named).limit(1),
      ),
      eq(vocabulary.status, "published"),
    )),
    creditsQuery(db, args.userId, { prefix: WRITING_CREDIT, localDate: args.localDate }),
  ]);
  return { language: language[0] ?? null, known, credits };
}
