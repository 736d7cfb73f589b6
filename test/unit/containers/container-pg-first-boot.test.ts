import { describe, expect, it } from 'vitest';
import { ContainerPgNode } from '../../../src/topologies/postgres/containers/container-pg-node.ts';
import type { PgContainer } from '../../../src/topologies/postgres/containers/pg-container.ts';
import { CONFIG_PATH, type ContainerFile } from '../../../src/topologies/postgres/containers/pg-container-files.ts';

// A synchronous primary's first boot in a container: the image's initdb and its temporary server
// (CREATE DATABASE) must not wait for standbys that cannot exist yet, so the container boots
// without synchronous_standby_names and gets it, reloaded, once up. A recording fake container;
// test/integration/containers/ boots real sync, remote_apply and quorum primaries.

function fakeNode(execAnswer: { exitCode: number; output: string } | undefined = { exitCode: 0, output: '' }) {
  const calls: string[] = [];
  const launchedConfig: string[] = [];
  const files = new Map<string, string>();
  const container: PgContainer = {
    writeFiles: async (written: readonly ContainerFile[]) => {
      for (const file of written) {
        calls.push(`write ${file.path}`);
        files.set(file.path, file.content);
      }
    },
    start: async () => void calls.push('start'),
    kill: async () => void calls.push('kill'),
    stop: async () => void calls.push('stop'),
    pause: async () => void calls.push('pause'),
    unpause: async () => void calls.push('unpause'),
    exec: async (command) => {
      calls.push(`exec ${command.join(' ')}`);
      return execAnswer;
    },
    remove: async () => void calls.push('remove'),
  };
  const node = new ContainerPgNode({
    name: 'primary',
    role: 'primary',
    host: '127.0.0.1',
    port: 15432,
    address: '172.30.0.10',
    logPath: '/tmp/none.log',
    password: 'pw',
    launch: async (launched) => {
      calls.push('launch');
      launchedConfig.push(launched.find((file) => file.path === CONFIG_PATH)!.content);
      return container;
    },
  });
  return { node, calls, launchedConfig, files };
}

describe('a container primary whose config names synchronous standbys', () => {
  it('boots without them, then has its real config written and reloaded (SIGHUP to the postmaster)', async () => {
    const { node, calls, launchedConfig, files } = fakeNode();
    await node.writeConfig(node.serverSettings(), { synchronous_standby_names: 'FIRST 1 ("replica1", "replica2")', synchronous_commit: 'remote_apply' });
    await node.start();
    expect(launchedConfig[0]).toMatch(/^synchronous_standby_names = ''$/m);
    expect(launchedConfig[0]).toMatch(/^synchronous_commit = 'remote_apply'$/m);
    expect(calls).toEqual(['launch', `write ${CONFIG_PATH}`, 'exec kill -HUP 1']);
    expect(files.get(CONFIG_PATH)).toMatch(/^synchronous_standby_names = 'FIRST 1 \("replica1", "replica2"\)'$/m);
    expect(node.state).toBe('running');
  });

  it('boots an asynchronous primary with its config as written, nothing reloaded', async () => {
    const { node, calls, launchedConfig } = fakeNode();
    await node.writeConfig(node.serverSettings(), { synchronous_standby_names: '' });
    await node.start();
    expect(calls).toEqual(['launch']);
    expect(launchedConfig[0]).toMatch(/^synchronous_standby_names = ''$/m);
  });

  it('fails the start, naming the node, when the reload cannot be delivered', async () => {
    const { node } = fakeNode({ exitCode: 1, output: 'kill: (1) - No such process' });
    await node.writeConfig(node.serverSettings(), { synchronous_standby_names: 'ANY 1 ("replica1")' });
    await expect(node.start()).rejects.toThrow(/primary: could not reload its config after the first boot \(kill: \(1\) - No such process\)/);
  });
});
