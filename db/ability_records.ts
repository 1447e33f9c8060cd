/**
 * Learner abilities and item difficulties (the adaptive model's state): the
 * reads an answer endpoint adds to its load batch and the statements it adds to
 * its write batch. Updates are written as deltas (`theta = theta + Δ`), so two
 * answers landing at once both count instead of one overwriting the other.
 */
import { and, eq, inArray, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { AbilityState, ItemState } from "../domain/ability_model.ts";
import { SCALE_LIMIT } from "../domain/ability_model.ts";
import type { Db } from "./client.ts";
import type { Statement } from "./learning_records.ts";
import { preparedStatement } from "./prepared.ts";
import { itemDifficulties, learnerAbilities } from "./schema.ts";

export type AbilityRow = typeof learnerAbilities.$inferSelect;
export type ItemDifficultyRow = typeof itemDifficulties.$inferSelect;

/** Skills the model keeps an ability for. */
export type AbilitySkill = "vocabulary" | "grammar" | "reading";

/** A learner's abilities in a language (every skill), for a load batch. */
export function abilitiesQuery(db: Db, userId: string | Placeholder, languageId: string | SQL) {
  return db.select().from(learnerAbilities).where(and(
    eq(learnerAbilities.userId, userId),
    typeof languageId === "string"
      ? eq(learnerAbilities.languageId, languageId)
      : sql`${learnerAbilities.languageId} = ${languageId}`,
  ));
}

/** Stored difficulties of items, by id list or a subquery of ids, for a load batch. */
export function itemDifficultiesQuery(db: Db, itemIds: string[] | SQL) {
  return db.select().from(itemDifficulties).where(
    Array.isArray(itemIds)
      ? inArray(itemDifficulties.itemId, itemIds.length ? itemIds : [""])
      : sql`${itemDifficulties.itemId} IN ${itemIds}`,
  );
}

/** The stored ability for a skill, or the starting point (theta 0, no evidence). */
export function abilityFor(rows: readonly AbilityRow[], skill: string): AbilityState {
  const row = rows.find((r) => r.skill === skill);
  return row ? { theta: row.theta, evidence: row.evidence } : { theta: 0, evidence: 0 };
}

/** The stored difficulty of an item, or its prior from the content when never answered. */
export function itemStateFor(
  rows: readonly ItemDifficultyRow[],
  itemId: string,
  prior: number,
): ItemState {
  const row = rows.find((r) => r.itemId === itemId);
  return row
    ? { difficulty: row.difficulty, answers: row.answers }
    : { difficulty: prior, answers: 0 };
}

type Condition = "changes() = 1" | "1";

function abilityUpsert(condition: Condition) {
  return preparedStatement(
    ["userId", "languageId", "skill", "created", "thetaDelta", "answers", "at"],
    (db, p) =>
      db.run(sql`INSERT INTO ${learnerAbilities} (user_id, language_id, skill, theta, evidence,
        updated_at)
      SELECT ${p.userId}, ${p.languageId}, ${p.skill}, ${p.created}, ${p.answers}, ${p.at}
      WHERE ${sql.raw(condition)}
      ON CONFLICT (user_id, language_id, skill) DO UPDATE SET
        theta = max(${-SCALE_LIMIT}, min(${SCALE_LIMIT}, learner_abilities.theta + ${p.thetaDelta})),
        evidence = learner_abilities.evidence + excluded.evidence,
        updated_at = excluded.updated_at`),
  );
}

function itemUpsert(condition: Condition) {
  return preparedStatement(
    ["itemId", "itemType", "languageId", "created", "difficultyDelta", "right", "at"],
    (db, p) =>
      db.run(sql`INSERT INTO ${itemDifficulties} (item_id, item_type, language_id, difficulty,
        answers, correct, updated_at)
      SELECT ${p.itemId}, ${p.itemType}, ${p.languageId}, ${p.created}, 1, ${p.right}, ${p.at}
      WHERE ${sql.raw(condition)}
      ON CONFLICT (item_id) DO UPDATE SET
        difficulty = max(${-SCALE_LIMIT}, min(${SCALE_LIMIT},
          item_difficulties.difficulty + ${p.difficultyDelta})),
        answers = item_difficulties.answers + 1,
        correct = item_difficulties.correct + excluded.correct,
        updated_at = excluded.updated_at`),
  );
}

/**
 * `changes() = 1` when a statement follows a conditional write whose chain must hold
 * (the statement then also changes one row, so the chain continues), `1` otherwise.
 * Prepared once per database: every answer sends these.
 */
const abilityUpserts = { chained: abilityUpsert("changes() = 1"), always: abilityUpsert("1") };
const itemUpserts = { chained: itemUpsert("changes() = 1"), always: itemUpsert("1") };

/**
 * Adds an answer's change to a learner's ability for a skill (creating the row
 * from `start`). With `afterConditionalWrite` it only applies if the statement
 * before it in the batch changed a row.
 */
export function abilityUpdateStatement(
  db: Db,
  args: {
    userId: string;
    languageId: string;
    skill: AbilitySkill;
    start: number;
    thetaDelta: number;
    answers: number;
    now: Date;
  },
  options: { afterConditionalWrite?: boolean } = {},
): Statement {
  const upsert = options.afterConditionalWrite ? abilityUpserts.chained : abilityUpserts.always;
  return upsert(db, {
    userId: args.userId,
    languageId: args.languageId,
    skill: args.skill,
    created: clamp(args.start + args.thetaDelta),
    thetaDelta: args.thetaDelta,
    answers: args.answers,
    at: args.now.getTime(),
  });
}

/**
 * Adds an answer's change to an item's calibrated difficulty (creating the row
 * from its content prior), counting the answer.
 */
export function itemUpdateStatement(
  db: Db,
  args: {
    itemId: string;
    itemType: string;
    languageId: string;
    start: number;
    difficultyDelta: number;
    correct: boolean;
    now: Date;
  },
  options: { afterConditionalWrite?: boolean } = {},
): Statement {
  const upsert = options.afterConditionalWrite ? itemUpserts.chained : itemUpserts.always;
  return upsert(db, {
    itemId: args.itemId,
    itemType: args.itemType,
    languageId: args.languageId,
    created: clamp(args.start + args.difficultyDelta),
    difficultyDelta: args.difficultyDelta,
    right: args.correct ? 1 : 0,
    at: args.now.getTime(),
  });
}

/**
 * Sets abilities from a finished placement test: a skill with less evidence
 * than the test's answers takes the test's estimate; one the learner has
 * already practised more keeps its own. Chained on the statement before
 * (`changes() = 1`): a lost race writes nothing.
 */
export function placementAbilityStatements(
  db: Db,
  args: { userId: string; languageId: string; theta: number; answers: number; now: Date },
): Statement[] {
  return (["vocabulary", "grammar"] as const).map((skill) =>
    db.run(sql`INSERT INTO ${learnerAbilities} (user_id, language_id, skill, theta, evidence,
        updated_at)
      SELECT ${args.userId}, ${args.languageId}, ${skill}, ${clamp(args.theta)}, ${args.answers},
        ${args.now.getTime()}
      WHERE changes() = 1
      ON CONFLICT (user_id, language_id, skill) DO UPDATE SET
        theta = CASE WHEN learner_abilities.evidence < excluded.evidence THEN excluded.theta
          ELSE learner_abilities.theta END,
        evidence = max(learner_abilities.evidence, excluded.evidence),
        updated_at = excluded.updated_at`)
  );
}

function clamp(x: number): number {
  return Math.min(SCALE_LIMIT, Math.max(-SCALE_LIMIT, x));
}
