import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckContext, Checker, CheckResult, CopyComparison } from './checker-types.ts';
import { ExampleList, MAX_EXAMPLES, plural } from './checker-format.ts';
import type { NodeState, TableSnapshot } from './final-state.ts';

// Convergence: after the faults healed and replication caught up, every node must hold the same
// data. Each node's tables are fingerprinted (row count + checksum) and compared with the primary
// (the reference). A difference means a replica kept writes the primary lost or never received
// what the primary has: after a failover, typically an old primary that diverged and was not
// rewound.

/** node name → table → fingerprint */
export type NodeSnapshots = Readonly<Record<string, Readonly<Record<string, TableSnapshot>>>>;

export interface Difference {
  readonly table: string;
  readonly node: string;
  readonly rows: number | null;
  readonly checksum: string | null;
  readonly referenceNode: string;
  readonly referenceRows: number | null;
  readonly referenceChecksum: string | null;
}

/** The reference: the named node when given, else one called "primary", else the first. */
function referenceOf(snapshots: NodeSnapshots, reference: string | undefined): string | undefined {
  if (reference !== undefined && reference in snapshots) return reference;
  if ('primary' in snapshots) return 'primary';
  return Object.keys(snapshots)[0];
}

export function evaluateConvergence(snapshots: NodeSnapshots, reference?: string): CheckResult {
  const nodes = Object.keys(snapshots);
  const ref = referenceOf(snapshots, reference);
  const tables = [...new Set(nodes.flatMap((node) => Object.keys(snapshots[node]!)))];
  const counts: Record<string, number> = { nodes: nodes.length, tables: tables.length, differences: 0, differingTables: 0 };
  if (ref === undefined || nodes.length < 2) {
    return {
      verdict: 'unknown',
      counts,
      examples: [],
      explanation: `Only ${plural(nodes.length, 'node')} could be read, so there is nothing to compare: convergence needs at least two copies.`,
    };
  }
  const refTables = snapshots[ref]!;
  for (const table of tables) if (refTables[table]) counts[`${table}.rows`] = refTables[table].rows;
  const differing = new Set<string>();
  const examples = new ExampleList<Difference>();
  for (const node of nodes) {
    if (node === ref) continue;
    for (const table of tables) {
      const mine = snapshots[node]![table];
      const theirs = refTables[table];
      if (mine && theirs && mine.rows === theirs.rows && mine.checksum === theirs.checksum) continue;
      counts.differences!++;
      differing.add(table);
      examples.offer({
        table,
        node,
        rows: mine?.rows ?? null,
        checksum: mine?.checksum ?? null,
        referenceNode: ref,
        referenceRows: theirs?.rows ?? null,
        referenceChecksum: theirs?.checksum ?? null,
      });
    }
  }
  counts.differingTables = differing.size;
  if (differing.size === 0) {
    return {
      verdict: 'valid',
      counts,
      examples: [],
      explanation: `All ${plural(nodes.length, 'node')} hold identical data: each of the ${plural(tables.length, 'table')} has the same row count and checksum as on ${ref}.`,
    };
  }
  const first = examples.items[0]!;
  const rowsNote =
    first.rows !== null && first.referenceRows !== null && first.rows !== first.referenceRows
      ? `${first.rows} rows against ${first.referenceRows}`
      : 'the same row count but different contents';
  return {
    verdict: 'invalid',
    counts,
    examples: examples.items,
    explanation:
      `The nodes did not converge: ${plural(differing.size, 'table')} (${[...differing].join(', ')}) ${differing.size === 1 ? 'differs' : 'differ'} from ${ref} on ` +
      `${plural(counts.differences!, 'node/table pair')}. For example ${first.table} on ${first.node} has ${rowsNote}. ` +
      'After healing and catching up, every copy should be identical; a difference means some node kept or lost writes the others did not.',
  };
}

/** Every node's final state, keyed by node name, provided by whoever owns the connections. */
export type NodeStates = () => Promise<Readonly<Record<string, NodeState>>>;

export interface ConvergenceOptions {
  /** The node the others are compared with; default "primary". */
  readonly reference?: string;
  /** Replication may still be finishing after a bounded quiesce; a difference is re-read this many times. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** Nodes known unreadable before any query (not running, refused the connection), with why. */
  readonly unreadable?: Readonly<Record<string, string>>;
}

export interface NodeReadings {
  readonly snapshots: Record<string, Record<string, TableSnapshot>>;
  /** Nodes that could not be read (down, or refusing connections), with the error. */
  readonly unreadable: Record<string, string>;
}

