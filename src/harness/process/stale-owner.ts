import { readdirSync, readFileSync } from 'node:fs';
import { isAlive } from './reaper.mjs';

// Helpers for `faultline clean`: deciding that the process which owned something is gone, and
// finding processes that still work on a directory nobody owns any more.

/** True when the process has exited; a zombie (exited, not yet reaped) counts as gone. */
export function isGone(pid: number): boolean {
  if (!isAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    // No /proc (not Linux) or it exited while we looked: trust isAlive.
    return !isAlive(pid);
  }
}

/** Pids of running processes whose command line contains `text` (never this process). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const entry of pids) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text)) found.push(pid);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}
