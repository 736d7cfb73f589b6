import { describe, expect, it } from 'vitest';
import { ContainerPgNode } from '../../../src/topologies/postgres/containers/container-pg-node.ts';
import type { PgContainer } from '../../../src/topologies/postgres/containers/pg-container.ts';
import { COPY_PATH, CONFIG_PATH, PASSFILE, ROLE_PATH, RULES_PATH, type ContainerFile } from '../../../src/topologies/postgres/containers/pg-container-files.ts';
import { standbySettings } from '../../../src/topologies/postgres/single-leader/replication-settings.ts';

// A container node's command sequences against a recording fake container: which files go in
// with the container and which are written later, and which Docker operation each fault is.
// No server here; test/integration/containers/ runs the same node against real containers.

class FakeContainer implements PgContainer {
  readonly calls: string[] = [];
  readonly files = new Map<string, string>();
  async writeFiles(files: readonly ContainerFile[]) {
    for (const file of files) {
      this.calls.push(`write ${file.path}`);
      this.files.set(file.path, file.content);
    }
  }
  async start() {
    this.calls.push('start');
  }
  async kill() {
    this.calls.push('kill');
  }
  async stop() {
    this.calls.push('stop');
  }
  async pause() {
    this.calls.push('pause');
  }
  async unpause() {
    this.calls.push('unpause');
  }
  /** What exec answers: a result, or undefined as for a paused or stopped container. */
  execAnswer: { exitCode: number; output: string } | undefined = { exitCode: 0, output: '' };
  async exec(command: readonly string[]) {
    this.calls.push(`exec ${command.slice(0, 2).join(' ')}`);
    return this.execAnswer;
  }
  async remove() {
    this.calls.push('remove');
  }
}

function node(name = 'replica1', role: 'primary' | 'replica' = 'replica') {
  const container = new FakeContainer();
  const launched: (readonly ContainerFile[])[] = [];
  const created = new ContainerPgNode({
    name,
    role,
    host: '127.0.0.1',
    port: 15432,
    address: '172.30.0.10',
    logPath: '/tmp/none.log',
    password: 'pw',
    launch: async (files) => {
      launched.push(files);
      for (const file of files) container.files.set(file.path, file.content);
      return container;
    },
  });
  return { node: created, container, launched };
}

