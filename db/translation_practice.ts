/**
 * Translation practice: listing exercises with a learner's progress, loading
 * one to check, and the statements that record an attempt with its activity row.
 */
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type ActivityEntry, activityStatements, type Statement } from "./learning_records.ts";
import { itemCredits, languages, translationExercises, userTranslations } from "./schema.ts";

const languageMatches = (codeOrId: string) =>
  or(eq(languages.id, codeOrId.toLowerCase()), eq(languages.code, codeOrId.toLowerCase()));

/**
 * Published exercises by language, difficulty and direction, without the ones
 * the learner has mastered, with their progress; and the named language (so an
 * unknown one is a 404 rather than an empty list). One batch.
 */
export async function listTranslationExercises(
  db: Db,
  filter: { language?: string; difficulty?: number; direction?: string; userId?: string },
) {
  const [rows, named] = await db.batch([
    db.select({ exercise: translationExercises, language: languages, progress: userTranslations })
      .from(translationExercises)
      .innerJoin(languages, eq(languages.id, translationExercises.languageId))
      .leftJoin(
        userTranslations,
        and(
          eq(userTranslations.exerciseId, translationExercises.id),
          eq(userTranslations.userId, filter.userId ?? ""),
        ),
      )
      .where(and(
        eq(translationExercises.status, "published"),
        filter.language ? languageMatches(filter.language) : undefined,
        filter.difficulty ? eq(translationExercises.difficulty, filter.difficulty) : undefined,
        filter.direction
          ? eq(translationExercises.direction, filter.direction as "to_target")
          : undefined,
        isNull(userTranslations.masteredAt),
      ))
      .orderBy(
        asc(languages.difficulty),
        asc(languages.code),
        asc(translationExercises.difficulty),
        asc(translationExercises.id),
      ),
    db.select({ id: languages.id }).from(languages)
      .where(filter.language ? languageMatches(filter.language) : sql`0`).limit(1),
  ]);
  return { rows, languageFound: !filter.language || named.length > 0 };
}

/**
 * One exercise by id, or by its source text (as shown to the learner, any
 * learner language; case and surrounding spaces ignored), with its language and
 * the learner's progress.
 */
export async function loadTranslationExercise(
  db: Db,
  by: { id?: string; sourceText?: string; language?: string },
  userId: string,
  /** The learner's local date: `paidToday` is the XP the exercise paid them that day. */
  today = "",
) {
  const bySource = by.sourceText
    ? sql`EXISTS (SELECT 1 FROM json_each(${translationExercises.source}) s
        WHERE lower(trim(s.value)) = lower(trim(${by.sourceText})))`
    : undefined;
  const [row] = await db.select({
    exercise: translationExercises,
    language: languages,
    progress: userTranslations,
    paidToday: sql<number>`coalesce(${itemCredits.xp}, 0)`,
  }).from(translationExercises)
    .innerJoin(languages, eq(languages.id, translationExercises.languageId))
    .leftJoin(
      userTranslations,
      and(
        eq(userTranslations.exerciseId, translationExercises.id),
        eq(userTranslations.userId, userId),
      ),
    )
    .leftJoin(
      itemCredits,
      and(
        eq(itemCredits.userId, userId),
        eq(itemCredits.itemKey, sql`'translation:' || ${translationExercises.id}`),
        eq(itemCredits.localDate, today),
      ),
    )
    .where(and(
      eq(translationExercises.status, "published"),
      by.id ? eq(translationExercises.id, by.id) : bySource,
      by.language ? languageMatches(by.language) : undefined,
    ))
    .orderBy(asc(languages.difficulty), asc(translationExercises.id))
    .limit(1);
  return row ?? null;
}

/**
 * An attempt's writes: attempts, best score and mastery in `user_translations`,
 * then the activity row with its XP and rollups. The action adds them to its
 * write batch (with the day's credit after them: the XP expression reads it).
 */
export function translationAttemptStatements(
  db: Db,
  args: {
    userId: string;
    exerciseId: string;
    score: number;
    mastered: boolean;
    now: Date;
    activity: ActivityEntry;
  },
): Statement[] {
  return [
    db.insert(userTranslations).values({
      userId: args.userId,
      exerciseId: args.exerciseId,
      attempts: 1,
      bestScore: args.score,
      lastAttemptAt: args.now,
      masteredAt: args.mastered ? args.now : null,
    }).onConflictDoUpdate({
      target: [userTranslations.userId, userTranslations.exerciseId],
      set: {
        attempts: sql`${userTranslations.attempts} + 1`,
        bestScore: sql`max(${userTranslations.bestScore}, ${args.score})`,
        lastAttemptAt: args.now,
        masteredAt: args.mastered
          ? sql`coalesce(${userTranslations.masteredAt}, ${args.now.getTime()})`
          : sql`${userTranslations.masteredAt}`,
      },
    }),
    ...activityStatements(db, args.activity),
  ];
}

/** The learner's progress on an exercise, to read at the end of the attempt's batch. */
export function translationProgressQuery(db: Db, userId: string, exerciseId: string) {
  return db.select().from(userTranslations).where(and(
    eq(userTranslations.userId, userId),
    eq(userTranslations.exerciseId, exerciseId),
  ));
}
