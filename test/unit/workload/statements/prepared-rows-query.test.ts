import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { queryPreparedRows } from '../../../../src/harness/workload/statements/prepared-rows-query.ts';

// What a prepared read sends, seen through a stand-in for node-postgres's client and connection
// (the real server's side is in test/integration/workload/prepared-rows-query.test.ts).

type Sent = [string, unknown?];

function fakeClient() {
  const sent: Sent[] = [];
  const connection = {
    stream: { cork: () => sent.push(['cork']), uncork: () => sent.push(['uncork']) },
    parsedStatements: {} as Record<string, string>,
    submittedNamedStatements: {} as Record<string, string>,
    parse: (q: { name: string }) => sent.push(['parse', q.name]),
    bind: (c: { statement: string; values: readonly unknown[] }) => sent.push(['bind', [c.statement, c.values]]),
    execute: () => sent.push(['execute']),
    describe: () => sent.push(['describe']),
    sync: () => sent.push(['sync']),
    sendCopyFail: () => sent.push(['copyFail']),
  };
  let active: (pg.Submittable & Record<string, (...args: unknown[]) => void>) | undefined;
  const client = {
    query(submittable: typeof active) {
      active = submittable;
      submittable!.submit(connection as never);
    },
  } as unknown as pg.ClientBase;
  return { sent, connection, client, active: () => active! };
}

describe('prepared reads without Describe', () => {
  it('sends Parse once per connection, then only Bind + Execute + Sync, in one corked write', async () => {
    const { sent, connection, client, active } = fakeClient();
    const first = queryPreparedRows(client, 's', 'SELECT $1', [7]);
    active().handleDataRow!({ fields: ['7'] });
    active().handleReadyForQuery!();
    expect(await first).toEqual([['7']]);
    // The client records the statement as parsed at ParseComplete.
    connection.parsedStatements.s = 'SELECT $1';
    const second = queryPreparedRows(client, 's', 'SELECT $1', [8]);
    active().handleReadyForQuery!();
    expect(await second).toEqual([]);
    expect(sent).toEqual([
      ['cork'], ['parse', 's'], ['bind', ['s', [7]]], ['execute'], ['sync'], ['uncork'],
      ['cork'], ['bind', ['s', [8]]], ['execute'], ['sync'], ['uncork'],
    ]);
    expect(sent.some(([m]) => m === 'describe')).toBe(false);
  });

  it('rejects with the error it is handed, once, whatever follows', async () => {
    const { client, active } = fakeClient();
    const read = queryPreparedRows(client, 's', 'SELECT 1', []);
    const error = Object.assign(new Error('division by zero'), { code: '22012' });
    active().handleError!(error);
    active().handleReadyForQuery!();
    await expect(read).rejects.toBe(error);
  });

  it('refuses COPY data rather than waiting for it', () => {
    const { sent, connection, client, active } = fakeClient();
    void queryPreparedRows(client, 's', 'COPY t FROM STDIN', []);
    active().handleCopyInResponse!(connection);
    expect(sent.at(-1)).toEqual(['copyFail']);
  });
});
