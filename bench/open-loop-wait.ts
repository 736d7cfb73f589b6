import { setTimeout as sleep } from 'node:timers/promises';
import { PreciseWaker, waitPrecisely } from '../src/harness/driver/precise-waker.ts';
import { fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What waiting for an open loop's intended starts costs, and how close to them operations start:
// the precise waker (a futex-sleeping thread, precise-waker.ts, what the driver uses) against the
// wait it replaced (a timer to a millisecond or two before, then setImmediate until the instant),
// same process, alternating rounds. 1,000 arrivals a second over 32 connections, each operation
// a turn of the event loop, as a fast server's answer. CPU is the whole process's (both threads).

const NAME = 'open-loop-wait';
const ROUNDS = 5;
const RATE = 1_000;
const CONNECTIONS = 32;
const SLICE_MS = 3_000;
const GOAL_CPU_RATIO = 0.5;
const GOAL_LATE_P50_MS = 0.25;

type Strategy = 'waker' | 'timer-and-spin';

interface Slice {
  readonly cpuCores: number;
  readonly lateP50Ms: number;
  readonly lateP99Ms: number;
  /** Starts before their intended time (must be none). */
  readonly early: number;
  readonly starts: number;
}

async function timerAndSpin(time: number): Promise<void> {
  for (let left = time - performance.now(); left > 0; left = time - performance.now()) {
    if (left > 2) await sleep(left - 1);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function slice(strategy: Strategy): Promise<Slice> {
  const waker = strategy === 'waker' ? new PreciseWaker() : undefined;
  const start = performance.now() + 50;
  const end = start + SLICE_MS;
  let next = start;
  const late: number[] = [];
  let early = 0;
  const cpu0 = process.cpuUsage();
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (;;) {
          const intended = next;
          if (intended >= end) return;
          next += 1000 / RATE;
          await (waker ? waitPrecisely(waker, intended, () => performance.now()) : timerAndSpin(intended));
          const lateness = performance.now() - intended;
          if (lateness < 0) early++;
          late.push(lateness);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }),
    );
  } finally {
    waker?.close();
  }
  const cpu = process.cpuUsage(cpu0);
  late.sort((a, b) => a - b);
  const at = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))]!;
  return { cpuCores: (cpu.user + cpu.system) / 1000 / SLICE_MS, lateP50Ms: at(0.5), lateP99Ms: at(0.99), early, starts: late.length };
}

export async function runBench(print: Print): Promise<BenchReport> {
  const rounds: Record<Strategy, Slice>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Strategy[] = round % 2 === 0 ? ['waker', 'timer-and-spin'] : ['timer-and-spin', 'waker'];
    const r = {} as Record<Strategy, Slice>;
    for (const strategy of order) r[strategy] = await slice(strategy);
    rounds.push(r);
    const show = (s: Slice) => `${fixed(s.cpuCores, 3)} cores, late p50 ${fixed(s.lateP50Ms, 3)} / p99 ${fixed(s.lateP99Ms, 3)} ms, ${s.early} early`;
    print(`  round ${round + 1}/${ROUNDS}: waker ${show(r.waker)}; timer and spin ${show(r['timer-and-spin'])}`);
  }
  const cpuRatio = median(rounds.map((r) => r.waker.cpuCores / r['timer-and-spin'].cpuCores));
  const lateP50 = median(rounds.map((r) => r.waker.lateP50Ms));
  const lateP99 = median(rounds.map((r) => r.waker.lateP99Ms));
  const early = rounds.reduce((sum, r) => sum + r.waker.early, 0);
  const met = cpuRatio <= GOAL_CPU_RATIO && lateP50 <= GOAL_LATE_P50_MS && early === 0;
  await writeFigures(NAME, {
    unit: 'CPU in cores (process, all threads); lateness: start - intended start, ms',
    setup: { rate: RATE, connections: CONNECTIONS, sliceMs: SLICE_MS, rounds: ROUNDS },
    perRound: rounds,
    medians: {
      cpuRatio,
      wakerLateP50Ms: lateP50,
      wakerLateP99Ms: lateP99,
      spinLateP50Ms: median(rounds.map((r) => r['timer-and-spin'].lateP50Ms)),
      spinLateP99Ms: median(rounds.map((r) => r['timer-and-spin'].lateP99Ms)),
    },
    goal: { cpuRatioAtMost: GOAL_CPU_RATIO, lateP50MsAtMost: GOAL_LATE_P50_MS, early: 0 },
    met,
  });
  const line =
    `${NAME}: CPU of waiting for ${RATE} arrivals/s on ${CONNECTIONS} connections, precise waker / timer and spin = ${fixed(cpuRatio, 2)} ` +
    `(goal <= ${GOAL_CPU_RATIO}); its starts late by p50 ${fixed(lateP50, 3)} ms (goal <= ${GOAL_LATE_P50_MS}), p99 ${fixed(lateP99, 3)} ms, ${early} early ${verdict(met)}`;
  const spinP50 = median(rounds.map((r) => r['timer-and-spin'].lateP50Ms));
  const detail = `  timer and spin: starts late by p50 ${fixed(spinP50, 3)} ms; CPU in cores: waker ${fixed(median(rounds.map((r) => r.waker.cpuCores)), 3)}, timer and spin ${fixed(median(rounds.map((r) => r['timer-and-spin'].cpuCores)), 3)}`;
  return { name: NAME, line, met, detail };
}
