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
import { is, Param, Placeholder, sql } from "drizzle-orm";
import type { Client } from "@libsql/client";
import type { Db } from "./client.ts";
import { compileRowMapper } from "./row_mapping.ts";

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

/**
 * Drizzle's `fillPlaceholders`, resolved once per prepared query: which parameters
 * are placeholders (and whose value gets a column encoder) is fixed, so a request
 * only looks values up instead of testing every parameter's class each time.
 */
type Binder = (values: Record<string, unknown>) => unknown[];
function binder(params: readonly unknown[]): Binder {
  const slots = params.map((p): (values: Record<string, unknown>) => unknown => {
    const value = (name: string, values: Record<string, unknown>) => {
      if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
      return values[name];
    };
    if (is(p, Placeholder)) return (values) => value(p.name, values);
    if (is(p, Param) && is(p.value, Placeholder)) {
      const { encoder } = p;
      const name = p.value.name;
      return (values) => encoder.mapToDriverValue(value(name, values));
    }
    return () => p;
  });
  return (values) => slots.map((slot) => slot(values));
}

/** Results as `read.mapResult(result, true)` gives them, through a compiled mapper for selects. */
function rowMapper(read: PreparedRead): (response: unknown) => unknown {
  return compileRowMapper(read) ?? ((response) => read.mapResult(response, true));
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
  const cache = new WeakMap<
    Db,
    { map: (response: unknown) => unknown; sql: string; bind: Binder }[]
  >();
  const placeholders = Object.fromEntries(
    names.map((n) => [n, sql.placeholder(n)]),
  ) as unknown as Record<N, Placeholder>;
  return async (db: Db, values: Record<N, unknown>): Promise<Results<Q>> => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db, placeholders).map((q) => {
        const read = q.prepare();
        const query = read.getQuery();
        return { map: rowMapper(read), sql: query.sql, bind: binder(query.params) };
      });
      cache.set(db, prepared);
    }
    const statements = prepared.map((p) => ({ sql: p.sql, args: p.bind(values) as never[] }));
    // drizzle() keeps the (round-trip counting) client it was given here.
    const client = (db as unknown as { $client: Client }).$client;
    // One statement alone skips the batch's BEGIN and COMMIT.
    const results = statements.length === 1
      ? [await client.execute(statements[0])]
      : await client.batch(statements);
    return prepared.map((p, i) => p.map(results[i])) as Results<Q>;
  };
}

/**
 * One statement over named placeholders, prepared on first use per database, bound
 * per call to an item for `db.batch` (which only asks an item for `_prepare()`):
 * typed as the query it was built from, so the batch's results keep their types.
 * Only for batches: the item cannot be awaited on its own. Values are bound, never
 * spliced: what the batch must work out goes into the SQL as an expression over
 * placeholders (as `PaidXp` in db/item_credits.ts does).
 */
export function preparedStatement<const N extends string, Q extends Preparable | RawPreparable>(
  names: readonly N[],
  build: (db: Db, p: Record<N, Placeholder>) => Q,
) {
  const cache = new WeakMap<
    Db,
    { map: (response: unknown) => unknown; sql: string; bind: Binder }
  >();
  const placeholders = Object.fromEntries(
    names.map((n) => [n, sql.placeholder(n)]),
  ) as unknown as Record<N, Placeholder>;
  return (db: Db, values: Record<N, unknown>): Q => {
    let prepared = cache.get(db);
    if (!prepared) {
      const q = build(db, placeholders);
      const read = "prepare" in q ? q.prepare() : q._prepare();
      const query = read.getQuery();
      prepared = { map: rowMapper(read), sql: query.sql, bind: binder(query.params) };
      cache.set(db, prepared);
    }
    const { map } = prepared;
    const bound = { sql: prepared.sql, params: prepared.bind(values) };
    return {
      _prepare: () => ({
        getQuery: () => bound,
        // db.batch maps every item's result as a batch result.
        mapResult: (response: unknown) => map(response),
      }),
    } as unknown as Q;
  };
}
