/** Timed challenge runs: created with their questions, answered one at a time. */
import { and, eq, max, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { challengeRuns, vocabulary } from "./schema.ts";

export async function challengeWords(db: Db, languageId: string, levels: string[]) {
  return await db.select().from(vocabulary).where(and(
    eq(vocabulary.languageId, languageId),
    eq(vocabulary.status, "published"),
    sql`${vocabulary.level} IN ${levels}`,
  ));
}

export function insertRunStatements(db: Db, run: typeof challengeRuns.$inferInsert) {
  return [db.insert(challengeRuns).values(run)];
}

/** A run and the learner's best score in its language, in one round trip. */
export async function loadRun(db: Db, id: string, userId: string) {
  const [runs, best] = await db.batch([
    db.select().from(challengeRuns).where(
      and(eq(challengeRuns.id, id), eq(challengeRuns.userId, userId)),
    ),
    db.select({ best: max(challengeRuns.correct) }).from(challengeRuns).where(and(
      eq(challengeRuns.userId, userId),
      eq(
        challengeRuns.languageId,
        sql`(SELECT ${challengeRuns.languageId} FROM ${challengeRuns} WHERE ${challengeRuns.id} = ${id})`,
      ),
    )),
  ]);
  return runs[0] ? { run: runs[0], best: Number(best[0]?.best ?? 0) } : null;
}

/**
 * Records one answer if the run is still at `version` (no double counting in a
 * race); its result is the run's new score, or no row when another answer won.
 */
export function recordAnswerStatements(
  db: Db,
  args: { id: string; version: number; questionId: string; correct: boolean },
) {
  return [
    db.update(challengeRuns).set({
      answered: sql`json_set(${challengeRuns.answered}, ${"$." + args.questionId}, json(${
        args.correct ? "true" : "false"
      }))`,
      correct: sql`${challengeRuns.correct} + ${args.correct ? 1 : 0}`,
      version: sql`${challengeRuns.version} + 1`,
    }).where(and(eq(challengeRuns.id, args.id), eq(challengeRuns.version, args.version)))
      .returning({ correct: challengeRuns.correct }),
  ];
}
