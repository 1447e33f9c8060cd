/**
 * The values of a row read through db/local_client.ts, kept in a private field so
 * spread, keys and JSON see only the column names (as `@libsql/client`'s rows).
 * Its own module so db/row_mapping.ts can read the values array directly without
 * importing the native driver (remote URLs never load it).
 */
export class RowValues {
  #values: unknown[];
  constructor(values: unknown[]) {
    this.#values = values;
  }
  static of(row: RowValues): unknown[] {
    return row.#values;
  }
}

/** A row's values in column order: the array itself for a local row, a copy otherwise. */
export function rowValues(row: ArrayLike<unknown>): ArrayLike<unknown> {
  return row instanceof RowValues ? RowValues.of(row) : Array.prototype.slice.call(row);
}
