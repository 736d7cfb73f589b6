import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { LoadDriver } from '../src/harness/driver/load-driver.ts';
import type { LoadRunner } from '../src/harness/driver/load-runner.ts';
import { ThreadedLoadDriver } from '../src/harness/driver/threaded-load-driver.ts';
import { pgThreadWorkload } from '../src/engines/postgres/pg-thread-workload.ts';
import { RunClock } from '../src/harness/history/run-clock.ts';
import { HistoryWriter } from '../src/harness/history/history-writer.ts';
import { LatencyRecorder } from '../src/harness/metrics/latency-recorder.ts';
import { RunSandbox } from '../src/harness/process/run-sandbox.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import { Scenario } from '../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../src/harness/workload/ecommerce/ecommerce-workload.ts';
import type { Endpoint } from '../src/topologies/topology.ts';
import { createTopology } from '../src/topologies/postgres/create-pg-topology.ts';
import { LocalPgProvider } from '../src/topologies/postgres/local/local-pg-provider.ts';
import { BENCH_MARKER, fixed, median, run, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// The load driver's own overhead: faultline's closed loop running only view-product against
// pgbench running the very same statement (same server, same 8 clients). The goal's baseline is
// `pgbench -S` as pgbench runs by default: the simple query protocol, one thread (-j 1); faultline
// runs as a scenario does by default: one thread, view-product prepared. Beside it: faultline
// with two load threads against pgbench -S -j 2, pgbench -M prepared at -j 1 and -j 2, faultline
// with view-product over the simple protocol, and node-postgres's own Query alone (no harness).
//
// The machine is shared and its load drifts by several times within minutes, so every side runs
// in short slices, several rounds, and each ratio is taken within a round. The sides go in pairs
// (each faultline side beside the pgbench side it is compared with), the pairs in a rotating order
// and the two of a pair in turn first: a ratio compares slices seconds apart. The printed figure
// is the median over rounds, with the range beside it.

const NAME = 'driver-vs-pgbench';
const ROUNDS = 7;
const CLIENTS = 8;
const DURATION_MS = 4_000;
const WARMUP_MS = 500;
const GOAL = 0.75;

// Uniform keys (view-product defaults to zipfian) so that both sides draw ids the same way as
// pgbench's random(); every product is cached either way, the choice only removes a doubt.
const scenarioFor = (protocol: 'prepared' | 'simple', threads = 1) =>
  Scenario.parse({
    name: 'bench-driver',
    description: 'driver overhead benchmark: view-product only, one node',
    topology: { kind: 'pg-single-leader', replicas: 0 },
    workload: {
      duration: DURATION_MS,
      warmup: WARMUP_MS,
      loop: { kind: 'closed', concurrency: CLIENTS },
      threads,
      operations: { 'view-product': { weight: 1, keys: 'uniform', protocol } },
    },
  });
const scenario = scenarioFor('prepared');

// Word for word the statement operations-pg.ts runs for view-product (pgbench's variable syntax).
const VIEW_PRODUCT = 'SELECT id, name, category_id, price, description FROM products WHERE id = :id;';
const VIEW_PRODUCT_PG = VIEW_PRODUCT.replace(':id', '$1').replace(/;$/, '');

const PAIRS = [
  ['faultline', 'pgbench-S-j1'],
  ['faultline-2-threads', 'pgbench-S-j2'],
  ['faultline-simple', 'pgbench-prepared-j1'],
  ['node-postgres', 'pgbench-prepared-j2'],
] as const;
const SIDES = PAIRS.flat();
type Side = (typeof SIDES)[number];

/** Round r's order: the pairs rotated by r, and within each pair the first side swapped on odd rounds. */
function roundOrder(round: number): Side[] {
  return PAIRS.flatMap((_, k) => {
    const pair = PAIRS[(round + k) % PAIRS.length]!;
    return round % 2 === 0 ? [pair[0], pair[1]] : [pair[1], pair[0]];
  });
}

interface FaultlineFigures {
  readonly opsPerSec: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function faultlineRound(
  topology: Awaited<ReturnType<typeof createTopology>>['topology'],
  protocol: 'prepared' | 'simple',
  historyPath: string,
  threads = 1,
): Promise<FaultlineFigures> {
  const spec = scenarioFor(protocol, threads);
  const workload = createEcommerceWorkload(spec.workload, spec.seed);
  const recorder = new LatencyRecorder();
  const clock = new RunClock();
  // Recording stays on, as in a real run: that cost is part of what this benchmark measures.
  await using history = new HistoryWriter(historyPath);
  const common = { topology, spec: spec.workload, seed: spec.seed, history, recorder, clock };
  const driver: LoadRunner =
    threads > 1 ? new ThreadedLoadDriver({ ...common, threads, workload: pgThreadWorkload(spec) }) : new LoadDriver({ ...common, workload });
  // Threads start (and build their workload) before the clock of the slice starts, as in a run.
  await driver.prepare?.();
  const outcome = await driver.run(WARMUP_MS, DURATION_MS);
  const { totals } = recorder.summarize(outcome.measuredMs);
  return {
    opsPerSec: totals.ok / (outcome.measuredMs / 1000),
    ok: totals.ok,
    failed: totals.fail + totals.info,
    p50Ms: totals.latencyMs.p50,
    p99Ms: totals.latencyMs.p99,
  };
}

async function pgbenchRound(pgbench: string, scriptPath: string, endpoint: Endpoint, mode: 'simple' | 'prepared', threads: 1 | 2): Promise<number> {
  const args = ['-n', '-M', mode, '-c', String(CLIENTS), '-j', String(threads)];
  args.push('-T', String(DURATION_MS / 1000), '-f', scriptPath);
  args.push('-h', endpoint.host, '-p', String(endpoint.port), '-U', endpoint.user, endpoint.database);
  // The password goes by environment only, and never into anything printed.
  const env = { ...process.env, PGPASSWORD: endpoint.password };
  try {
    const { stdout } = await run(pgbench, args, { env, timeout: DURATION_MS + 60_000 });
    const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
    if (!tps) throw new Error(`no tps in pgbench output:\n${stdout}`);
    return Number(tps);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(`pgbench failed: ${text.split(endpoint.password).join('***')}`);
  }
}

/**
 * node-postgres's own Query alone, no harness: the same statement, prepared, on 8 connections in a
 * closed loop. Not part of the goal; it shows what the library's Query costs (it describes the
 * portal on every execution), which faultline's prepared reads avoid (prepared-rows-query.ts).
 */
async function barePgRound(endpoint: Endpoint): Promise<number> {
  const clients = Array.from({ length: CLIENTS }, () => new pg.Client({ ...endpoint, application_name: 'faultline-bench-bare' }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    const products = scenario.workload.dataset.products;
    // The driver's warmup, so both count only after their connections and statements exist.
    const measureFrom = performance.now() + WARMUP_MS;
    const end = measureFrom + DURATION_MS;
    let count = 0;
    const loop = async (client: pg.Client) => {
      for (;;) {
        const id = 1 + Math.floor(Math.random() * products);
        await client.query({ name: 'bench.view-product', text: VIEW_PRODUCT_PG, values: [id] });
        const now = performance.now();
        if (now >= end) return;
        if (now >= measureFrom) count++;
      }
    };
    await Promise.all(clients.map(loop));
    return count / (DURATION_MS / 1000);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
}

async function loadDataset(endpoint: Endpoint, workload: ReturnType<typeof createEcommerceWorkload>): Promise<void> {
  const client = new pg.Client({ ...endpoint, application_name: 'faultline-bench' });
  await client.connect();
  try {
    await workload.createSchema(client);
    await workload.loadDataset(client);
    // Fresh statistics: pgbench and faultline must both get the index scan from the start.
    await client.query('VACUUM ANALYZE products');
  } finally {
    await client.end();
  }
}

type Round = Record<Side, number>;

export async function runBench(print: Print): Promise<BenchReport> {
  const scratch = join(scratchBase(), `${BENCH_MARKER}-driver`);
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const rounds: Round[] = [];
  const faultline: FaultlineFigures[] = [];
  try {
    await using sandbox = await RunSandbox.create(`${BENCH_MARKER}-driver`);
    const provisioned = await createTopology(scenario, sandbox);
    try {
      await provisioned.topology.start();
      const endpoint = provisioned.topology.primary().endpoint();
      await loadDataset(endpoint, createEcommerceWorkload(scenario.workload, scenario.seed));
      const scriptPath = join(scratch, 'view-product.sql');
      await writeFile(scriptPath, `\\set id random(1, ${scenario.workload.dataset.products})\n${VIEW_PRODUCT}\n`);
      if (!(provisioned.provider instanceof LocalPgProvider)) throw new Error('the benchmark runs pgbench from the local provider');
      const pgbench = provisioned.provider.bin.path('pgbench');
      const history = (side: string, round: number) => join(scratch, `history-${side}-${round}.jsonl`);
      const measure: Record<Side, (round: number) => Promise<number>> = {
        'faultline-2-threads': async (round) => (await faultlineRound(provisioned.topology, 'prepared', history('threads', round), 2)).opsPerSec,
        faultline: async (round) => {
          const f = await faultlineRound(provisioned.topology, 'prepared', history('prepared', round));
          faultline.push(f);
          return f.opsPerSec;
        },
        'faultline-simple': async (round) => (await faultlineRound(provisioned.topology, 'simple', history('simple', round))).opsPerSec,
        'pgbench-S-j1': () => pgbenchRound(pgbench, scriptPath, endpoint, 'simple', 1),
        'pgbench-S-j2': () => pgbenchRound(pgbench, scriptPath, endpoint, 'simple', 2),
        'pgbench-prepared-j1': () => pgbenchRound(pgbench, scriptPath, endpoint, 'prepared', 1),
        'pgbench-prepared-j2': () => pgbenchRound(pgbench, scriptPath, endpoint, 'prepared', 2),
        'node-postgres': () => barePgRound(endpoint),
      };
      for (let round = 0; round < ROUNDS; round++) {
        const r = {} as Round;
        // Pairs side by side, rotating who goes first (cache, load drift); each history is removed once measured.
        for (const side of roundOrder(round)) {
          r[side] = await measure[side](round);
          await rm(history(side === 'faultline' ? 'prepared' : side === 'faultline-2-threads' ? 'threads' : 'simple', round), { force: true });
        }
        rounds.push(r);
        print(
          `  round ${round + 1}/${ROUNDS}: faultline ${fixed(r.faultline, 0)} ops/s, 2 threads ${fixed(r['faultline-2-threads'], 0)} (simple protocol ${fixed(r['faultline-simple'], 0)}), ` +
            `pgbench -S ${fixed(r['pgbench-S-j1'], 0)} tps -j 1 / ${fixed(r['pgbench-S-j2'], 0)} -j 2, -M prepared ${fixed(r['pgbench-prepared-j1'], 0)} -j 1 / ${fixed(r['pgbench-prepared-j2'], 0)} -j 2, ` +
            `node-postgres's Query alone ${fixed(r['node-postgres'], 0)} -> ratio ${fixed(r.faultline / r['pgbench-S-j1'], 2)} (faultline / -S -j 1), ${fixed(r['faultline-2-threads'] / r['pgbench-S-j2'], 2)} (2 threads / -S -j 2)`,
        );
      }
    } finally {
      await provisioned.topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  /** Median over rounds of a ratio taken within each round, and its range. */
  const ratio = (a: Side, b: Side) => {
    const values = rounds.map((r) => r[a] / r[b]);
    return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  };
  const show = (r: { median: number; min: number; max: number }) => `${fixed(r.median, 2)} (${fixed(r.min, 2)}-${fixed(r.max, 2)})`;
  const main = ratio('faultline', 'pgbench-S-j1');
  const ratios = {
    faultlineToPgbenchSimpleJ1: main,
    twoThreadsToPgbenchSimpleJ2: ratio('faultline-2-threads', 'pgbench-S-j2'),
    twoThreadsToPgbenchPreparedJ2: ratio('faultline-2-threads', 'pgbench-prepared-j2'),
    twoThreadsToOneThread: ratio('faultline-2-threads', 'faultline'),
    faultlineToPgbenchSimpleJ2: ratio('faultline', 'pgbench-S-j2'),
    faultlineToPgbenchPreparedJ2: ratio('faultline', 'pgbench-prepared-j2'),
    faultlineToPgbenchPreparedJ1: ratio('faultline', 'pgbench-prepared-j1'),
    faultlineSimpleToPgbenchSimpleJ2: ratio('faultline-simple', 'pgbench-S-j2'),
    faultlinePreparedToSimple: ratio('faultline', 'faultline-simple'),
    nodePostgresToPgbenchSimpleJ2: ratio('node-postgres', 'pgbench-S-j2'),
    faultlineToNodePostgres: ratio('faultline', 'node-postgres'),
  };
  const met = main.median >= GOAL;
  await writeFigures(NAME, {
    unit: 'operations per second; ratios: median over rounds of the ratio within each round (min-max)',
    rounds: ROUNDS,
    setup: { clients: CLIENTS, sliceMs: DURATION_MS, faultlineWarmupMs: WARMUP_MS, products: scenario.workload.dataset.products, statement: VIEW_PRODUCT },
    perRound: rounds,
    faultlineRounds: faultline,
    medians: Object.fromEntries(SIDES.map((side) => [side, median(rounds.map((r) => r[side]))])),
    ratios,
    goal: { ratioAtLeast: GOAL, of: 'faultline as a scenario runs by default (one thread, view-product prepared)', against: 'pgbench -S as it runs by default (simple protocol, -j 1), 8 clients' },
    met,
  });
  const line = `${NAME}: faultline / pgbench -S (both by default: one thread), 8 clients = ${show(main)} (goal >= ${GOAL}, stretch 0.9) ${verdict(met)}`;
  const detail =
    `  faultline / pgbench -S -j 2 = ${show(ratios.faultlineToPgbenchSimpleJ2)}; / pgbench -M prepared -j 1 = ${show(ratios.faultlineToPgbenchPreparedJ1)}, -j 2 = ${show(ratios.faultlineToPgbenchPreparedJ2)}\n` +
    `  2 threads: / pgbench -S -j 2 = ${show(ratios.twoThreadsToPgbenchSimpleJ2)}, / pgbench -M prepared -j 2 = ${show(ratios.twoThreadsToPgbenchPreparedJ2)}; 2 threads / 1 thread = ${show(ratios.twoThreadsToOneThread)}\n` +
    `  faultline prepared / simple protocol = ${show(ratios.faultlinePreparedToSimple)}; faultline simple / pgbench -S -j 2 = ${show(ratios.faultlineSimpleToPgbenchSimpleJ2)}; ` +
    `node-postgres's Query alone / pgbench -S -j 2 = ${show(ratios.nodePostgresToPgbenchSimpleJ2)}; faultline / node-postgres's Query alone = ${show(ratios.faultlineToNodePostgres)}`;
  return { name: NAME, line, met, detail };
}
