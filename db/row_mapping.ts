/**
 * Drizzle's row mapping, compiled once per prepared select. Drizzle's
 * `mapResultRow` finds each field's decoder by testing its class (`is()`, a
 * prototype walk) on every row, for every column: on the review queue (20 rows of
 * about 30 columns) that was a tenth of the request's CPU. The decoders, paths and
 * left-join bookkeeping of a prepared select never change, so they are resolved
 * here once and a row is only decoded.
 *
 * Same results as Drizzle's mapping (tests/row_mapping_test.ts compares the two):
 * nested objects per path, null kept as null, blobs as Buffers, and a left-joined
 * table whose columns are all null becomes null.
 */
import { Buffer } from "node:buffer";
import { Column, getTableName, is, SQL, Subquery } from "drizzle-orm";
import { rowValues } from "./row_values.ts";

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}
interface SelectedField {
  path: string[];
  field: unknown;
}
/** What a Drizzle prepared query keeps (internal, stable across Drizzle 0.3x/0.4x). */
interface PreparedSelect {
  executeMethod?: string;
  fields?: SelectedField[];
  customResultMapper?: unknown;
  joinsNotNullableMap?: Record<string, boolean>;
}

/** `SQL.decoder` is internal to Drizzle (not on its public types). */
type Decoded = { decoder: Decoder };

function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field as unknown as Decoder;
  if (is(field, SQL)) return (field as unknown as Decoded).decoder;
  if (is(field, Subquery)) return (field as unknown as { _: { sql: Decoded } })._.sql.decoder;
  return (field as { sql: Decoded }).sql.decoder;
}

function normalized(value: unknown): unknown {
  return value instanceof ArrayBuffer ? Buffer.from(value) : value;
}

/**
 * A mapper from a batch result to what `prepared.mapResult(result, true)` returns,
 * or null when the query is not a plain select (Drizzle's own mapping then runs).
 */
export function compileRowMapper(prepared: unknown): ((response: unknown) => unknown) | null {
  const q = prepared as PreparedSelect;
  const method = q.executeMethod;
  if (!q.fields || q.customResultMapper || (method !== "all" && method !== "get")) return null;
  const joins = q.joinsNotNullableMap;
  const columns = q.fields.map(({ path, field }) => ({
    parents: path.slice(0, -1),
    key: path[path.length - 1],
    decoder: decoderOf(field),
    // Left joins: a table whose every column came back null is reported as null.
    table: joins && is(field, Column) && path.length === 2 ? getTableName(field.table) : null,
    object: path[0],
  }));
  const mapRow = (row: ArrayLike<unknown>) => {
    const values = rowValues(row);
    const result: Record<string, unknown> = {};
    let nullify: Record<string, string | false> | null = null;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      let node = result;
      for (let j = 0; j < c.parents.length; j++) {
        node = (node[c.parents[j]] ??= {}) as Record<string, unknown>;
      }
      const raw = normalized(values[i]);
      const value = node[c.key] = raw === null ? null : c.decoder.mapFromDriverValue(raw);
      if (c.table !== null) {
        nullify ??= {};
        if (!(c.object in nullify)) nullify[c.object] = value === null ? c.table : false;
        else if (typeof nullify[c.object] === "string" && nullify[c.object] !== c.table) {
          nullify[c.object] = false;
        }
      }
    }
    if (nullify && joins) {
      for (const [object, table] of Object.entries(nullify)) {
        if (typeof table === "string" && !joins[table]) result[object] = null;
      }
    }
    return result;
  };
  return (response) => {
    const rows = (response as { rows: ArrayLike<unknown>[] }).rows;
    if (method === "all") return Array.from(rows, mapRow);
    return rows[0] ? mapRow(rows[0]) : undefined;
  };
}
