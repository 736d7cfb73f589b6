import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { allocatePort, releasePort } from '../src/harness/process/port-allocator.ts';
import { RunSandbox } from '../src/harness/process/run-sandbox.ts';
import { scratchBase } from '../src/harness/process/runtime-root.ts';
import { Scenario } from '../src/harness/scenario/schema.ts';
import { createTopology } from '../src/topologies/postgres/create-pg-topology.ts';
import {
  BENCH_DIR,
  BENCH_MARKER,
  fixed,
  leakedServers,
  median,
  run,
  timed,
  verdict,
  writeFigures,
  type BenchReport,
  type Print,
} from './bench-kit.ts';

// Time to a ready primary + 2 streaming replicas: faultline (cached template, parallel node
// preparation) against the stock-tools path in bench/naive-bring-up.sh. Both sides start from
// nothing running and stop once the primary reports both replicas streaming; teardown is untimed.

const NAME = 'bring-up';
const ROUNDS = 5;
const GOAL = 0.5;
const NAIVE_SCRIPT = join(BENCH_DIR, 'naive-bring-up.sh');

const scenario = Scenario.parse({
  name: 'bench-bring-up',
  description: 'bring-up benchmark: primary and two async streaming replicas',
  topology: { kind: 'pg-single-leader', replicas: 2 },
});

interface FaultlineRound {
  /** topology.start(): node copies, primary start, slots, replicas start, until streaming. */
  readonly startMs: number;
  /** RunSandbox.create() + createTopology() (watchdog, binaries, template); not in the ratio. */
  readonly provisionMs: number;
}

async function faultlineRound(label: string): Promise<FaultlineRound> {
  // Declared first, disposed last: the sandbox's watchdog reaps anything the topology left.
  const { ms: sandboxMs, value: sandbox } = await timed(() => RunSandbox.create(`${BENCH_MARKER}-${label}`));
  await using _sandbox = sandbox;
  const { ms: createMs, value: provisioned } = await timed(() => createTopology(scenario, sandbox));
  const provisionMs = sandboxMs + createMs;
  try {
    const { ms: startMs } = await timed(() => provisioned.topology.start());
    return { startMs, provisionMs };
  } finally {
    await provisioned.topology[Symbol.asyncDispose]();
    await provisioned.provider[Symbol.asyncDispose]();
  }
}

async function naiveRound(label: string): Promise<number> {
  const base = join(scratchBase(), `${BENCH_MARKER}-naive-${label}`);
  // faultline's allocator, so the script cannot collide with servers of concurrent test runs.
  const ports = [await allocatePort(), await allocatePort(), await allocatePort()];
  try {
    const { stdout } = await run('bash', [NAIVE_SCRIPT, base, ...ports.map(String)], { timeout: 180_000 });
    const ns = /bring-up-ns=(\d+)/.exec(stdout)?.[1];
    if (!ns) throw new Error(`naive-bring-up.sh printed no timing: ${stdout.trim()}`);
    return Number(ns) / 1e6;
  } finally {
    await Promise.all(ports.map((port) => releasePort(port)));
    // The script tears down in an EXIT trap; this covers a script that was SIGKILLed.
    for (const line of await leakedServers(base)) {
      const pid = Number(line.split(' ')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    }
    await rm(base, { recursive: true, force: true });
  }
}

export async function runBench(print: Print): Promise<BenchReport> {
  print(`${NAME}: warm-up (untimed; builds the template cache if it is cold)`);
  await faultlineRound('warmup');
  const faultline: FaultlineRound[] = [];
  const naive: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating who goes first spreads any drift in machine load over both sides.
    const order = round % 2 === 0 ? (['faultline', 'naive'] as const) : (['naive', 'faultline'] as const);
    for (const side of order) {
      if (side === 'faultline') faultline.push(await faultlineRound(`r${round}`));
      else naive.push(await naiveRound(`r${round}`));
    }
    const f = faultline.at(-1)!.startMs;
    const n = naive.at(-1)!;
    print(`  round ${round + 1}/${ROUNDS}: faultline ${fixed(f / 1000, 3)} s, shell ${fixed(n / 1000, 3)} s`);
  }
  const faultlineS = median(faultline.map((r) => r.startMs)) / 1000;
  const shellS = median(naive) / 1000;
  const ratio = faultlineS / shellS;
  const met = ratio <= GOAL;
  await writeFigures(NAME, {
    unit: 's',
    rounds: ROUNDS,
    faultline: {
      medianS: faultlineS,
      startMs: faultline.map((r) => r.startMs),
      provisionMs: faultline.map((r) => r.provisionMs),
    },
    shell: { medianS: shellS, bringUpMs: naive },
    ratio,
    goal: { ratioAtMost: GOAL },
    met,
  });
  const line = `${NAME}: faultline ${fixed(faultlineS, 2)} s vs shell ${fixed(shellS, 2)} s -> ratio ${fixed(ratio, 2)} (goal <= ${GOAL}) ${verdict(met)}`;
  const provisionMs = median(faultline.map((r) => r.provisionMs));
  const detail = `  not in the ratio: faultline's RunSandbox.create() + createTopology() before start() ${fixed(provisionMs, 0)} ms`;
  return { name: NAME, line, met, detail };
}
