import { connect, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LinkProxy } from '../src/harness/network/link-proxy.ts';
import { fixed, median, verdict, writeFigures, type BenchReport, type Print } from './bench-kit.ts';

// What the link proxy costs and how exactly it delays. (1) Added latency with no fault: ping-pong
// of small messages over a loopback echo server, direct and through the proxy, alternating in
// rounds so load drifts hit both alike. (2) Error of a configured delay: RTT p50 with 5 ms and
// 20 ms each way against the configured round trip (2 x delay), printed next to what a direct
// round trip costs after the same idle time, the part of the error that is the machine's.

const NAME = 'proxy-latency';
const ROUNDS = 5;
const TRIPS_PER_ROUND = 2_000;
const WARMUP_TRIPS = 1_000;
const DELAYS_MS = [5, 20] as const;
type DelayMs = (typeof DELAYS_MS)[number];
const DELAYED_TRIPS: Readonly<Record<DelayMs, number>> = { 5: 200, 20: 100 };
const GOAL_ADDED_US = 100;
const GOAL_DELAY_ERROR_MS = 1;
const MESSAGE = Buffer.alloc(16, 1);

// The echo server runs on its own thread, as a database server runs in its own process: with
// client and server on one event loop, the direct round trip would need no thread wake-up at
// all, while each hop through the proxy needs one, and the comparison would charge the proxy for
// the server's wake-ups too. Plain JavaScript evaluated in the worker: no loader needed.
const ECHO_SOURCE = `
const { createServer } = require('node:net');
const { parentPort } = require('node:worker_threads');
const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => {});
  socket.on('data', (chunk) => socket.write(chunk));
});
server.listen({ host: '127.0.0.1', port: 0 }, () => parentPort.postMessage(server.address().port));
`;

async function startEcho(): Promise<{ worker: Worker; port: number }> {
  const worker = new Worker(ECHO_SOURCE, { eval: true, execArgv: [] });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, port };
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** Round-trip times in ms; the next message leaves only when the whole echo is back. */
async function pingPong(socket: Socket, trips: number): Promise<number[]> {
  const times: number[] = [];
  let expected = 0;
  let start = 0;
  let done: () => void = () => {};
  const onData = (chunk: Buffer) => {
    expected -= chunk.length;
    if (expected > 0) return;
    times.push(performance.now() - start);
    if (times.length === trips) done();
    else send();
  };
  const send = () => {
    expected = MESSAGE.length;
    start = performance.now();
    socket.write(MESSAGE);
  };
  socket.on('data', onData);
  await new Promise<void>((resolve) => {
    done = resolve;
    send();
  });
  socket.off('data', onData);
  return times;
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface AddedRound {
  readonly directP50Us: number;
  readonly proxiedP50Us: number;
  readonly addedP50Us: number;
  readonly addedP99Us: number;
}

interface DelayFigures {
  readonly delayMs: number;
  readonly configuredRttMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errorMs: number;
  /** A direct round trip after the same idle time: what waking idle threads costs here. */
  readonly idleDirectP50Ms: number;
}

async function measureAdded(direct: Socket, proxied: Socket, print: Print): Promise<AddedRound[]> {
  await pingPong(direct, WARMUP_TRIPS);
  await pingPong(proxied, WARMUP_TRIPS);
  const rounds: AddedRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const d = (await pingPong(direct, TRIPS_PER_ROUND)).map((ms) => ms * 1000);
    const p = (await pingPong(proxied, TRIPS_PER_ROUND)).map((ms) => ms * 1000);
    const r = {
      directP50Us: quantile(d, 0.5),
      proxiedP50Us: quantile(p, 0.5),
      addedP50Us: quantile(p, 0.5) - quantile(d, 0.5),
      addedP99Us: quantile(p, 0.99) - quantile(d, 0.99),
    };
    rounds.push(r);
    print(`  round ${round + 1}/${ROUNDS}: direct p50 ${fixed(r.directP50Us, 0)} µs, proxied p50 ${fixed(r.proxiedP50Us, 0)} µs`);
  }
  return rounds;
}

