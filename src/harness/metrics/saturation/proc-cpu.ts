import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// CPU time of local server processes and of the machine, from /proc (Linux). A local server is a
// process tree: the postmaster (or mongod) and every process it forked (PostgreSQL's backends
// are its children; each calls setsid(), so process groups cannot be used). A tree's CPU is its
// live members' utime + stime plus the leader's cutime + cstime, which holds every child it has
// reaped: a backend that exits between two samples moves from one term to the other.

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux architecture Node runs on. */
export const CLOCK_TICKS_PER_SECOND = 100;

interface StatFields {
  readonly ppid: number;
  /** utime + stime, ticks. */
  readonly own: number;
  /** cutime + cstime: reaped children, ticks. */
  readonly children: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseStat(text: string): StatFields | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ')': state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9) minflt..cmajflt(10-13) utime(14) stime(15) cutime(16) cstime(17)
  const fields = text.slice(close + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  const values = [at(4), at(14), at(15), at(16), at(17)];
  if (values.some((v) => !Number.isFinite(v))) return undefined;
  const [ppid, utime, stime, cutime, cstime] = values as [number, number, number, number, number];
  return { ppid, own: utime + stime, children: cutime + cstime };
}

function readStat(pid: number): StatFields | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined; // Gone since the directory was listed.
  }
}

/**
 * Cumulative CPU seconds of process trees. Reading every process's stat each second costs tens
 * of milliseconds on a busy machine, so each pid's parent is learnt once (when the pid first
 * appears) and only the members of the trees asked for are read again.
 */
export class ProcessTreeCpu {
  /** pid -> parent pid, for every pid seen and still alive. */
  private readonly parents = new Map<number, number>();

  /** CPU seconds per tree, by its leader's pid; a tree whose leader is gone is absent. */
  read(leaders: readonly number[]): Map<number, number> {
    const wanted = new Set(leaders);
    const totals = new Map<number, number>();
    let names: string[];
    try {
      names = readdirSync('/proc');
    } catch {
      return totals; // No /proc: not Linux.
    }
    const alive = new Set<number>();
    for (const name of names) {
      const code = name.charCodeAt(0);
      if (code < 48 || code > 57) continue;
      const pid = Number(name);
      alive.add(pid);
      if (!this.parents.has(pid)) {
        const stat = readStat(pid);
        if (stat) this.parents.set(pid, stat.ppid);
      }
    }
    for (const pid of [...this.parents.keys()]) if (!alive.has(pid)) this.parents.delete(pid);
    const leaderOf = new Map<number, number | null>();
    const findLeader = (pid: number): number | null => {
      const path: number[] = [];
      let current: number | undefined = pid;
      let found: number | null = null;
      while (current !== undefined && current > 1) {
        if (wanted.has(current)) {
          found = current;
          break;
        }
        const known = leaderOf.get(current);
        if (known !== undefined) {
          found = known;
          break;
        }
        path.push(current);
        current = this.parents.get(current);
      }
      for (const step of path) leaderOf.set(step, found);
      return found;
    };
    for (const pid of this.parents.keys()) {
      const leader = findLeader(pid);
      if (leader === null) continue;
      const stat = readStat(pid);
      if (!stat) continue;
      const ticks = stat.own + (pid === leader ? stat.children : 0);
      totals.set(leader, (totals.get(leader) ?? 0) + ticks / CLOCK_TICKS_PER_SECOND);
    }
    // Without its leader a tree has lost its reaped-children term: not comparable with before.
    for (const leader of [...totals.keys()]) if (!alive.has(leader)) totals.delete(leader);
    return totals;
  }
}

/** The main thread's time on a CPU and waiting for one, seconds (schedstat: run and run-queue wait). */
export function mainThreadSchedule(): { readonly run: number; readonly wait: number } | undefined {
  return schedule(`/proc/self/task/${process.pid}/schedstat`);
}

/** The calling thread's (a load thread's) time on a CPU and waiting for one, seconds. */
export function thisThreadSchedule(): { readonly run: number; readonly wait: number } | undefined {
  return schedule('/proc/thread-self/schedstat');
}

function schedule(path: string): { readonly run: number; readonly wait: number } | undefined {
  try {
    const [run, wait] = readFileSync(path, 'latin1').trim().split(/\s+/).map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { run: run! / 1e9, wait: wait! / 1e9 } : undefined;
  } catch {
    return undefined;
  }
}

/** The machine's busy CPU seconds, all cores together (/proc/stat: everything but idle and iowait). */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0] ?? '';
    const [, ...rest] = line.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = rest.map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? 0), 0);
    return Number.isFinite(busy) ? busy / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

export function machineCores(): number {
  return availableParallelism();
}
