import { execFileSync } from 'node:child_process';

// Patroni and etcd as this machine has them: Debian's packages (`apt-get install patroni
// etcd-server`, which .ci/setup runs on Debian as root) put both on PATH. FAULTLINE_PATRONI and
// FAULTLINE_ETCD name other binaries.

export interface PatroniBinaries {
  readonly patroni: string;
  readonly etcd: string;
  /** "patroni 3.0.2" */
  readonly patroniVersion: string;
  /** "etcd 3.4.23" */
  readonly etcdVersion: string;
}

export class PatroniMissingError extends Error {
  override readonly name = 'PatroniMissingError';
}

export const PATRONI_FIX = 'apt-get install -y patroni etcd-server (Debian; .ci/setup does it as root), or set FAULTLINE_PATRONI and FAULTLINE_ETCD';

function versionOf(binary: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(binary, [...args], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

let cached: PatroniBinaries | undefined;

/** Finds both binaries and their versions, or throws PatroniMissingError naming what to install. */
export function findPatroniBinaries(): PatroniBinaries {
  if (cached) return cached;
  const patroni = process.env.FAULTLINE_PATRONI ?? 'patroni';
  const etcd = process.env.FAULTLINE_ETCD ?? 'etcd';
  const patroniVersion = versionOf(patroni, ['--version']);
  const etcdLine = versionOf(etcd, ['--version']);
  const missing = [patroniVersion ? undefined : 'patroni', etcdLine ? undefined : 'etcd'].filter((name) => name !== undefined);
  if (missing.length > 0) throw new PatroniMissingError(`failover.mode patroni needs ${missing.join(' and ')} on PATH: ${PATRONI_FIX}`);
  cached = { patroni, etcd, patroniVersion: patroniVersion!, etcdVersion: etcdLine!.replace(/^etcd Version:\s*/, 'etcd ') };
  return cached;
}

/** Why Patroni cannot run here, or undefined when it can (tests skip with this reason). */
export function patroniMissing(): string | undefined {
  try {
    findPatroniBinaries();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
