import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { containerEnvironment, engineIsLocal, prepareContainerEnvironment, runLabels } from '../../../src/harness/containers/container-engine.ts';
import { runNetworkName, subnetAddress } from '../../../src/harness/containers/run-network.ts';
import { ownerVerdict } from '../../../src/harness/containers/clean-containers.ts';

// What faultline tells testcontainers, how a run's resources are labelled and named, and who
// `faultline clean` considers the owner of a labelled resource.

describe('the container engine settings', () => {
  it('never a reaper image; loopback as the host of an engine on this machine, whatever /.dockerenv says', () => {
    expect(containerEnvironment({})).toEqual({ TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' });
    expect(containerEnvironment({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).TESTCONTAINERS_HOST_OVERRIDE).toBe('127.0.0.1');
    // A remote engine publishes on its own host: testcontainers knows it from DOCKER_HOST.
    expect(containerEnvironment({ DOCKER_HOST: 'tcp://10.1.2.3:2376' })).toEqual({ TESTCONTAINERS_RYUK_DISABLED: 'true' });
    expect(engineIsLocal({ DOCKER_HOST: 'tcp://10.1.2.3:2376' })).toBe(false);
    // The user's own host override stays.
    expect(containerEnvironment({ TESTCONTAINERS_HOST_OVERRIDE: 'docker.internal' }).TESTCONTAINERS_HOST_OVERRIDE).toBeUndefined();
  });

  it('turns the reaper off even when the environment asked for it', () => {
    const env: NodeJS.ProcessEnv = { TESTCONTAINERS_RYUK_DISABLED: 'false' };
    prepareContainerEnvironment(env);
    expect(env).toEqual({ TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' });
  });

  it('labels a run with its id and its owner on this machine', () => {
    expect(runLabels('run-1')).toEqual({ 'faultline.run': 'run-1', 'faultline.owner': `${hostname()}:${process.pid}` });
  });
});

describe('the run network', () => {
  it('has a name that sorts after "bridge", so published ports never follow it first', () => {
    for (const id of ['0000', '2026-12-06T12-00-00Z-abcd', 'AAA', 'test-x-1-a1b2c3']) expect(runNetworkName(id) > 'bridge').toBe(true);
    expect(runNetworkName('a b/c')).toBe('faultline-a-b-c');
  });

  it('gives each container a static address from .10 on, inside the subnet', () => {
    expect(subnetAddress('172.25.0.0/16', 0)).toBe('172.25.0.10');
    expect(subnetAddress('172.25.0.0/16', 300)).toBe('172.25.1.54');
    expect(subnetAddress('192.168.48.0/20', 2)).toBe('192.168.48.12');
    expect(() => subnetAddress('10.0.0.0/28', 5)).toThrow(/no room/);
  });
});

describe('the owner of a labelled resource', () => {
  it('is stale only when it ran on this machine and its pid is gone', () => {
    expect(ownerVerdict(`${hostname()}:${process.pid}`)).toEqual({ stale: false });
    expect(ownerVerdict(`other-host:999999`)).toEqual({ stale: false });
    expect(ownerVerdict(undefined)).toEqual({ stale: false });
    expect(ownerVerdict('garbage')).toEqual({ stale: false });
    expect(ownerVerdict(`${hostname()}:999999`)).toEqual({ stale: true, why: 'harness pid 999999 is gone' });
  });
});
