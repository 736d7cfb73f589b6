import { containerEngine } from '../../containers/container-engine.ts';

// A container's CPU time from the Engine API (what `docker stats` shows): one-shot stats, so
// the engine answers at once instead of waiting a second to compute its own rate; the sampler
// takes differences itself. The harness never reads a container's cgroup files, whose place
// depends on the engine's cgroup driver and may not be visible from here.

/** Cumulative CPU seconds of the container, or undefined when the engine gave none (stopped, gone, no answer). */
export async function containerCpuSeconds(id: string): Promise<number | undefined> {
  const client = await containerEngine();
  const stats = await client.container.getById(id).stats({ stream: false, 'one-shot': true });
  const ns = stats.cpu_stats?.cpu_usage?.total_usage;
  return typeof ns === 'number' && ns > 0 ? ns / 1e9 : undefined;
}
