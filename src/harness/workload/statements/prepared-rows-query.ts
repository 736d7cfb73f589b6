import type pg from 'pg';
import { prepareValue } from 'pg/lib/utils.js';

// A prepared statement whose rows come back as raw text, the way pgbench -M prepared and libpq's
// PQexecPrepared run one: Parse once per connection, then Bind + Execute + Sync, and no Describe.
// node-postgres's own Query describes the portal on every execution, so the server sends a
// RowDescription each time and the client builds a Result and a parser per column for it; on the
// 2-core build machine that was 40% of the client's CPU for a one-row primary-key read
// (bench/driver-vs-pgbench.ts: node-postgres's Query against this one, same server and clients).
//
// It plugs into node-postgres as a Submittable, the extension point pg-cursor and
// pg-query-stream use: the client still owns the connection, the queue, the query timeout and
// error handling, and knows which statements this connection has parsed.

/** A row as the server sent it: one text value (or null) per column, no type conversion. */
export type TextRow = readonly (string | null)[];

/** The part of node-postgres's Connection a Submittable writes to (not in @types/pg). */
interface WireConnection {
  readonly stream: { cork(): void; uncork(): void };
  readonly parsedStatements: Record<string, string | undefined>;
  readonly submittedNamedStatements: Record<string, string | undefined>;
  parse(query: { text: string; name: string }): void;
  bind(config: { portal: string; statement: string; values: readonly unknown[]; valueMapper: typeof prepareValue }): void;
  execute(config: { portal: string }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

type Done = (error: Error | null, rows?: TextRow[]) => void;

class PreparedRowsQuery implements pg.Submittable {
  private readonly rows: TextRow[] = [];

  constructor(
    // `name` and `text` are read by the client: it records the statement as parsed on this
    // connection at ParseComplete, and forgets it after an error.
    readonly name: string,
    readonly text: string,
    private readonly values: readonly unknown[],
    /** Wrapped by the client when a query timeout is set; called once. */
    public callback: Done | undefined,
  ) {}

  submit(connection: unknown): void {
    const wire = connection as WireConnection;
    // One write for the whole exchange (as node-postgres's Query does), not a packet per message.
    wire.stream.cork();
    try {
      if (wire.parsedStatements[this.name] === undefined && wire.submittedNamedStatements[this.name] === undefined) {
        wire.parse({ text: this.text, name: this.name });
        wire.submittedNamedStatements[this.name] = this.text;
      }
      wire.bind({ portal: '', statement: this.name, values: this.values, valueMapper: prepareValue });
      wire.execute({ portal: '' });
      wire.sync();
    } finally {
      wire.stream.uncork();
    }
  }

  handleDataRow(message: { fields: TextRow }): void {
    this.rows.push(message.fields);
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(null, this.rows);
  }

  /** Not asked for (no Describe), or nothing to do for a single-statement Execute. */
  handleRowDescription(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  handleCopyInResponse(connection: unknown): void {
    (connection as WireConnection).sendCopyFail('faultline: a prepared read does not take COPY data');
  }

  private finish(error: Error | null, rows?: TextRow[]): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error, rows);
  }
}

/** Runs a prepared statement and resolves with its rows as text; rejects with the server's error. */
export function queryPreparedRows(client: pg.ClientBase, name: string, text: string, values: readonly unknown[]): Promise<TextRow[]> {
  return new Promise((resolve, reject) => {
    client.query(new PreparedRowsQuery(name, text, values, (error, rows) => (error ? reject(error) : resolve(rows!))));
  });
}
