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
