import { RunSandbox } from '../src/harness/process/run-sandbox.ts';
import { Scenario } from '../src/harness/scenario/schema.ts';
import { createTopology } from '../src/topologies/postgres/create-pg-topology.ts';
import { BENCH_MARKER, fixed, median, timed, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// The same 3-node single-leader bring-up (a primary and two async streaming replicas) on both
// providers, in the same run, by the same code: createTopology() + topology.start() until the
// primary reports both replicas streaming. Local processes start from a cached template copy;
// containers run the project's image (initdb and the image's first-boot setup in the primary,
// a pg_basebackup in each replica). The figure is the price of containers, as a ratio.

const NAME = 'container-bring-up';
const ROUNDS = 3;
/** What containers may cost: a bring-up within this many local ones (a loaded 2-core machine measured 10-20). */
const GOAL = 25;

const scenario = (kind: 'local' | 'containers') =>
  Scenario.parse({
    name: `bench-bring-up-${kind}`,
    description: `bring-up benchmark: primary and two async streaming replicas (${kind})`,
    provider: { kind },
    topology: { kind: 'pg-single-leader', replicas: 2 },
  });

async function bringUp(kind: 'local' | 'containers', label: string): Promise<number> {
  await using sandbox = await RunSandbox.create(`${BENCH_MARKER}-${kind}-${label}`);
  let provisioned: Awaited<ReturnType<typeof createTopology>> | undefined;
  try {
    const { ms } = await timed(async () => {
      provisioned = await createTopology(scenario(kind), sandbox);
      await provisioned.topology.start();
    });
    return ms;
  } finally {
    await provisioned?.topology[Symbol.asyncDispose]();
    await provisioned?.provider[Symbol.asyncDispose]();
  }
}

export async function runBench(print: Print): Promise<BenchReport> {
  print(`${NAME}: warm-up (untimed; the local template cache, the image's first use)`);
  await bringUp('local', 'warmup');
  await bringUp('containers', 'warmup');
  const local: number[] = [];
  const containers: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating who goes first spreads any drift in machine load over both sides.
    const order = round % 2 === 0 ? (['local', 'containers'] as const) : (['containers', 'local'] as const);
    for (const kind of order) (kind === 'local' ? local : containers).push(await bringUp(kind, `r${round}`));
    print(`  round ${round + 1}/${ROUNDS}: local ${fixed(local.at(-1)! / 1000, 2)} s, containers ${fixed(containers.at(-1)! / 1000, 2)} s`);
  }
  const localS = median(local) / 1000;
  const containersS = median(containers) / 1000;
  const ratio = containersS / localS;
  const met = ratio <= GOAL;
  await writeFigures(NAME, { unit: 's', rounds: ROUNDS, local: { medianS: localS, bringUpMs: local }, containers: { medianS: containersS, bringUpMs: containers }, ratio, goal: { ratioAtMost: GOAL }, met });
  const line = `${NAME}: containers ${fixed(containersS, 2)} s vs local processes ${fixed(localS, 2)} s -> ratio ${fixed(ratio, 1)} (goal <= ${GOAL}) ${verdict(met)}`;
  return { name: NAME, line, met };
}
