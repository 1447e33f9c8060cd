/** Small per-learner counts shown with the profile, in one statement. */
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { preparedReads } from "./prepared.ts";
import { userLessons, userProgress, users, userVocabulary } from "./schema.ts";

/** One statement with subqueries (each statement costs a prepare and, on Turso, a hop), built once. */
const summaryRead = preparedReads(["userId", "now"], (db, { userId, now }) =>
  [
    db.select({
      enrolled: sql<
        number
      >`(SELECT count(*) FROM ${userProgress} WHERE ${userProgress.userId} = ${userId})`,
      completed: sql<
        number
      >`(SELECT count(*) FROM ${userLessons} WHERE ${userLessons.userId} = ${userId} AND ${userLessons.completedAt} IS NOT NULL)`,
      words: sql<
        number
      >`(SELECT count(*) FROM ${userVocabulary} WHERE ${userVocabulary.userId} = ${userId})`,
      due: sql<
        number
      >`(SELECT count(*) FROM ${userVocabulary} WHERE ${userVocabulary.userId} = ${userId} AND ${userVocabulary.nextReview} <= ${now})`,
    }).from(users).where(eq(users.id, userId)),
  ] as const);

export async function loadProgressSummary(db: Db, userId: string, now: Date) {
  const [[row]] = await summaryRead(db, { userId, now: now.getTime() });
  return {
    enrolled_courses: Number(row?.enrolled ?? 0),
    lessons_completed: Number(row?.completed ?? 0),
    words_studied: Number(row?.words ?? 0),
    reviews_due: Number(row?.due ?? 0),
  };
}
