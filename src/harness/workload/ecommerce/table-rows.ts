// What the dataset hands to the loader: per table, its columns and a re-iterable stream of rows.
// Rows are produced lazily (a generator per call to rows()), so no table is ever held in memory.

/** A value for one COPY text-format cell. Money and timestamps are already exact strings. */
export type Cell = string | number | boolean | null | readonly number[];

export interface TableData {
  readonly table: string;
  readonly columns: readonly string[];
  rows(): Iterable<readonly Cell[]>;
}
