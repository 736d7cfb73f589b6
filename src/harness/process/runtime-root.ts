import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Everything a run starts lives below one root per user, so `faultline clean` and the watchdog
// can find it after a crash. Mode 0711: server users may traverse it, nobody may list it.
//
// The default is RAM (/dev/shm) when the machine has it. faultline injects process crashes, and
// those never lose the OS page cache, so kill -9 behaves as on disk; meanwhile commits stop
// depending on a laptop's (or a shared VM's) erratic disk, which makes runs comparable.
// FAULTLINE_RUNTIME_DIR puts it anywhere else, e.g. on disk to include fsync costs.
export function scratchBase(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

export function runtimeRoot(): string {
  const root = process.env.FAULTLINE_RUNTIME_DIR ?? join(scratchBase(), `faultline-${process.getuid?.() ?? 'user'}`);
  for (const sub of ['', 'runs', 'ports']) mkdirSync(join(root, sub), { recursive: true, mode: 0o711 });
  return root;
}

// Caches that outlive a run (the PostgreSQL template initdb makes once per version) sit beside the
// run directories rather than in the home dir: a root harness's home is closed to the server user
// that must write there, and copies from RAM to RAM take milliseconds. `faultline clean` sweeps it.
export function templateCacheRoot(): string {
  return process.env.FAULTLINE_CACHE_DIR ?? join(scratchBase(), `faultline-cache-${process.getuid?.() ?? 'user'}`);
}

export const runsDir = (root = runtimeRoot()) => join(root, 'runs');
export const portsDir = (root = runtimeRoot()) => join(root, 'ports');