describe('a PostgreSQL node in a container', () => {
  it('sends the config, role and base-backup order written before its first start in with the container', async () => {
    const { node: replica, container, launched } = node();
    const { node: primary } = node('primary', 'primary');
    await replica.initStandbyFrom(primary);
    await replica.writeConfig(replica.serverSettings(), standbySettings(replica, 5432, 'primary'));
    await replica.setStandby(true);
    expect(container.calls).toEqual([]);
    await replica.start();
    expect(launched).toHaveLength(1);
    const files = new Map(launched[0]!.map((file) => [file.path, file.content]));
    expect(files.get(ROLE_PATH)).toBe('standby\n');
    expect(files.get(COPY_PATH)).toBe(`basebackup\nslot_replica1\nhost='primary' port='5432' user='faultline' dbname='faultline' passfile='${PASSFILE}' connect_timeout='5'\n`);
    const config = files.get(CONFIG_PATH)!;
    expect(config).toContain("listen_addresses = '*'");
    expect(config).toContain('port = 5432');
    expect(config).toContain(`primary_conninfo = 'host=''primary'' port=''5432''`);
    expect(config).toContain(`passfile=''${PASSFILE}''`);
    expect(config).not.toContain('pw');
    expect(replica.state).toBe('running');
  });

  it('boots as a primary with the server settings alone when nothing configured it', async () => {
    const { node: primary, launched } = node('primary', 'primary');
    await primary.start();
    const files = new Map(launched[0]!.map((file) => [file.path, file.content]));
    expect(files.get(ROLE_PATH)).toBe('primary\n');
    expect(files.get(CONFIG_PATH)).toContain("unix_socket_directories = '/var/run/postgresql'");
    expect(files.has(COPY_PATH)).toBe(false);
  });

  it('writes later config and role changes into the running container, and never re-seeds a started node', async () => {
    const { node: replica, container } = node();
    const { node: primary } = node('primary', 'primary');
    await replica.start();
    await replica.writeConfig({ port: 5432 });
    await replica.setStandby(false);
    await replica.initStandbyFrom(primary);
    expect(container.calls).toEqual([`write ${CONFIG_PATH}`, `write ${ROLE_PATH}`]);
    expect(container.files.get(ROLE_PATH)).toBe('primary\n');
  });

  it('orders a rewind to the new primary for its next boot, then restarts the same container', async () => {
    const { node: old, container } = node('primary', 'primary');
    const { node: promoted } = node('replica1');
    await old.start();
    await old.kill();
    expect(await old.resyncFrom(promoted)).toBe('at-next-start');
    await old.setStandby(true);
    await old.start();
    expect(container.calls).toEqual(['kill', `write ${COPY_PATH}`, `write ${ROLE_PATH}`, 'start']);
    expect(container.files.get(COPY_PATH)).toMatch(/^rewind\nslot_primary\nhost='replica1' port='5432'/);
  });

  it('starts a killed container once when a heal and a rejoin start it at the same moment (Docker would answer 304)', async () => {
    const { node: n, container } = node('primary', 'primary');
    await n.start();
    await n.kill();
    let release!: () => void;
    const booting = new Promise<void>((resolve) => (release = resolve));
    container.start = async () => {
      container.calls.push('start');
      await booting;
    };
    const first = n.start();
    const second = n.start();
    release();
    await Promise.all([first, second]);
    expect(container.calls).toEqual(['kill', 'start']);
    expect(n.state).toBe('running');
    await n.kill();
    await n.start(); // a later start, after the first finished, starts again
    expect(container.calls).toEqual(['kill', 'start', 'kill', 'start']);
  });

  it('refuses to copy from a node of another provider', async () => {
    const { node: replica } = node();
    const local = { name: 'primary', provider: 'local' } as never;
    await expect(replica.initStandbyFrom(local)).rejects.toThrow(/only copy from a container of its run, not primary \(local\)/);
  });

  it('kills, stops, pauses and resumes with Docker, tracking the state as the local node does', async () => {
    const { node: n, container } = node();
    await n.kill(); // not started: nothing to kill
    await n.start();
    await n.pause();
    expect(n.state).toBe('paused');
    await n.pause();
    await n.resume();
    await n.stop();
    expect(n.state).toBe('stopped');
    await n.kill(); // already down
    await n.start();
    await n.pause();
    await n.kill(); // a paused container is killed as it is, never thawed first
    expect(n.state).toBe('killed');
    expect(container.calls).toEqual(['pause', 'unpause', 'stop', 'start', 'pause', 'kill']);
    await n[Symbol.asyncDispose]();
    expect(container.calls.at(-1)).toBe('remove');
    expect(n.state).toBe('stopped');
  });

  it('stops a paused server by thawing it first, as a frozen server cannot shut down', async () => {
    const { node: n, container } = node();
    await n.start();
    await n.pause();
    await n.stop();
    expect(container.calls).toEqual(['pause', 'unpause', 'stop']);
  });

  it('loads partition rules in its namespace when it runs, keeps them for its next boot when it does not, and says when nft refuses', async () => {
    const { node: n, container, launched } = node();
    expect(await n.applyRules('RULES-0')).toBe('kept'); // before start: no container yet
    const events: boolean[] = [];
    n.namespaceListener = async (fresh) => void events.push(fresh);
    await n.start();
    expect(launched[0]!.find((file) => file.path === RULES_PATH)?.content).toBe('RULES-0');
    expect(await n.applyRules('RULES-1')).toBe('applied');
    expect(container.calls.at(-1)).toBe('exec sh -c');
    await n.pause();
    container.execAnswer = undefined;
    expect(await n.applyRules('RULES-2')).toBe('kept');
    expect(container.files.get(RULES_PATH)).toBe('RULES-2');
    await n.resume();
    container.execAnswer = { exitCode: 1, output: 'Error: Could not process rule: Operation not permitted\n' };
    expect(await n.applyRules('RULES-3')).toEqual({ failed: 'nft exited 1: Error: Could not process rule: Operation not permitted' });
    // Told when its namespace is new (a start) and when it runs again (a resume).
    expect(events).toEqual([true, false]);
  });

  it('reaches clients through its client port and the harness through the published port, with the run password', () => {
    const { node: n } = node();
    n.clientPort = 20001;
    expect(n.endpoint()).toEqual({ host: '127.0.0.1', port: 20001, user: 'faultline', password: 'pw', database: 'faultline' });
    expect(n.adminConfig()).toMatchObject({ host: '127.0.0.1', port: 15432, password: 'pw' });
    expect(n.selfAddress()).toEqual({ host: 'replica1', port: 5432 });
    expect(n.provider).toBe('containers');
  });
});
