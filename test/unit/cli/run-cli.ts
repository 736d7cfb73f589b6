import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Runs the real `faultline` entry point, as a user would, and captures everything it says.

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../../src/harness/cli/faultline.mjs', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const { FAULTLINE_DEBUG: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [ENTRY, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...inherited, ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stack trace line, e.g. "    at main (file:///...)". */
export const STACK_LINE = /^\s+at /m;

/**
 * The same command line through main(), the function the entry point calls, in this process:
 * what it prints and the exit code it returns. Spawning costs 1-2 s of CPU per call (Node, the
 * TypeScript loader, the modules); the tables of bad arguments need what main() decides, and the
 * spawned entry point itself is covered by runCli tests (--help, test/unit/cli/hostile-inputs).
 */
export async function runMain(args: readonly string[]): Promise<CliResult> {
  const { main } = await import('../../../src/harness/cli/main.ts');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')) > 0) as typeof process.stdout.write;
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  try {
    const code = await main([...args]);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
}
