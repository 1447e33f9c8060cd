/**
 * Wrong answers, recorded for error-pattern analysis (domain/error_patterns.ts).
 * An action records any number of them with one prepared statement: the events go
 * in as one JSON array bound to one parameter and are expanded by `json_each`, so
 * the SQL is the same whatever the count and is built once per database.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { Statement } from "./learning_records.ts";
import { preparedStatement } from "./prepared.ts";
import { errorEvents } from "./schema.ts";

export interface ErrorEvent {
  source: string;
  questionType: string;
  errorKind: string;
  vocabularyId?: string | null;
  grammarTopic?: string | null;
  languageId?: string | null;
  given?: string | null;
  expected?: string | null;
}

function errorInsert(condition: "1" | "changes() = 1") {
  return preparedStatement(
    ["userId", "at", "events"],
    (db, p) =>
      db.run(sql`INSERT INTO ${errorEvents} (user_id, source, question_type, error_kind,
      vocabulary_id, grammar_topic, language_id, given, expected, occurred_at)
      SELECT ${p.userId}, value ->> '$.source', value ->> '$.questionType',
        value ->> '$.errorKind', value ->> '$.vocabularyId', value ->> '$.grammarTopic',
        value ->> '$.languageId', value ->> '$.given', value ->> '$.expected', ${p.at}
      FROM json_each(${p.events}) WHERE ${sql.raw(condition)}`),
  );
}
const always = errorInsert("1");
const chained = errorInsert("changes() = 1");

/**
 * The statement recording `events` (none when there are none). With
 * `afterConditionalWrite` it applies only if the statement before it changed one
 * row; it then changes one row per event, so it must end a `changes() = 1` chain.
 */
export function errorStatements(
  db: Db,
  userId: string,
  events: readonly ErrorEvent[],
  at: Date,
  options: { afterConditionalWrite?: boolean } = {},
): Statement[] {
  if (!events.length) return [];
  const insert = options.afterConditionalWrite ? chained : always;
  return [insert(db, { userId, at: at.getTime(), events: JSON.stringify(events) })];
}
