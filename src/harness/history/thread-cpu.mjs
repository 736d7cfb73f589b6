// @ts-check
// CPU time of the calling thread (Linux /proc/thread-self/stat, utime + stime), so that the
// recording cost is measured in CPU the driver's thread and the history thread each spent, which
// other processes on a loaded machine do not inflate the way they inflate wall time.
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc's clock ticks per second, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Milliseconds of CPU this thread has used (10 ms resolution), or undefined where /proc is absent. */
export function threadCpuMs() {
  let text;
  try {
    text = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields count from the last ')'. utime and stime are fields 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
