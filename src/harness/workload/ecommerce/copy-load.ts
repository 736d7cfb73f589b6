import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate } from 'node:timers/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatasetSummary } from '../workload-types.ts';
import type { Cell, TableData } from './table-rows.ts';

// Bulk load through COPY FROM STDIN in text format: one round trip per table and no per-row
// parse/plan, which is what lets the quickstart dataset load in well under a second.

/** Rows are joined into chunks of about this many characters before reaching the socket. */
const CHUNK_CHARS = 64 * 1024;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One cell in COPY text format: NULL is \N, and backslash, tab, newline and CR are escaped. */
export function encodeCell(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new Error(`cannot COPY the number ${cell}`);
    return String(cell);
  }
  if (typeof cell === 'string') return cell.replace(/[\\\n\r\t]/g, (ch) => ESCAPES[ch]!);
  // Arrays of numbers only: their literal has no characters that need escaping.
  return `{${cell.join(',')}}`;
}

export function encodeRow(cells: readonly Cell[]): string {
  return `${cells.map(encodeCell).join('\t')}\n`;
}

/** The table's COPY text, in chunks; `counter.rows` tells how many rows went out. */
export function* copyTextChunks(table: TableData, counter: { rows: number }): Generator<string> {
  let chunk = '';
  for (const row of table.rows()) {
    if (row.length !== table.columns.length) {
      throw new Error(`${table.table}: a row has ${row.length} cells for ${table.columns.length} columns`);
    }
    chunk += encodeRow(row);
    counter.rows++;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** How long the generator may hold the event loop before it lets signals and timers in. */
const YIELD_EVERY_MS = 50;

/**
 * The chunks, handing the event loop back every YIELD_EVERY_MS: while the socket takes every
 * write at once, a synchronous source never returns to the loop, and Ctrl-C went unheard for
 * minutes. An abort stops it between chunks.
 */
async function* yieldingChunks(table: TableData, counter: { rows: number }, signal: AbortSignal | undefined): AsyncGenerator<string> {
  let since = performance.now();
  for (const chunk of copyTextChunks(table, counter)) {
    signal?.throwIfAborted();
    yield chunk;
    if (performance.now() - since >= YIELD_EVERY_MS) {
      await setImmediate();
      since = performance.now();
    }
  }
}

export async function copyTable(client: pg.ClientBase, table: TableData, signal?: AbortSignal): Promise<number> {
  const counter = { rows: 0 };
  const columns = table.columns.map((c) => client.escapeIdentifier(c)).join(', ');
  const sink = client.query(copyFrom(`COPY ${client.escapeIdentifier(table.table)} (${columns}) FROM STDIN`));
  // On abort the pipeline destroys the COPY stream, which sends CopyFail: the server drops the COPY.
  await pipeline(Readable.from(yieldingChunks(table, counter, signal)), sink, ...(signal ? [{ signal }] : []));
  return counter.rows;
}

/**
 * Loads every table in one transaction, so a failed load leaves no half dataset behind, then
 * ANALYZEs so the first measured queries already have real statistics.
 */
export async function loadTables(client: pg.ClientBase, tables: readonly TableData[], signal?: AbortSignal): Promise<DatasetSummary> {
  const started = performance.now();
  const rows: Record<string, number> = {};
  await client.query('BEGIN');
  try {
    for (const table of tables) {
      signal?.throwIfAborted();
      rows[table.table] = await copyTable(client, table, signal);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query(`ANALYZE ${tables.map((t) => client.escapeIdentifier(t.table)).join(', ')}`);
  return { rows, loadMs: performance.now() - started };
}
