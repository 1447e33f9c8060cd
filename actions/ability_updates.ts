/**
 * Glue between the answer endpoints and the adaptive model: given what the
 * endpoint already loaded (the learner's abilities and the items' stored
 * difficulties) and how each item was answered, compute the Elo updates with the
 * pure model and return the statements that write them, for the endpoint's own
 * write batch. No extra round trip.
 */
import {
  abilityFor,
  type AbilityRow,
  type AbilitySkill,
  abilityUpdateStatement,
  type ItemDifficultyRow,
  itemStateFor,
  itemUpdateStatement,
} from "../db/ability_records.ts";
import type { Db } from "../db/client.ts";
import type { Statement } from "../db/learning_records.ts";
import { initialDifficulty, type ItemPrior, updateAfterAnswers } from "../domain/ability_model.ts";

export interface AnsweredItem {
  itemId: string;
  itemType: "vocabulary" | "grammar_exercise" | "quiz_question";
  skill: AbilitySkill;
  prior: ItemPrior;
  /** 1 right, 0 wrong, partial credit in between. */
  score: number;
  correct: boolean;
}

/** The model's view of one answer, for responses and tests. */
export interface AbilityChange {
  skill: AbilitySkill;
  theta_before: number;
  theta_after: number;
  predicted_success: number;
}

/**
 * Statements updating abilities (one per skill answered) and item difficulties
 * (one per item), in answer order. With `afterConditionalWrite` every statement
 * is chained on the one before having changed a row.
 */
export function abilityUpdates(
  db: Db,
  args: {
    userId: string;
    languageId: string;
    abilities: readonly AbilityRow[];
    items: readonly ItemDifficultyRow[];
    answered: readonly AnsweredItem[];
    now: Date;
  },
  options: { afterConditionalWrite?: boolean } = {},
): { statements: Statement[]; changes: AbilityChange[] } {
  const statements: Statement[] = [];
  const changes: AbilityChange[] = [];
  const skills = [...new Set(args.answered.map((a) => a.skill))];
  for (const skill of skills) {
    const answered = args.answered.filter((a) => a.skill === skill);
    const start = abilityFor(args.abilities, skill);
    const states = answered.map((a) => ({
      item: itemStateFor(args.items, a.itemId, initialDifficulty(a.prior)),
      score: a.score,
    }));
    const result = updateAfterAnswers(start, states);
    statements.push(abilityUpdateStatement(db, {
      userId: args.userId,
      languageId: args.languageId,
      skill,
      start: start.theta,
      thetaDelta: result.ability.theta - start.theta,
      answers: answered.length,
      now: args.now,
    }, options));
    answered.forEach((a, i) => {
      statements.push(itemUpdateStatement(db, {
        itemId: a.itemId,
        itemType: a.itemType,
        languageId: args.languageId,
        start: states[i].item.difficulty,
        difficultyDelta: result.updates[i].difficultyDelta,
        correct: a.correct,
        now: args.now,
      }, options));
    });
    changes.push({
      skill,
      theta_before: round(start.theta),
      theta_after: round(result.ability.theta),
      predicted_success: round(result.updates[0]?.predicted ?? 0),
    });
  }
  return { statements, changes };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
