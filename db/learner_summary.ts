/** Small per-learner counts shown with the profile, read in one round trip. */
import { and, count, eq, isNotNull, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { userLessons, userProgress, userVocabulary } from "./schema.ts";

export async function loadProgressSummary(db: Db, userId: string, now: Date) {
  const [enrolled, completed, words, due] = await db.batch([
    db.select({ n: count() }).from(userProgress).where(eq(userProgress.userId, userId)),
    db.select({ n: count() }).from(userLessons).where(
      and(eq(userLessons.userId, userId), isNotNull(userLessons.completedAt)),
    ),
    db.select({ n: count() }).from(userVocabulary).where(eq(userVocabulary.userId, userId)),
    db.select({ n: count() }).from(userVocabulary).where(
      and(eq(userVocabulary.userId, userId), lte(userVocabulary.nextReview, now)),
    ),
  ]);
  return {
    enrolled_courses: enrolled[0].n,
    lessons_completed: completed[0].n,
    words_studied: words[0].n,
    reviews_due: due[0].n,
  };
}
