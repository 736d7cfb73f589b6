import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectGate, SETUP_CONNECTS } from '../../../src/harness/driver/connect-gate.ts';
import { LoadDriver } from '../../../src/harness/driver/load-driver.ts';
import { RunClock } from '../../../src/harness/history/run-clock.ts';
import { WorkerConnection } from '../../../src/harness/driver/worker-connection.ts';
import type { HistoryEvent } from '../../../src/harness/history/history-types.ts';
import { HistoryWriter } from '../../../src/harness/history/history-writer.ts';
import { LatencyRecorder } from '../../../src/harness/metrics/latency-recorder.ts';
import { Workload as WorkloadSchema } from '../../../src/harness/scenario/schema.ts';
import type { DbNode, Topology } from '../../../src/topologies/topology.ts';
import type { OpResult, PlannedOp, Workload } from '../../../src/harness/workload/workload-types.ts';

// Ctrl-C during worker set-up: a thousand workers whose connections take long to open (a loaded
// server forks its backends one at a time). Fake clients stand in for the server; what is tested
// is the driver's bookkeeping: how many opens run at once, and that stopping ends every worker.

interface FakeServer {
  /** Connects started so far. */
  connects: number;
  /** Connects under way now, and the most there ever were. */
  open: number;
  mostOpen: number;
  ended: number;
  destroyed: number;
  /** How a connect ends: 'hang' until its socket is destroyed, or after some milliseconds. */
  connectMs: number | 'hang';
}

function fakeServer(connectMs: FakeServer['connectMs']): { server: FakeServer; newClient: () => pg.Client } {
  const server: FakeServer = { connects: 0, open: 0, mostOpen: 0, ended: 0, destroyed: 0, connectMs };
  const newClient = () => {
    let fail: ((error: Error) => void) | undefined;
    const client = {
      on: () => client,
      connect: () =>
        new Promise<void>((resolve, reject) => {
          server.connects++;
          server.open++;
          server.mostOpen = Math.max(server.mostOpen, server.open);
          const done = () => {
            server.open--;
            fail = undefined;
          };
          fail = (error) => (done(), reject(error));
          if (server.connectMs !== 'hang') setTimeout(() => (done(), resolve()), server.connectMs);
        }),
      end: async () => void server.ended++,
      connection: {
        stream: {
          destroy: () => {
            server.destroyed++;
            fail?.(new Error('Connection terminated unexpectedly'));
          },
        },
      },
    };
    return client as unknown as pg.Client;
  };
  return { server, newClient };
}

const node = { name: 'n1', role: 'primary', endpoint: () => ({}) } as unknown as DbNode;
const topology = { primary: () => node, readNodes: () => [node], nodes: [node] } as unknown as Topology;
const workload: Workload = {
  createSchema: async () => {},
  loadDataset: async () => ({ rows: {}, loadMs: 0 }),
  generator: () => ({ next: (): PlannedOp => ({ f: 'view-product', target: 'primary', args: {} }) }),
  execute: async (): Promise<OpResult> => {
    await sleep(1);
    return { type: 'ok' };
  },
};

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function driverWith(newClient: () => pg.Client, concurrency: number) {
  dir = await mkdtemp(join(tmpdir(), 'worker-setup-'));
  const history = new HistoryWriter(join(dir, 'history.jsonl'));
  const driver = new LoadDriver({
    workload,
    topology,
    spec: { ...WorkloadSchema.parse({}), loop: { kind: 'closed', concurrency } },
    seed: 1,
    history,
    recorder: new LatencyRecorder(),
    clock: new RunClock(),
    newClient,
  });
  const events = async () => {
    await history.close();
    return (await readFile(history.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as HistoryEvent);
  };
  return { driver, events };
}

describe('worker set-up', () => {
  it('opens the first connections of a thousand workers a bounded number at a time', async () => {
    const { server, newClient } = fakeServer(2);
    const { driver, events } = await driverWith(newClient, 1000);
    const running = driver.run(0, 60_000);
    // Until every worker has connected once; then the load runs as usual.
    while (server.connects < 1000) await sleep(10);
    driver.stop();
    await running;
    expect(server.mostOpen).toBeLessThanOrEqual(SETUP_CONNECTS);
    const completed = (await events()).filter((e) => e.type === 'ok');
    expect(completed.length).toBeGreaterThanOrEqual(1000);
  });

  it('a stop during set-up ends every worker: waiting opens fail, opens under way are cut, nothing is left hanging', async () => {
    const { server, newClient } = fakeServer('hang');
    const { driver, events } = await driverWith(newClient, 1000);
    const running = driver.run(0, 60_000);
    while (server.connects < SETUP_CONNECTS) await sleep(5);
    driver.stop();
    // Without the stop cutting them, these connects would never end and neither would the run.
    const outcome = await running;
    expect(outcome.workers).toBe(1000);
    expect(server.connects).toBe(SETUP_CONNECTS);
    expect(server.open).toBe(0);
    const history = await events();
    const invoked = history.filter((e) => e.type === 'invoke').length;
    const failed = history.filter((e) => e.type === 'fail' && e.error === 'connection').length;
    // Every operation invoked while waiting for its connection is completed as failed (never sent).
    expect(invoked).toBe(1000);
    expect(failed).toBe(1000);
  });
});

describe('worker connection and the set-up gate', () => {
  const timeouts = { connect: 1_000, statement: 1_000 };

  it('reconnects without waiting for the gate, so a fault is met as it would be without one', async () => {
    const { server, newClient } = fakeServer(1);
    // A gate whose one slot is held by an open that never ends.
    const gate = new ConnectGate(1);
    let release!: (error: Error) => void;
    const held = gate.pass(() => new Promise((_, reject) => (release = reject)), () => release(new Error('cut')));
    const connection = new WorkerConnection(() => [node], timeouts, 'w', newClient, false, (n) => n.endpoint(), gate);
    // Its first connection waits for the gate.
    const first = connection.get();
    await sleep(20);
    expect(server.connects).toBe(0);
    gate.close();
    await expect(first).rejects.toThrow();
    await expect(held).rejects.toThrow('cut');

    const open = new ConnectGate(1);
    const again = new WorkerConnection(() => [node], timeouts, 'w', newClient, false, (n) => n.endpoint(), open);
    await again.get();
    let unblock!: (error: Error) => void;
    const blocker = open.pass(() => new Promise((_, reject) => (unblock = reject)), () => unblock(new Error('cut')));
    again.markBroken();
    // The slot is taken, yet the reconnection goes through at once.
    await again.get();
    expect(server.connects).toBe(2);
    open.close();
    await expect(blocker).rejects.toThrow('cut');
  });

  it('once the gate closed, discarding cuts the socket instead of waiting for a goodbye', async () => {
    const { server, newClient } = fakeServer(1);
    const gate = new ConnectGate(4);
    const connection = new WorkerConnection(() => [node], timeouts, 'w', newClient, false, (n) => n.endpoint(), gate);
    await connection.get();
    gate.close();
    await connection.discard();
    expect(server.destroyed).toBe(1);
    expect(server.ended).toBe(0);
  });
});
