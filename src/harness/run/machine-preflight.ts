import { readFileSync, statfsSync } from 'node:fs';
import { UsageError } from '../output/exit-codes.ts';
import { engineFor } from '../../engines/registry/engine-registry.ts';
import type { DatasetSpec, Scenario } from '../scenario/schema.ts';
import { runtimeRoot } from '../process/runtime-root.ts';

// Sizes that pass the schema's bounds one by one can still not fit this machine together: the
// dataset times its copies against the free space where the servers keep their data, and the
// client workers against the harness's file descriptors. Checked before anything starts, so a
// run that cannot fit says so in one line instead of failing half-way with a full disk.

/**
 * Bytes one copy of the dataset takes on disk, generously: about 250 bytes a row with its indexes
 * (ecommerce rows are 60-200 bytes of heap), twice for the WAL the load writes.
 */
const BYTES_PER_ROW = 250;
const WAL_FACTOR = 2;

export function datasetRows(dataset: DatasetSpec): number {
  const orders = dataset.customers * dataset.ordersPerCustomer;
  const warehouses = dataset.regions.length;
  return (
    dataset.categories +
    dataset.products * (1 + warehouses) +
    dataset.customers * (1 + dataset.ratingsPerCustomer + 0.5) + // customers, ratings, a share of carts and their items
    orders * (1 + 3 + 1 + 1) // orders, their items (up to a few), payments, shipments
  );
}

export function datasetBytes(dataset: DatasetSpec): number {
  return datasetRows(dataset) * BYTES_PER_ROW * WAL_FACTOR;
}

/** How many servers hold a whole copy of the dataset (replicas copy it; shards split it): the engine's count. */
export function datasetCopies(topology: Scenario['topology']): number {
  return engineFor(topology.kind).datasetCopies(topology);
}

/** Sockets the harness holds per client worker: a write and a read connection, each through a proxy link (two more). */
const FDS_PER_WORKER = 6;
const FDS_RESERVED = 256;

export interface MachineFacts {
  /** Free bytes where the servers' data directories go. */
  readonly freeBytes: number;
  /** The harness's soft limit on open files. */
  readonly openFiles: number;
}

export function machineFacts(): MachineFacts {
  const stats = statfsSync(runtimeRoot());
  return { freeBytes: stats.bavail * stats.bsize, openFiles: openFileLimit() };
}

function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

const gigabytes = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** Why the scenario does not fit this machine, one line each (empty when it fits). */
export function machineProblems(scenario: Scenario, facts: MachineFacts): string[] {
  const problems: string[] = [];
  const { dataset, loop } = scenario.workload;
  if (scenario.provider.kind === 'local') {
    const copies = datasetCopies(scenario.topology);
    const need = datasetBytes(dataset) * copies;
    if (need > facts.freeBytes * 0.8) {
      problems.push(
        `workload.dataset: about ${Math.round(datasetRows(dataset)).toLocaleString('en')} rows on ${copies} servers need about ${gigabytes(need)}, ` +
          `and ${runtimeRoot()} has ${gigabytes(facts.freeBytes)} free (at most 80 % is used): fewer customers or orders per customer, fewer replicas, ` +
          'or FAULTLINE_RUNTIME_DIR on a larger disk',
      );
    }
  }
  const workers = loop.kind === 'closed' ? loop.concurrency : loop.connections;
  const fds = workers * FDS_PER_WORKER + FDS_RESERVED;
  if (engineFor(scenario.topology.kind).workerSockets !== false && fds > facts.openFiles) {
    const field = loop.kind === 'closed' ? 'workload.loop.concurrency' : 'workload.loop.connections';
    problems.push(`${field}: ${workers} workers need up to ${fds} open files and this shell allows ${facts.openFiles} (ulimit -n): fewer workers, or raise ulimit -n`);
  }
  return problems;
}

/** Throws a UsageError naming every way the scenario does not fit this machine. */
export function checkMachine(scenario: Scenario, facts: MachineFacts = machineFacts()): void {
  const problems = machineProblems(scenario, facts);
  if (problems.length > 0) throw new UsageError(`${scenario.name}: ${problems.join('; ')}`);
}
