import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { LoadDriver } from '../src/harness/driver/load-driver.ts';
import { RunClock } from '../src/harness/driver/run-clock.ts';
import { HistoryWriter } from '../src/harness/history/history-writer.ts';
import { LatencyRecorder } from '../src/harness/metrics/latency-recorder.ts';
import { RunSandbox } from '../src/harness/process/run-sandbox.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import { Scenario } from '../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../src/harness/workload/ecommerce/ecommerce-workload.ts';
import type { Endpoint } from '../src/topologies/topology.ts';
import { createTopology } from '../src/topologies/create-topology.ts';
import { LocalPgProvider } from '../src/topologies/postgres/local/local-pg-provider.ts';
import { BENCH_MARKER, fixed, median, run, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// The load driver's own overhead: faultline's closed loop running only view-product against
// pgbench running the very same statement (same server, same 8 clients). The goal's baseline is
// what `pgbench -S` does: its default simple query protocol. pgbench -M prepared is reported
// beside it as the stricter reference. The gap is what the harness costs per operation: JS
// client, generator, history and histograms.

const NAME = 'driver-vs-pgbench';
const ROUNDS = 3;
const CLIENTS = 8;
const PGBENCH_THREADS = 2; // one per core of the 2-core VM
const DURATION_MS = 10_000;
const WARMUP_MS = 1_000;
const GOAL = 0.75;

// Uniform keys (view-product defaults to zipfian) so that both sides draw ids the same way as
// pgbench's random(); every product is cached either way, the choice only removes a doubt.
const scenario = Scenario.parse({
  name: 'bench-driver',
  description: 'driver overhead benchmark: view-product only, one node',
  topology: { kind: 'pg-single-leader', replicas: 0 },
  workload: {
    duration: DURATION_MS,
    warmup: WARMUP_MS,
    loop: { kind: 'closed', concurrency: CLIENTS },
    operations: { 'view-product': { weight: 1, keys: 'uniform' } },
  },
});

// Word for word the statement operations-pg.ts runs for view-product (pgbench's variable syntax).
const VIEW_PRODUCT = 'SELECT id, name, category_id, price, description FROM products WHERE id = :id;';
const VIEW_PRODUCT_PG = VIEW_PRODUCT.replace(':id', '$1').replace(/;$/, '');

interface FaultlineFigures {
  readonly opsPerSec: number;
  readonly ok: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function faultlineRound(
  topology: Awaited<ReturnType<typeof createTopology>>['topology'],
  workload: ReturnType<typeof createEcommerceWorkload>,
  historyPath: string,
): Promise<FaultlineFigures> {
  const recorder = new LatencyRecorder();
  const clock = new RunClock();
  // Recording stays on, as in a real run: that cost is part of what this benchmark measures.
  await using history = new HistoryWriter(historyPath);
  const driver = new LoadDriver({ workload, topology, spec: scenario.workload, seed: scenario.seed, history, recorder, clock });
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

async function pgbenchRound(pgbench: string, scriptPath: string, endpoint: Endpoint, mode: 'simple' | 'prepared'): Promise<number> {
  const args = ['-n', '-M', mode, '-c', String(CLIENTS), '-j', String(PGBENCH_THREADS)];
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
 * node-postgres alone, no harness: the same statement, prepared, on 8 connections in a closed loop.
 * Not part of the ratio; it splits the gap into the client library's share and faultline's own.
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

export async function runBench(print: Print): Promise<BenchReport> {
  const scratch = join(scratchBase(), `${BENCH_MARKER}-driver`);
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const faultline: FaultlineFigures[] = [];
  const pgbenchTps: number[] = [];
  const pgbenchPreparedTps: number[] = [];
  const bareOps: number[] = [];
  try {
    await using sandbox = await RunSandbox.create(`${BENCH_MARKER}-driver`);
    const provisioned = await createTopology(scenario, sandbox);
    try {
      await provisioned.topology.start();
      const endpoint = provisioned.topology.primary().endpoint();
      const workload = createEcommerceWorkload(scenario.workload, scenario.seed);
      await loadDataset(endpoint, workload);
      const scriptPath = join(scratch, 'view-product.sql');
      await writeFile(scriptPath, `\\set id random(1, ${scenario.workload.dataset.products})\n${VIEW_PRODUCT}\n`);
      if (!(provisioned.provider instanceof LocalPgProvider)) throw new Error('the benchmark runs pgbench from the local provider');
      const pgbench = provisioned.provider.bin.path('pgbench');
      for (let round = 0; round < ROUNDS; round++) {
        // Sequential, never at once, and rotating who goes first (cache, load drift).
        const sides = ['pgbench', 'faultline', 'bare', 'pgbench-prepared'] as const;
        for (let k = 0; k < sides.length; k++) {
          const side = sides[(round + k) % sides.length]!;
          if (side === 'pgbench') pgbenchTps.push(await pgbenchRound(pgbench, scriptPath, endpoint, 'simple'));
          else if (side === 'pgbench-prepared') pgbenchPreparedTps.push(await pgbenchRound(pgbench, scriptPath, endpoint, 'prepared'));
          else if (side === 'bare') bareOps.push(await barePgRound(endpoint));
          else faultline.push(await faultlineRound(provisioned.topology, workload, join(scratch, `history-${round}.jsonl`)));
        }
        const f = faultline.at(-1)!;
        print(
          `  round ${round + 1}/${ROUNDS}: faultline ${fixed(f.opsPerSec, 0)} ops/s (${f.failed} failed, p50 ${f.p50Ms} ms), ` +
            `pgbench -S ${fixed(pgbenchTps.at(-1)!, 0)} tps (-M prepared ${fixed(pgbenchPreparedTps.at(-1)!, 0)}), node-postgres alone ${fixed(bareOps.at(-1)!, 0)} ops/s`,
        );
      }
    } finally {
      await provisioned.topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const faultlineOps = median(faultline.map((f) => f.opsPerSec));
  const pgbenchMedian = median(pgbenchTps);
  const bareMedian = median(bareOps);
  const ratio = faultlineOps / pgbenchMedian;
  const met = ratio >= GOAL;
  await writeFigures(NAME, {
    unit: 'operations per second',
    rounds: ROUNDS,
    setup: {
      clients: CLIENTS,
      pgbenchThreads: PGBENCH_THREADS,
      durationMs: DURATION_MS,
      faultlineWarmupMs: WARMUP_MS,
      products: scenario.workload.dataset.products,
      statement: VIEW_PRODUCT,
    },
    faultline: { medianOpsPerSec: faultlineOps, rounds: faultline },
    pgbench: { mode: 'simple (the -S default)', medianTps: pgbenchMedian, tps: pgbenchTps },
    pgbenchPrepared: { medianTps: median(pgbenchPreparedTps), tps: pgbenchPreparedTps, faultlineRatioToIt: faultlineOps / median(pgbenchPreparedTps) },
    nodePostgresAlone: {
      medianOpsPerSec: bareMedian,
      opsPerSec: bareOps,
      ratioToPgbench: bareMedian / pgbenchMedian,
      faultlineRatioToIt: faultlineOps / bareMedian,
    },
    ratio,
    goal: { ratioAtLeast: GOAL },
    met,
  });
  const line = `${NAME}: faultline ${fixed(faultlineOps, 0)} ops/s vs pgbench -S ${fixed(pgbenchMedian, 0)} tps -> ratio ${fixed(ratio, 2)} (goal >= ${GOAL}) ${verdict(met)}`;
  const detail =
    `  reference: pgbench -M prepared ${fixed(median(pgbenchPreparedTps), 0)} tps (faultline = ${fixed(faultlineOps / median(pgbenchPreparedTps), 2)} of it); node-postgres alone ${fixed(bareMedian, 0)} ops/s = ${fixed(bareMedian / pgbenchMedian, 2)} of pgbench; ` +
    `faultline = ${fixed(faultlineOps / bareMedian, 2)} of node-postgres alone`;
  return { name: NAME, line, met, detail };
}
