import { readFileSync } from 'node:fs';
import { containerEngine } from '../../../harness/containers/container-engine.ts';

// Killing a paused (frozen) container the way a SIGSTOPped process tree dies locally: nothing in
// it runs again. `docker kill` signals PID 1 only and thaws the container; every other process
// (a backend holding a COMMIT in its socket, say) then runs for the moment it takes the kernel to
// tear the PID namespace down, and under load that was long enough to commit and answer: a kill
// at the commit point then left a complete order where it must leave half of one. So every
// process of the container gets SIGKILL while frozen; a frozen task with SIGKILL pending dies as
// soon as it thaws, before it returns to user space. Measured here: all of them exit, code 137.

/** The container's processes as host PIDs, or undefined when they are not this machine's (a remote engine). */
async function hostPids(id: string): Promise<number[] | undefined> {
  const client = await containerEngine();
  const top = (await client.container.getById(id).top()) as { Titles: string[]; Processes: string[][] };
  const column = top.Titles.indexOf('PID');
  if (column < 0) return undefined;
  const pids = top.Processes.map((row) => Number(row[column])).filter((pid) => Number.isInteger(pid) && pid > 0);
  // Only PIDs whose cgroup names this container are ours to signal; anything else means the
  // engine's PID namespace is not ours.
  const mine = pids.every((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(id);
    } catch {
      return false;
    }
  });
  return mine ? pids : undefined;
}

/**
 * SIGKILL to every process of a paused container, then thaw it so they die. Returns false when
 * its processes are not visible from here; the caller then falls back to docker kill.
 */
export async function killFrozenContainer(id: string): Promise<boolean> {
  const pids = await hostPids(id).catch(() => undefined);
  if (!pids || pids.length === 0) return false;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const client = await containerEngine();
  await client.container.getById(id).unpause();
  return true;
}