export async function snapshotAll(nodes: Readonly<Record<string, NodeState>>): Promise<NodeReadings> {
  const readings: NodeReadings = { snapshots: {}, unreadable: {} };
  // Nodes in parallel: each fingerprint is a full scan, and the nodes are separate servers.
  await Promise.all(
    Object.entries(nodes).map(async ([node, state]) => {
      try {
        readings.snapshots[node] = await state.snapshot();
      } catch (error) {
        readings.unreadable[node] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return readings;
}

/** A node that cannot be read cannot be called converged: without a difference, that is unknown. */
function judge(readings: NodeReadings, reference: string | undefined): CheckResult {
  const result = evaluateConvergence(readings.snapshots, reference);
  const unreadable = Object.keys(readings.unreadable);
  const read = Object.keys(readings.snapshots).length;
  const coverage = { nodesRead: read, nodes: read + unreadable.length, ...(unreadable.length > 0 ? { unreadable: unreadable.join(', ') } : {}) };
  const bound = { identical: 'row count and checksum of every table, against the reference node', ...(reference ? { reference } : {}) };
  if (unreadable.length === 0) return { ...result, bound, coverage };
  const named = unreadable.map((node) => `${node} (${readings.unreadable[node]})`).join('; ');
  if (result.verdict === 'invalid') {
    return { ...result, bound, coverage, counts: { ...result.counts, unreadableNodes: unreadable.length }, explanation: `${result.explanation} Not read: ${named}.` };
  }
  return {
    ...result,
    verdict: 'unknown',
    bound,
    coverage,
    counts: { ...result.counts, unreadableNodes: unreadable.length },
    explanation: `Unknown: ${plural(unreadable.length, 'node')} could not be read, so convergence over all nodes cannot be judged: ${named}. ${result.explanation}`,
  };
}

export function createConvergenceChecker(states: NodeStates, options: ConvergenceOptions = {}): Checker {
  const attempts = Math.max(1, options.attempts ?? 3);
  return {
    name: 'convergence',
    async check() {
      const nodes = await states();
      let result: CheckResult | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const readings = await snapshotAll(nodes);
        Object.assign(readings.unreadable, options.unreadable);
        result = judge(readings, options.reference);
        if (result.verdict !== 'invalid') return withAttempts(result, attempt);
        if (attempt < attempts) await sleep(options.retryDelayMs ?? 1000);
      }
      return withAttempts(result!, attempts);
    },
  };
}

function withAttempts(result: CheckResult, attempts: number): CheckResult {
  return { ...result, counts: { ...result.counts, attempts } };
}

/**
 * Each copy against its own source, on the source's tables only (pg-partitioned: a shard replica
 * against its shard, each shard's reference tables against the coordinator). The worst verdict
 * wins; differences and examples add up over the comparisons.
 */
export async function checkCopies(
  nodes: Readonly<Record<string, NodeState>>,
  comparisons: readonly CopyComparison[],
  attempts = 3,
  retryDelayMs = 1000,
  why: Readonly<Record<string, string>> = {},
): Promise<CheckResult> {
  let results: CheckResult[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    results = [];
    for (const { source, copies, tables } of comparisons) {
      const readings: NodeReadings = { snapshots: {}, unreadable: {} };
      await Promise.all(
        [source, ...copies].map(async (node) => {
          const state = nodes[node];
          if (!state) {
            readings.unreadable[node] = why[node] ?? 'not running';
            return;
          }
          try {
            readings.snapshots[node] = await state.snapshot(tables);
          } catch (error) {
            readings.unreadable[node] = error instanceof Error ? error.message : String(error);
          }
        }),
      );
      results.push(judge(readings, source));
    }
    if (results.every((r) => r.verdict !== 'invalid') || attempt === attempts) return withAttempts(combine(results, comparisons), attempt);
    await sleep(retryDelayMs);
  }
  return withAttempts(combine(results, comparisons), attempts);
}

function combine(results: readonly CheckResult[], comparisons: readonly CopyComparison[]): CheckResult {
  const verdict = results.some((r) => r.verdict === 'invalid') ? 'invalid' : results.some((r) => r.verdict === 'unknown') ? 'unknown' : 'valid';
  const counts: Record<string, number> = { comparisons: comparisons.length, copies: comparisons.reduce((n, c) => n + c.copies.length, 0), differences: 0, differingTables: 0 };
  for (const r of results) for (const key of ['differences', 'differingTables', 'unreadableNodes']) counts[key] = (counts[key] ?? 0) + (r.counts[key] ?? 0);
  const explanations = results.map((r, i) => `${comparisons[i]!.source} and its copies (${comparisons[i]!.copies.join(', ')}): ${r.explanation}`);
  const unreadable = [...new Set(results.flatMap((r) => String(r.coverage?.unreadable ?? '').split(', ').filter(Boolean)))];
  const coverage = { comparisons: comparisons.length, copiesRead: results.reduce((n, r) => n + Number(r.coverage?.nodesRead ?? 0), 0), ...(unreadable.length > 0 ? { unreadable: unreadable.join(', ') } : {}) };
  const bound = { identical: 'row count and checksum of each source table, every copy against its own source' };
  return { verdict, counts, examples: results.flatMap((r) => r.examples).slice(0, MAX_EXAMPLES), explanation: `Each copy is compared with its own source only. ${explanations.join(' ')}`, bound, coverage };
}

/** Reads the nodes from the context; unknown when the runner does not provide them. */
export const convergenceChecker: Checker = {
  name: 'convergence',
  async check(ctx: CheckContext) {
    const nodes = ctx.nodeStates;
    if (nodes === undefined) {
      return { verdict: 'unknown', counts: {}, examples: [], explanation: 'The runner gave no connection to each node, so the copies could not be compared.' };
    }
    if (ctx.copyComparisons) return checkCopies(nodes, ctx.copyComparisons, 3, 1000, ctx.unreadableNodes);
    const reference = ctx.primaryNode;
    // Every node of the topology that has no connection is named, never left out silently.
    const unreadable: Record<string, string> = {};
    for (const node of ctx.nodeNames ?? []) if (!(node in nodes)) unreadable[node] = ctx.unreadableNodes?.[node] ?? 'not running';
    return createConvergenceChecker(async () => nodes, { unreadable, ...(reference === undefined ? {} : { reference }) }).check(ctx);
  },
};
