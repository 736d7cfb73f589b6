import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree, reapRunDir } from '../../src/harness/process/reaper.mjs';
import { portsDir, runsDir } from '../../src/harness/process/runtime-root.ts';

// Looking at real processes from tests: which ones a run started, whether they are gone, and
// the `faultline` command run as a child the test can signal.

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FAULTLINE = join(ROOT, 'src/harness/cli/faultline.mjs');

/** A process as it was seen: pid plus start time, so a reused pid is never mistaken for it. */
export interface SeenProcess {
  readonly pid: number;
  readonly start: string;
  readonly command: string;
  readonly ppid: number;
}

function statOf(pid: number): { state: string; start: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]!, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

export function see(pid: number): SeenProcess | undefined {
  const stat = statOf(pid);
  if (!stat) return undefined;
  let command = '';
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    // Exited meanwhile.
  }
  return { pid, start: stat.start, command, ppid: stat.ppid };
}

/** Still running: same pid, same start time, not a zombie. */
export function running(seen: SeenProcess): boolean {
  const stat = statOf(seen.pid);
  return stat !== undefined && stat.start === seen.start && stat.state !== 'Z';
}

/** Every process of the servers a run started: postmasters from its pids file, with their trees. */
export function runProcesses(runDir: string): SeenProcess[] {
  const postmasters = readFileSync(join(runDir, 'pids'), 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    // "pid data-dir": only a process that still names its data directory is that server.
    .filter(([pid, marker]) => Number(pid) > 0 && marker && see(Number(pid))?.command.includes(marker))
    .map(([pid]) => Number(pid));
  const pids = new Set(postmasters.flatMap((pid) => processTree(pid)));
  return [...pids].map(see).filter((p): p is SeenProcess => p !== undefined);
}

/** The run directory whose owner file names this pid (the harness that started it). */
export function runDirOwnedBy(pid: number, root?: string): string | undefined {
  const runs = runsDir(root);
  for (const id of readdirSync(runs)) {
    try {
      if (Number(readFileSync(join(runs, id, 'owner'), 'utf8').trim()) === pid) return join(runs, id);
    } catch {
      // Being created or removed.
    }
  }
  return undefined;
}

/**
 * Removes the port locks a SIGKILLed harness could not release. (They are harmless, since the
 * allocator reclaims locks of dead processes, but a test leaves nothing behind.)
 */
export function removePortLocksOf(pid: number, root?: string): void {
  const dir = portsDir(root);
  for (const port of readdirSync(dir)) {
    try {
      if (Number(readFileSync(join(dir, port), 'utf8')) === pid) rmSync(join(dir, port), { force: true });
    } catch {
      // Released meanwhile.
    }
  }
}

export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(everyMs);
  }
}

/** Whether something accepts TCP connections on host:port: 'open', 'refused', or 'no answer' (2 s). */
export function probePort(port: number, host = '127.0.0.1'): Promise<'open' | 'refused' | 'no answer'> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('no answer');
    });
    socket.once('error', () => resolve('refused'));
  });
}

export interface Cli {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching, rejects if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `faultline <args>` as a user would, from the repository root. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Cli {
  return startNode([FAULTLINE, ...args], env);
}

/** Starts a node process (through tsx when given a .ts file) and follows its output. */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Cli {
  const { FAULTLINE_DEBUG: _ignored, ...inherited } = process.env;
  const nodeArgs = args[0]?.endsWith('.ts') ? ['--import', 'tsx', ...args] : [...args];
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      resolve({ code, signal });
      notify();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForLine(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = out.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (ended) throw new Error(`process ended before printing ${pattern}:\n${out}\n${err}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}

/** Test teardown: whatever happened, nothing this child started may survive it. */
export async function killHard(cli: Cli | undefined): Promise<void> {
  if (!cli || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  cli.child.kill('SIGKILL');
  await cli.exited;
}

/**
 * A CLI test's teardown, whatever happened: the harness killed, its port locks released, and, if
 * the test failed half-way, its servers reaped and its report folder removed.
 */
export async function cleanUpCliRun(cli: Cli | undefined, runDir: string | undefined, reports: string | undefined): Promise<void> {
  await killHard(cli);
  if (cli) removePortLocksOf(cli.pid);
  if (runDir && existsSync(runDir)) reapRunDir(runDir);
  if (reports) await rm(reports, { recursive: true, force: true });
}
