import type pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';
import { queryPreparedRows, type TextRow } from './prepared-rows-query.ts';
import { statementName } from './statement-name.ts';

// How an operation's statement travels to PostgreSQL (workload.operations.<op>.protocol):
//   prepared: a named statement (extended protocol): parsed and planned once per connection,
//             then Bind + Execute with the values; pgbench -M prepared.
//   simple:   one Query message with the values written into the text as literals, parsed and
//             planned every time; pgbench's default (-M simple, what -S measures).
// A value becomes the same text node-postgres would send as a parameter (prepareValue), quoted
// as a literal: an untyped literal and an untyped parameter are resolved alike by the server.

export type StatementProtocol = 'prepared' | 'simple';

export interface Statement {
  /** Name of the prepared form (hashed when longer than PostgreSQL's 63 bytes). */
  readonly name: string;
  readonly text: string;
}

export function statement(name: string, text: string): Statement {
  return { name: statementName(name), text };
}

/** Text with $1..$n replaced by quoted literals; the statements here hold no $n in strings or comments. */
export function inlineValues(client: pg.ClientBase, text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new Error(`statement uses $${n} but only ${values.length} values were given`);
    const prepared = prepareValue(values[index]);
    if (prepared === null) return 'NULL';
    if (typeof prepared !== 'string') throw new Error(`$${n}: binary values need the prepared protocol`);
    return client.escapeLiteral(prepared);
  });
}

export function runStatement<R extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.ClientBase,
  protocol: StatementProtocol,
  { name, text }: Statement,
  values: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  if (protocol === 'simple') return client.query<R>(inlineValues(client, text, values));
  return client.query<R>({ name, text, values: values as unknown[] });
}

/** Every column as the text the server sent, as a prepared read returns it (no type parsing). */
const RAW_TEXT: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/**
 * Reads whose rows are only counted or plucked: rows as arrays of the server's text, by either
 * protocol. Prepared goes by PreparedRowsQuery (no Describe, no Result: prepared-rows-query.ts).
 */
export function runArrayStatement(client: pg.ClientBase, protocol: StatementProtocol, { name, text }: Statement, values: readonly unknown[]): Promise<TextRow[]> {
  if (protocol === 'prepared') return queryPreparedRows(client, name, text, values);
  return client
    .query<TextRow>({ text: inlineValues(client, text, values), rowMode: 'array', types: RAW_TEXT } as pg.QueryArrayConfig)
    .then((result) => result.rows as TextRow[]);
}
