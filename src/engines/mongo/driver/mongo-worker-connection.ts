import { MongoClient, type ReadConcernLevel, type ReadPreferenceMode, type WriteConcern } from 'mongodb';
import { directUri } from '../../../topologies/mongo/admin/mongo-uri.ts';
import { MONGO_DATABASE } from '../../../topologies/mongo/mongo-node.ts';
import type { DbNode } from '../../../topologies/topology.ts';
import type { MongoOpContext } from '../workload/mongo-op-context.ts';
import type { ConnectionTimeouts } from '../../../harness/driver/worker-connection.ts';
import type { OpConnection } from '../../../harness/driver/op-connection.ts';
import type { CausalToken } from './causal-token.ts';

export interface MongoClientSettings {
  readonly readPreference: ReadPreferenceMode;
  readonly readConcern: ReadConcernLevel;
  readonly writeConcern: WriteConcern;
}

/** The worker's context, plus what its connection must learn from each operation. */
export interface MongoWorkerContext extends MongoOpContext {
  readonly causal: CausalToken | undefined;
  /** The node stopped being primary (or is stepping down): look for the primary again. */
  primaryLost(): void;
}

/**
 * A worker's MongoDB connection: one direct client to one node, replaced after any connection
 * failure or when the node stops being primary. For writes, candidates are tried in order and the
 * first writable primary (or router) wins, as the PostgreSQL connection does. No driver retries:
 * every operation is one attempt, so its outcome in the history is the server's answer.
 */
export class MongoWorkerConnection implements OpConnection<MongoWorkerContext> {
  private client: MongoClient | undefined;
  private context: MongoWorkerContext | undefined;
  private broken = false;
  private nodeName = '';

  constructor(
    private readonly candidates: () => readonly DbNode[],
    private readonly settings: MongoClientSettings,
    private readonly timeouts: ConnectionTimeouts,
    private readonly appName: string,
    private readonly requireWritable: boolean,
    private readonly causal: CausalToken | undefined,
  ) {}

  get node(): string {
    return this.nodeName || this.candidates()[0]?.name || '';
  }

  get ready(): MongoWorkerContext | undefined {
    return this.broken ? undefined : this.context;
  }

  async get(): Promise<MongoWorkerContext> {
    if (this.context && !this.broken) return this.context;
    await this.discard();
    let lastError: unknown = new Error('no node to connect to');
    for (const node of this.candidates()) {
      try {
        const client = await this.open(node);
        if (this.requireWritable) {
          const hello = await client.db('admin').command({ hello: 1 });
          if (hello.isWritablePrimary !== true && hello.msg !== 'isdbgrid') {
            await this.discard();
            continue;
          }
        }
        this.context = {
          db: client.db(MONGO_DATABASE),
          session: this.causal ? client.startSession({ causalConsistency: true }) : undefined,
          readPreference: this.settings.readPreference,
          readConcern: this.settings.readConcern,
          writeConcern: this.settings.writeConcern,
          causal: this.causal,
          primaryLost: () => this.markBroken(),
        };
        return this.context;
      } catch (error) {
        lastError = error;
        await this.discard();
      }
    }
    throw lastError;
  }

  private async open(node: DbNode): Promise<MongoClient> {
    this.nodeName = node.name;
    const client = new MongoClient(directUri(node.endpoint()), {
      appName: this.appName,
      connectTimeoutMS: this.timeouts.connect,
      serverSelectionTimeoutMS: this.timeouts.connect,
      // The server's own limit answers first (maxTimeMS); the socket timeout catches a server that cannot.
      socketTimeoutMS: this.timeouts.statement + 2_000,
      maxPoolSize: 2,
      retryWrites: false,
      retryReads: false,
    });
    client.on('error', () => (this.broken = true));
    this.broken = false;
    this.client = client;
    await client.connect();
    return client;
  }

  takeSyncWaitCancelled(): boolean {
    return false;
  }

  markBroken(): void {
    this.broken = true;
  }

  async discard(): Promise<void> {
    const client = this.client;
    const session = this.context?.session;
    this.client = undefined;
    this.context = undefined;
    if (!client) return;
    // close() can wait on a frozen server; a bounded wait, then the sockets are dropped with it.
    await Promise.race([
      (async () => {
        await session?.endSession().catch(() => {});
        await client.close(true).catch(() => {});
      })(),
      new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
    ]);
  }
}
