import type { MongoClient } from 'mongodb';
import { MONGO_DATABASE } from '../mongo-node.ts';
import { ORDERS_NAMESPACE } from './sharding-plan.ts';

// Where the orders are, over the run: chunks and documents per shard, and the balancer's
// migrations, sampled through mongos about once a second. Written to shard-distribution.json.

export interface DistributionSample {
  /** Seconds since the load (warmup included) began. */
  readonly time: number;
  readonly chunks: Record<string, number>;
  readonly documents: Record<string, number>;
  /** Chunk migrations committed since the load began. */
  readonly migrations: number;
}

export interface DistributionReport {
  readonly namespace: string;
  readonly samples: readonly DistributionSample[];
  readonly final: DistributionSample | undefined;
  readonly migrations: number;
}

const SAMPLE_EVERY_MS = 1_000;
const MAX_SAMPLES = 3_600;

export async function readDistribution(client: MongoClient, since: Date): Promise<Omit<DistributionSample, 'time'>> {
  const config = client.db('config');
  const collection = await config.collection('collections').findOne({ _id: ORDERS_NAMESPACE as never });
  const chunks: Record<string, number> = {};
  if (collection?.uuid) {
    for await (const row of config.collection('chunks').aggregate<{ _id: string; n: number }>([
      { $match: { uuid: collection.uuid } },
      { $group: { _id: '$shard', n: { $sum: 1 } } },
    ])) {
      chunks[row._id] = row.n;
    }
  }
  const documents: Record<string, number> = {};
  for await (const row of client.db(MONGO_DATABASE).collection('orders').aggregate<{ shard: string; count: number }>([{ $collStats: { count: {} } }])) {
    documents[row.shard] = (documents[row.shard] ?? 0) + row.count;
  }
  const migrations = await config.collection('changelog').countDocuments({ what: 'moveChunk.commit', ns: ORDERS_NAMESPACE, time: { $gt: since } });
  return { chunks, documents, migrations };
}

/** Samples in the background; a slow sample is skipped, never queued. */
export class ShardDistribution {
  private readonly samples: DistributionSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private since = new Date();
  private seconds: () => number = () => 0;

  constructor(private readonly client: () => Promise<MongoClient>) {}

  start(runStartMs: number, now: () => number): void {
    this.since = new Date();
    this.seconds = () => Math.round((now() - runStartMs) / 100) / 10;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = this.sample(this.seconds())
        .catch(() => {})
        .finally(() => (this.busy = undefined));
    }, SAMPLE_EVERY_MS);
  }

  private async sample(time: number): Promise<void> {
    const sample = { time, ...(await readDistribution(await this.client(), this.since)) };
    if (this.samples.length < MAX_SAMPLES) this.samples.push(sample);
  }

  async stop(): Promise<DistributionReport> {
    clearInterval(this.timer);
    await this.busy;
    await this.sample(this.seconds()).catch(() => {});
    const final = this.samples.at(-1);
    return { namespace: ORDERS_NAMESPACE, samples: this.samples, final, migrations: final?.migrations ?? 0 };
  }
}
