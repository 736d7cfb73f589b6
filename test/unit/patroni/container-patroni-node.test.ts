import { describe, expect, it } from 'vitest';
import type { ContainerPgNode } from '../../../src/topologies/postgres/containers/container-pg-node.ts';
import { ContainerPatroniNode } from '../../../src/topologies/postgres/patroni/container-patroni-node.ts';
import { PATRONI_BOOT, PATRONI_BOOT_SCRIPT } from '../../../src/topologies/postgres/patroni/patroni-container.ts';

// A Patroni node in a container, against a recording stand-in for its container (the real thing
// runs in test/integration/patroni/patroni-containers.test.ts): the node as a whole is Docker's,
// `part: manager | store` is a signal to one process inside it, and healing starts it again.

function fakeContainer() {
  const calls: string[] = [];
  const pg = {
    name: 'primary',
    state: 'created' as string,
    async start() {
      calls.push('docker start');
      pg.state = 'running';
    },
    async kill() {
      calls.push('docker kill');
      pg.state = 'killed';
    },
    async pause() {
      calls.push('docker pause');
      pg.state = 'paused';
    },
    async resume() {
      calls.push('docker unpause');
      pg.state = 'running';
    },
    async exec(command: readonly string[]) {
      if (pg.state !== 'running') return undefined;
      calls.push(command.join(' '));
      return { exitCode: 0, output: '' };
    },
  };
  return { pg, calls, node: new ContainerPatroniNode(pg as unknown as ContainerPgNode, 18008) };
}

describe('a Patroni node in a container', () => {
  it('kills and pauses the whole node with Docker (etcd, Patroni and the postmaster together)', async () => {
    const { node, calls } = fakeContainer();
    await node.start();
    await node.kill();
    expect(node.state).toBe('killed');
    await node.start();
    await node.pause();
    expect(node.state).toBe('paused');
    await node.resume();
    expect(calls).toEqual(['docker start', 'docker kill', 'docker start', 'docker pause', 'docker unpause']);
  });

  it('kills Patroni alone (its server runs on, unmanaged) and starts it again on heal', async () => {
    const { node, calls } = fakeContainer();
    await node.start();
    await node.part('manager').kill();
    expect(node.state).toBe('killed');
    expect(node.serverState).toBe('running');
    await node.part('manager').recover();
    expect(node.state).toBe('running');
    expect(calls.slice(1)).toEqual([`bash ${PATRONI_BOOT} signal patroni KILL`, `bash ${PATRONI_BOOT} patroni`]);
  });

  it('pauses the etcd member alone and continues it on heal', async () => {
    const { node, calls } = fakeContainer();
    await node.start();
    await node.part('store').pause();
    expect(node.state).toBe('running');
    await node.part('store').recover();
    expect(calls.slice(1)).toEqual([`bash ${PATRONI_BOOT} signal etcd STOP`, `bash ${PATRONI_BOOT} signal etcd CONT`]);
  });

  it('refuses to signal a process of a container that runs nothing now', async () => {
    const { node } = fakeContainer();
    await node.start();
    await node.kill();
    await expect(node.part('manager').kill()).rejects.toThrow(/runs nothing now \(killed\)/);
  });

  it('boots etcd first, holds Patroni on a hold file, and waits for the store before Patroni', () => {
    expect(PATRONI_BOOT_SCRIPT.indexOf('start_etcd\n')).toBeLessThan(PATRONI_BOOT_SCRIPT.indexOf('/hold ]; then'));
    expect(PATRONI_BOOT_SCRIPT).toMatch(/\(wait_store; exec gosu postgres/);
    expect(PATRONI_BOOT_SCRIPT).toMatch(/nft -f \/faultline\/rules\.nft/);
  });
});
