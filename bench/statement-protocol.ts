import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { RunSandbox } from '../src/harness/process/run-sandbox.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import { OPERATION_NAMES, type OperationName, Scenario, Workload } from '../src/harness/scenario/schema.ts';
import { createEcommerceWorkload } from '../src/harness/workload/ecommerce/ecommerce-workload.ts';
import { DEFAULT_PROTOCOLS, executeEcommercePg } from '../src/harness/workload/ecommerce/operations-pg.ts';
import type { StatementProtocol } from '../src/harness/workload/statements/statement-protocol.ts';
import type { OpGenerator } from '../src/harness/workload/workload-types.ts';
import { createTopology } from '../src/topologies/postgres/create-pg-topology.ts';
import type { Endpoint } from '../src/topologies/topology.ts';
import { BENCH_MARKER, fixed, median, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// Prepared (named) statements against the simple protocol, each operation alone on the same
// server and clients: what DEFAULT_PROTOCOLS in operations-pg.ts is chosen from. Short slices,
// the two protocols alternating, so that load drifting on a shared machine hits both alike; the
// ratio is taken within each round (slices a second apart) and its median over rounds printed.
// The goal: the default is never slower than the other protocol by more than the noise (5%).

const NAME = 'statement-protocol';
const CLIENTS = 4;
const SLICE_MS = 1_000;
const ROUNDS = 5;
const NOISE = 0.05;

const scenario = Scenario.parse({
  name: 'bench-protocol',
  description: 'statement protocol benchmark: one node',
  topology: { kind: 'pg-single-leader', replicas: 0 },
  workload: {},
});

interface OpFigures {
  readonly prepared: number[];
  readonly simple: number[];
}

/** prepared / simple within each round (slices a second apart), its median and range. */
function pairedRatio(op: OpFigures): { median: number; min: number; max: number } {
  const values = op.prepared.map((p, i) => p / op.simple[i]!);
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

async function slice(clients: pg.Client[], generator: OpGenerator, f: OperationName, protocol: StatementProtocol): Promise<number> {
  const protocols = { ...DEFAULT_PROTOCOLS, [f]: protocol };
  const end = performance.now() + SLICE_MS;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const result = await executeEcommercePg(generator.next(), client, protocols);
        if (result.type === 'fail' && result.error === 'error') throw new Error(`${f} (${protocol}): ${JSON.stringify(result.value)}`);
        done++;
      }
    }),
  );
  return done / (SLICE_MS / 1000);
}

async function loadDataset(endpoint: Endpoint): Promise<void> {
  const client = new pg.Client({ ...endpoint, application_name: 'faultline-bench' });
  await client.connect();
  try {
    const workload = createEcommerceWorkload(scenario.workload, scenario.seed);
    await workload.createSchema(client);
    await workload.loadDataset(client);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

export async function runBench(print: Print): Promise<BenchReport> {
  const scratch = join(scratchBase(), `${BENCH_MARKER}-protocol`);
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const figures = {} as Record<OperationName, OpFigures>;
  try {
    await using sandbox = await RunSandbox.create(`${BENCH_MARKER}-protocol`);
    const provisioned = await createTopology(scenario, sandbox);
    try {
      await provisioned.topology.start();
      const endpoint = provisioned.topology.primary().endpoint();
      await loadDataset(endpoint);
      const clients = Array.from({ length: CLIENTS }, () => new pg.Client({ ...endpoint, application_name: 'faultline-bench-protocol' }));
      await Promise.all(clients.map((client) => client.connect()));
      try {
        for (const f of OPERATION_NAMES) {
          // One generator per operation for every slice: order ids and the like stay unique.
          const spec = Workload.parse({ operations: { [f]: { weight: 1 } } });
          const generator = createEcommerceWorkload(spec, scenario.seed).generator(0, 1);
          const op: OpFigures = { prepared: [], simple: [] };
          for (let round = 0; round < ROUNDS; round++) {
            for (const protocol of round % 2 === 0 ? (['prepared', 'simple'] as const) : (['simple', 'prepared'] as const)) {
              op[protocol].push(await slice(clients, generator, f, protocol));
            }
          }
          figures[f] = op;
          const r = pairedRatio(op);
          print(`  ${f}: prepared ${fixed(median(op.prepared), 0)} ops/s, simple ${fixed(median(op.simple), 0)} ops/s -> prepared/simple ${fixed(r.median, 2)} (rounds ${fixed(r.min, 2)}-${fixed(r.max, 2)})`);
        }
      } finally {
        await Promise.all(clients.map((client) => client.end().catch(() => {})));
      }
    } finally {
      await provisioned.topology[Symbol.asyncDispose]();
      await provisioned.provider[Symbol.asyncDispose]();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const perOp = OPERATION_NAMES.map((f) => {
    const prepared = median(figures[f].prepared);
    const simple = median(figures[f].simple);
    const r = pairedRatio(figures[f]);
    const chosen = DEFAULT_PROTOCOLS[f];
    const ratio = chosen === 'prepared' ? r.median : 1 / r.median;
    return { f, prepared, simple, preparedToSimple: r, faster: r.median >= 1 ? 'prepared' : 'simple', chosen, defaultToOther: ratio };
  });
  const wrong = perOp.filter((o) => o.defaultToOther < 1 - NOISE);
  const met = wrong.length === 0;
  await writeFigures(NAME, { unit: 'operations per second', clients: CLIENTS, sliceMs: SLICE_MS, rounds: ROUNDS, perOp, raw: figures, met });
  const line =
    `${NAME}: the default protocol is the faster (within ${NOISE * 100}%) for ${perOp.length - wrong.length}/${perOp.length} operations` +
    `${wrong.length > 0 ? ` (slower: ${wrong.map((o) => `${o.f} ${fixed(o.defaultToOther, 2)}x`).join(', ')})` : ''} ${met ? 'OK' : 'MISSED'}`;
  const detail = `  prepared / simple (median of rounds): ${perOp.map((o) => `${o.f} ${fixed(o.preparedToSimple.median, 2)}`).join(', ')}`;
  return { name: NAME, line, met, detail };
}
