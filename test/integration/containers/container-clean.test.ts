import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { containerEngine, OWNER_LABEL, RUN_LABEL } from '../../../src/harness/containers/container-engine.ts';
import { reapRunContainers } from '../../../src/harness/process/container-reaper.mjs';
import { resolvePgImage } from '../../../src/topologies/postgres/containers/image/resolve-pg-image.ts';
import { engine, HAS_ENGINE, NO_ENGINE, runResources } from '../../support/containers.ts';
import { testRunId } from '../../support/local-topology.ts';
import { FAULTLINE, ROOT } from '../../support/processes.ts';

// `faultline clean` on the container engine: a run whose harness and watchdog both died left a
// running container and its network behind. clean removes them by label, because their owner
// (this machine, a pid that is gone) is dead; a live harness's run beside it is left alone.

if (!HAS_ENGINE) console.warn(`faultline clean on the container engine: ${NO_ENGINE}`);

const runs: string[] = [];

afterAll(async () => {
  if (HAS_ENGINE) for (const run of runs) await reapRunContainers(await engine(), run);
});

/** A run's leftovers as the engine has them: a network and a running container on it, with faultline's labels. */
async function leftovers(owner: string): Promise<string> {
  const run = testRunId('clean');
  runs.push(run);
  const docker = (await containerEngine()).container.dockerode;
  const labels = { [RUN_LABEL]: run, [OWNER_LABEL]: owner };
  const network = await docker.createNetwork({ Name: `faultline-${run}`, Driver: 'bridge', Labels: labels });
  const container = await docker.createContainer({
    Image: (await resolvePgImage()).ref,
    Entrypoint: ['sleep'],
    Cmd: ['600'],
    Labels: labels,
    HostConfig: { NetworkMode: `faultline-${run}` },
  });
  await container.start();
  expect(network.id).toBeTruthy();
  return run;
}

describe.skipIf(!HAS_ENGINE)(`faultline clean on the container engine${HAS_ENGINE ? '' : ` (${NO_ENGINE})`}`, () => {
  it('removes the containers and network of a run whose harness is gone, and leaves a live one alone', async () => {
    const deadPid = spawnSync('true').pid!;
    const [dead, live] = await Promise.all([leftovers(`${hostname()}:${deadPid}`), leftovers(`${hostname()}:${process.pid}`)]);
    const other = await leftovers(`another-machine:${deadPid}`);
    const result = spawnSync(process.execPath, [FAULTLINE, 'clean'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed run ${dead} from the container engine (harness pid ${deadPid} is gone): 1 container, 1 network, 0 volumes`);
    expect(result.stdout).not.toContain(live);
    expect(result.stdout).not.toContain(other);
    expect(await runResources(dead)).toEqual({ containers: [], networks: [], volumes: [] });
    const kept = await runResources(live);
    expect([kept.containers.length, kept.networks.length]).toEqual([1, 1]);
    // A harness on another machine sharing the engine: its pid means nothing here.
    expect((await runResources(other)).containers).toHaveLength(1);
  }, 180_000);
});