/**
 * Direct round trips, each after idleMs of silence. On a VM an idle thread's vCPU halts, and
 * waking it costs far more than a round trip between busy threads; a delayed link makes every
 * thread idle that long, so this is the floor under the delay error that no proxy can remove.
 */
async function idleRoundTrips(socket: Socket, idleMs: number, trips: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < trips; i++) {
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    times.push(...(await pingPong(socket, 1)));
  }
  return times;
}

async function measureDelay(proxy: LinkProxy, direct: Socket, proxied: Socket, delayMs: DelayMs): Promise<DelayFigures> {
  await proxy.setFaults('echo', { both: { latency: { delayMs } } });
  const times = await pingPong(proxied, DELAYED_TRIPS[delayMs]);
  await proxy.heal('echo');
  const idle = await idleRoundTrips(direct, 2 * delayMs, DELAYED_TRIPS[delayMs] / 2);
  const p50Ms = quantile(times, 0.5);
  return {
    delayMs,
    configuredRttMs: 2 * delayMs,
    p50Ms,
    p99Ms: quantile(times, 0.99),
    errorMs: Math.abs(p50Ms - 2 * delayMs),
    idleDirectP50Ms: quantile(idle, 0.5),
  };
}

function delayLine(d: DelayFigures): string {
  return (
    `proxy delay ${d.delayMs} ms each way: RTT p50 ${fixed(d.p50Ms, 2)} ms vs ${d.configuredRttMs} ms configured, ` +
    `error ${fixed(d.errorMs, 2)} ms (goal <= ${GOAL_DELAY_ERROR_MS} ms) ${verdict(d.errorMs <= GOAL_DELAY_ERROR_MS)}; ` +
    `a direct round trip after ${d.configuredRttMs} ms idle takes ${fixed(d.idleDirectP50Ms, 2)} ms here`
  );
}

export async function runBench(print: Print): Promise<BenchReport> {
  const echo = await startEcho();
  const proxy = await LinkProxy.start();
  const sockets: Socket[] = [];
  try {
    const { port } = await proxy.addLink('echo', { host: '127.0.0.1', port: echo.port });
    const direct = await open(echo.port);
    const proxied = await open(port);
    sockets.push(direct, proxied);

    const rounds = await measureAdded(direct, proxied, print);
    const addedUs = median(rounds.map((r) => r.addedP50Us));
    const directUs = median(rounds.map((r) => r.directP50Us));
    const addedMet = addedUs <= GOAL_ADDED_US;
    const delays: DelayFigures[] = [];
    for (const delayMs of DELAYS_MS) delays.push(await measureDelay(proxy, direct, proxied, delayMs));
    const delayMet = delays.every((d) => d.errorMs <= GOAL_DELAY_ERROR_MS);

    await writeFigures(NAME, {
      unit: { added: 'µs per round trip', delay: 'ms' },
      message: { bytes: MESSAGE.length, roundsOf: TRIPS_PER_ROUND, rounds: ROUNDS, warmup: WARMUP_TRIPS },
      added: { p50Us: addedUs, directP50Us: directUs, p99Us: median(rounds.map((r) => r.addedP99Us)), perRound: rounds },
      delays,
      goals: { addedP50UsAtMost: GOAL_ADDED_US, delayErrorMsAtMost: GOAL_DELAY_ERROR_MS },
      met: { added: addedMet, delay: delayMet },
    });
    const line =
      `proxy added p50: ${fixed(addedUs, 0)} µs (round trip ${fixed(directUs, 0)} µs direct -> ` +
      `${fixed(directUs + addedUs, 0)} µs proxied) (goal <= ${GOAL_ADDED_US} µs) ${verdict(addedMet)}`;
    // The delay figures go under the line: a second goal, met or missed on its own.
    return { name: NAME, line, detail: delays.map(delayLine).join('\n'), met: addedMet && delayMet };
  } finally {
    for (const socket of sockets) socket.destroy();
    await proxy[Symbol.asyncDispose]();
    await echo.worker.terminate();
  }
}

/** Prints to stdout; the figures land in bench/results/proxy-latency.json. */
export async function runProxyBench(): Promise<void> {
  const report = await runBench((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${report.line}\n${report.detail ?? ''}\n`);
}

// `node --import tsx bench/proxy-latency.ts` runs it alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runProxyBench().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
