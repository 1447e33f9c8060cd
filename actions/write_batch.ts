/**
 * The one way an action writes: its statements, in named parts, as a single atomic
 * batch (one round trip; all of it or none of it), with each part's results handed
 * back under its name. Parts run in the order they are listed, so a part whose
 * statements are chained on `changes() = 1` must follow the conditional write it
 * depends on, and reads (e.g. the statistics awards are decided from) placed last
 * see everything the action wrote.
 */
import type { Db } from "../db/client.ts";
import type { Statement } from "../db/learning_records.ts";

export type BatchParts = Record<string, readonly Statement[]>;

export async function runWriteBatch<const P extends BatchParts>(
  db: Db,
  parts: P,
): Promise<{ [K in keyof P]: unknown[] }> {
  const names = Object.keys(parts) as (keyof P & string)[];
  const statements = names.flatMap((name) => parts[name]);
  if (!statements.length) throw new Error("runWriteBatch: nothing to write");
  const results = await db.batch(statements as [Statement, ...Statement[]]);
  const out = {} as { [K in keyof P]: unknown[] };
  let at = 0;
  for (const name of names) {
    out[name] = results.slice(at, at + parts[name].length);
    at += parts[name].length;
  }
  return out;
}

/** Rows a write statement changed (0 for a conditional write that did not apply). */
export function rowsChanged(result: unknown): number {
  return (result as { rowsAffected?: number } | undefined)?.rowsAffected ?? 0;
}
