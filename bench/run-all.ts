import { BENCH_MARKER, leakedServers, postgresProcesses, type BenchReport, type Print } from './bench-kit.ts';

// `npm run bench` runs every benchmark; `node --import tsx bench/run-all.ts NAME...` runs some.
// Benchmarks report and never gate: a missed goal prints MISSED and the exit code stays 0. Only
// a benchmark that could not measure at all (or a leaked server) makes the exit code non-zero.

type BenchModule = { runBench(print: Print): Promise<BenchReport> };

// Cheapest first: the in-process figure is there even if a database benchmark breaks later.
const BENCHES: Readonly<Record<string, () => Promise<BenchModule>>> = {
  'recording-cost': () => import('./recording-cost.ts'),
  // Waiting for an open loop's intended starts: the precise waker against a timer and a spin.
  'open-loop-wait': () => import('./open-loop-wait.ts'),
  // Merging the load threads' history files into history.jsonl after a run, per thread count.
  'history-merge': () => import('./history-merge.ts'),
  'bring-up': () => import('./bring-up.ts'),
  // Containers vs local processes, same bring-up; needs an engine and the project image.
  'container-bring-up': () => import('./container-bring-up.ts'),
  'driver-vs-pgbench': () => import('./driver-vs-pgbench.ts'),
  // Prepared statements vs the simple protocol, per operation (the defaults in operations-pg.ts).
  'statement-protocol': () => import('./statement-protocol.ts'),
  'proxy-latency': () => import('./proxy-latency.ts'),
  'render-charts': () => import('./render-charts.ts'),
  // Last: its cold build runs debootstrap (minutes).
  'image-build': () => import('./image-build.ts'),
};

const print: Print = (line) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    print(`unknown benchmark: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
    return 2;
  }
  const names = requested.length > 0 ? requested : Object.keys(BENCHES);
  const reports: BenchReport[] = [];
  const broken: string[] = [];
  for (const name of names) {
    print(`== ${name}`);
    const started = performance.now();
    try {
      const report = await (await BENCHES[name]!()).runBench(print);
      reports.push(report);
      print(report.line);
      if (report.detail) print(report.detail);
    } catch (error) {
      broken.push(name);
      print(`${name}: ERROR ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    print(`   (${((performance.now() - started) / 1000).toFixed(1)} s, figures in bench/results/${name}.json)`);
  }

  print('');
  print('== summary');
  for (const report of reports) {
    print(report.line);
    if (report.detail) print(report.detail);
  }
  for (const name of broken) print(`${name}: ERROR (see above)`);
  const missed = reports.filter((r) => !r.met).map((r) => r.name);
  print(missed.length === 0 ? 'goals: all met' : `goals: MISSED ${missed.join(', ')}`);

  // Every server a benchmark started must be gone; servers of concurrent test runs are not ours.
  const leaked = await leakedServers(BENCH_MARKER);
  const others = (await postgresProcesses()).length - leaked.length;
  if (leaked.length > 0) print(`servers left running: LEAK\n${leaked.join('\n')}`);
  else print(`servers left running: none of ours${others > 0 ? ` (${others} postgres processes of other runs)` : ''}`);
  return broken.length > 0 || leaked.length > 0 ? 1 : 0;
}

// Explicit exit: a stray handle (a pg socket, a timer) must not keep the command hanging.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
