/**
 * Learners' fitted FSRS-6 weights (`fsrs_models`) and the review history they
 * are fitted on. Reads are statements to put in a route's existing batch, so the
 * learner's weights cost no extra round trip.
 */
import { and, asc, eq, isNull, type Placeholder, sql } from "drizzle-orm";
import { parametersValid, type ReviewEvent } from "../domain/fsrs_fitting.ts";
import type { Db } from "./client.ts";
import { fsrsModels, reviewLogs, vocabulary } from "./schema.ts";

export type ModelRow = typeof fsrsModels.$inferSelect;

/** The learner's model row (zero or one). */
export function modelQuery(db: Db, userId: string | Placeholder) {
  return db.select().from(fsrsModels).where(eq(fsrsModels.userId, userId));
}

/** The weights the scheduler should use: the fit when it beat the defaults, else null. */
export function activeParameters(rows: readonly ModelRow[]): number[] | null {
  const row = rows[0];
  return row?.active && row.parameters && parametersValid(row.parameters) ? row.parameters : null;
}

/** Reviews (not undone) and distinct words in the learner's history. */
export function evidenceQuery(db: Db, userId: string) {
  return db.select({
    reviews: sql<number>`count(*)`,
    words: sql<number>`count(DISTINCT ${reviewLogs.vocabularyId})`,
  }).from(reviewLogs).where(and(eq(reviewLogs.userId, userId), isNull(reviewLogs.undoneAt)));
}

/** The learner's evidence and model in one round trip. */
export async function loadEvidence(db: Db, userId: string) {
  const [evidence, model] = await db.batch([evidenceQuery(db, userId), modelQuery(db, userId)]);
  return {
    reviews: Number(evidence[0]?.reviews ?? 0),
    words: Number(evidence[0]?.words ?? 0),
    model: model[0] ?? null,
  };
}

/** The learner's reviews (not undone), oldest first, in the fitting's shape. */
export async function loadHistory(db: Db, userId: string): Promise<ReviewEvent[]> {
  const rows = await db.select({
    cardId: reviewLogs.vocabularyId,
    rating: reviewLogs.rating,
    reviewedAt: reviewLogs.reviewedAt,
  }).from(reviewLogs).where(and(eq(reviewLogs.userId, userId), isNull(reviewLogs.undoneAt)))
    .orderBy(asc(reviewLogs.reviewedAt), asc(reviewLogs.id));
  return rows.filter((r) => r.rating >= 1 && r.rating <= 4) as ReviewEvent[];
}

/** One card's reviews (not undone), oldest first. */
export function cardHistoryQuery(db: Db, userId: string, vocabularyId: string) {
  return db.select({ rating: reviewLogs.rating, reviewedAt: reviewLogs.reviewedAt })
    .from(reviewLogs).where(and(
      eq(reviewLogs.userId, userId),
      eq(reviewLogs.vocabularyId, vocabularyId),
      isNull(reviewLogs.undoneAt),
    )).orderBy(asc(reviewLogs.reviewedAt), asc(reviewLogs.id));
}

/** Records the outcome of a fit attempt (replacing the previous one). */
export async function saveModel(db: Db, row: ModelRow) {
  const { userId: _, ...rest } = row;
  await db.insert(fsrsModels).values(row).onConflictDoUpdate({
    target: fsrsModels.userId,
    set: rest,
  });
}

/** A word, the learner's reviews of it and the learner's model, in one round trip. */
export async function loadWordMemory(db: Db, userId: string, vocabularyId: string) {
  const [word, reviews, model] = await db.batch([
    db.select({ id: vocabulary.id, word: vocabulary.word, status: vocabulary.status })
      .from(vocabulary).where(eq(vocabulary.id, vocabularyId)),
    cardHistoryQuery(db, userId, vocabularyId),
    modelQuery(db, userId),
  ]);
  return { word: word[0] ?? null, reviews, parameters: activeParameters(model) };
}
