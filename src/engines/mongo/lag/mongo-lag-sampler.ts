import { MongoClient } from 'mongodb';
import { directUri } from '../../../topologies/mongo/admin/mongo-uri.ts';
import { MONGO_DATABASE } from '../../../topologies/mongo/mongo-node.ts';
import type { DbNode } from '../../../topologies/topology.ts';
import type { LagEvent } from '../../../harness/history/history-types.ts';
import { HEARTBEAT_COLLECTION } from '../workload/collections-mongo.ts';
import { StalenessTracker } from './staleness-tracker.ts';

const WRITE_EVERY_MS = 50;
const READ_EVERY_MS = 100;
const TIMEOUT_MS = 1_000;

/** Where heartbeats are written and which secondaries are read. */
export interface LagTargets {
  primary(): DbNode;
  secondaries(): readonly DbNode[];
}

/**
 * Staleness of secondary reads, as clients would see it: a heartbeat written (w:1) on the
 * primary every 50 ms and read on each secondary every 100 ms, each through the clients' path.
 * Same arithmetic and same `lag` events as for PostgreSQL, so the replication-lag check reads both.
 */
export class MongoLagSampler {
  private readonly tracker = new StalenessTracker();
  private readonly clients = new Map<string, MongoClient>();
  private readonly busy = new Set<string>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly targets: LagTargets,
    private readonly sink: (event: LagEvent) => void,
    private readonly now: () => number,
  ) {}

  private client(key: string, node: DbNode): MongoClient {
    let client = this.clients.get(key);
    if (!client) {
      client = new MongoClient(directUri(node.endpoint()), {
        appName: 'faultline-lag',
        serverSelectionTimeoutMS: TIMEOUT_MS,
        connectTimeoutMS: TIMEOUT_MS,
        socketTimeoutMS: TIMEOUT_MS,
        retryWrites: false,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private async once(key: string, work: () => Promise<void>): Promise<void> {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    try {
      await work();
    } catch {
      // A dead or partitioned node gives no sample; its client is rebuilt on the next try.
      const client = this.clients.get(key);
      this.clients.delete(key);
      void client?.close(true).catch(() => {});
    } finally {
      this.busy.delete(key);
    }
  }

  private write(): Promise<void> {
    const primary = this.targets.primary();
    const key = `writer:${primary.name}`;
    return this.once(key, async () => {
      const seq = this.tracker.next();
      await this.client(key, primary)
        .db(MONGO_DATABASE)
        .collection(HEARTBEAT_COLLECTION)
        .updateOne({ _id: 1 as never }, { $set: { seq, at: new Date() } }, { upsert: true, writeConcern: { w: 1 } });
      this.tracker.acknowledged(seq, this.now());
    });
  }

  private read(node: DbNode): Promise<void> {
    const key = `reader:${node.name}`;
    return this.once(key, async () => {
      const start = this.now();
      const doc = await this.client(key, node)
        .db(MONGO_DATABASE)
        .collection(HEARTBEAT_COLLECTION)
        .findOne({ _id: 1 as never }, { readPreference: 'secondaryPreferred', readConcern: { level: 'local' } });
      const seen = Number(doc?.seq ?? 0);
      this.sink({ type: 'lag', node: node.name, time: start, stalenessMs: this.tracker.staleness(seen, start) });
    });
  }

  start(): void {
    this.timers.push(setInterval(() => void this.write(), WRITE_EVERY_MS));
    this.timers.push(
      setInterval(() => {
        for (const node of this.targets.secondaries()) if (node.state === 'running') void this.read(node);
      }, READ_EVERY_MS),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([...this.clients.values()].map((client) => client.close(true).catch(() => {})));
    this.clients.clear();
  }
}
