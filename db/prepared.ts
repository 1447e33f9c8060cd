/**
 * Statements built once per database handle: Drizzle turns each query into SQL
 * when it is first needed and every later request only binds values. Building the
 * SQL of a few wide selects costs more than running them on the embedded database
 * (the session join alone took 119 µs to build, see db/accounts.ts), so the hot
 * reads (review queue, practice, progress, statistics) and the statements every
 * action appends to its write batch (activity chain, statistics for awards) go
 * through here.
 *
 * Values bound to placeholders skip Drizzle's column encoders: timestamps are passed
 * as epoch milliseconds.
 */
import { fillPlaceholders, is, type Placeholder, SQL, sql } from "drizzle-orm";
import type { Client } from "@libsql/client";
import type { Db } from "./client.ts";

interface PreparedRead {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
}
interface Preparable extends PromiseLike<unknown> {
  prepare(): PreparedRead;
}
/** `db.run(sql)` has no public `prepare()`; `db.batch` itself calls `_prepare()`. */
interface RawPreparable {
  _prepare(): PreparedRead;
}

type Results<Q extends readonly Preparable[]> = { -readonly [K in keyof Q]: Awaited<Q[K]> };

/**
 * A batch of reads over named placeholders, prepared on first use per database.
 * `build` must only use `p` for request values (never a literal that varies).
 */
export function preparedReads<const N extends string, const Q extends readonly Preparable[]>(
  names: readonly N[],
  build: (db: Db, p: Record<N, Placeholder>) => Q,
) {
  const cache = new WeakMap<Db, PreparedRead[]>();
  const placeholders = Object.fromEntries(
    names.map((n) => [n, sql.placeholder(n)]),
  ) as unknown as Record<N, Placeholder>;
  return async (db: Db, values: Record<N, unknown>): Promise<Results<Q>> => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db, placeholders).map((q) => q.prepare());
      cache.set(db, prepared);
    }
    const statements = prepared.map((p) => {
      const q = p.getQuery();
      return { sql: q.sql, args: fillPlaceholders(q.params, values) as never[] };
    });
    // drizzle() keeps the (round-trip counting) client it was given here.
    const client = (db as unknown as { $client: Client }).$client;
    // One statement alone skips the batch's BEGIN and COMMIT.
    const results = statements.length === 1
      ? [await client.execute(statements[0])]
      : await client.batch(statements);
    return prepared.map((p, i) => p.mapResult(results[i], true)) as Results<Q>;
  };
}

/**
 * One statement over named placeholders, prepared on first use per database, bound
 * per call to an item for `db.batch` (which only asks an item for `_prepare()`):
 * typed as the query it was built from, so the batch's results keep their types.
 * Only for batches: the item cannot be awaited on its own.
 */
export function preparedStatement<const N extends string, Q extends Preparable | RawPreparable>(
  names: readonly N[],
  build: (db: Db, p: Record<N, Placeholder>) => Q,
) {
  const cache = new WeakMap<Db, PreparedRead>();
  const placeholders = Object.fromEntries(
    names.map((n) => [n, sql.placeholder(n)]),
  ) as unknown as Record<N, Placeholder>;
  return (db: Db, values: Record<N, unknown>): Q => {
    // An SQL expression cannot be bound to a placeholder (an XP the batch computes, see
    // db/item_credits.ts): such a call builds its statement for this request alone.
    if (Object.values(values).some((v) => is(v, SQL))) {
      return build(db, values as unknown as Record<N, Placeholder>);
    }
    let prepared = cache.get(db);
    if (!prepared) {
      const q = build(db, placeholders);
      prepared = "prepare" in q ? q.prepare() : q._prepare();
      cache.set(db, prepared);
    }
    const p = prepared;
    const query = p.getQuery();
    const bound = { sql: query.sql, params: fillPlaceholders(query.params, values) };
    return {
      _prepare: () => ({
        getQuery: () => bound,
        mapResult: (response: unknown, isFromBatch?: boolean) => p.mapResult(response, isFromBatch),
      }),
    } as unknown as Q;
  };
}
