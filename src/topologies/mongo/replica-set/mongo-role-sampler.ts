import { MongoClient } from 'mongodb';
import type { FailoverEvent, RolesEvent } from '../../../harness/history/history-types.ts';
import { directUri } from '../admin/mongo-uri.ts';
import type { MongoNode } from '../mongo-node.ts';
import { PrimaryTracker } from './primary-tracker.ts';

const SAMPLE_EVERY_MS = 100;

/**
 * Asks every data-bearing member `hello` every 100 ms over the harness's own connection (never a
 * faulted link) and keeps node roles true: MongoDB elects by itself, so this is how the harness
 * learns who is primary. A paused member keeps its last answer: it would take writes again the
 * moment it resumed.
 */
export class MongoRoleSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly clients = new Map<string, MongoClient>();
  private readonly writable = new Map<string, boolean>();
  private running: Promise<void> = Promise.resolve();
  private readonly tracker: PrimaryTracker;

  constructor(
    private readonly members: () => readonly MongoNode[],
    sink: (event: RolesEvent | FailoverEvent) => void,
    private readonly now: () => number,
  ) {
    this.tracker = new PrimaryTracker(sink);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.sample());
    }, SAMPLE_EVERY_MS);
  }

  private client(node: MongoNode): MongoClient {
    let client = this.clients.get(node.name);
    if (!client) {
      client = new MongoClient(directUri(node.adminEndpoint()), {
        serverSelectionTimeoutMS: 500,
        connectTimeoutMS: 500,
        socketTimeoutMS: 500,
        heartbeatFrequencyMS: 500,
        appName: 'faultline-roles',
      });
      this.clients.set(node.name, client);
    }
    return client;
  }

  private async isWritable(node: MongoNode): Promise<boolean> {
    try {
      const hello = await this.client(node).db('admin').command({ hello: 1 });
      return hello.isWritablePrimary === true;
    } catch {
      return false;
    }
  }

  private async sample(): Promise<void> {
    const members = this.members();
    await Promise.all(
      members.map(async (node) => {
        if (node.state === 'paused') return;
        this.writable.set(node.name, node.state === 'running' && (await this.isWritable(node)));
      }),
    );
    const writable = [...this.writable].filter(([, w]) => w).map(([name]) => name);
    this.tracker.accept(this.now(), writable);
    // Roles follow MongoDB's answer: the newest primary is "primary", every other member a replica.
    const primary = this.tracker.primary;
    if (primary === undefined) return;
    for (const node of members) node.role = node.name === primary ? 'primary' : 'replica';
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await Promise.all([...this.clients.values()].map((client) => client.close(true).catch(() => {})));
    this.clients.clear();
  }
}
