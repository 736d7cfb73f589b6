import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findPgBinaries } from '../../topologies/postgres/local/pg-binaries.ts';
import { serverUser } from '../../topologies/postgres/local/server-user.ts';

// What `faultline doctor` checks: each engine and provider faultline can use, whether it works
// on this machine now, and if not, why and how to get it. Every answer comes from trying the real
// thing (running the binary, asking the Docker engine), never from guessing.

export type ProbeStatus = 'ok' | 'missing' | 'unusable';

export interface ProbeResult {
  readonly name: string;
  readonly status: ProbeStatus;
  readonly detail: string;
  /** What to do when it is not ok. */
  readonly fix?: string;
}

/** Runs a command; resolves to its output or undefined when it cannot run or fails. */
export type Runner = (command: string, args: readonly string[]) => Promise<{ ok: boolean; output: string }>;

const exec = promisify(execFile);
export const realRunner: Runner = async (command, args) => {
  try {
    const { stdout, stderr } = await exec(command, [...args], { timeout: 10_000 });
    return { ok: true, output: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') return { ok: false, output: '' };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || 'not found' };
  }
};

const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';
const exists = (path: string) => access(path).then(() => true, () => false);

async function postgres(): Promise<ProbeResult[]> {
  try {
    const bin = await findPgBinaries();
    const lib = join(bin.binDir, '..', 'lib');
    const extension = async (name: string, so: string): Promise<ProbeResult> =>
      (await exists(join(lib, so)))
        ? { name, status: 'ok', detail: join(lib, so) }
        : { name, status: 'missing', detail: `no ${so} in ${lib}`, fix: `apt-get install -y postgresql-${bin.major}-${name}` };
    let user: ProbeResult;
    try {
      const who = serverUser();
      user = { name: 'local processes', status: 'ok', detail: `servers run as ${who.name}${who.switched ? ' (the harness is root)' : ''}` };
    } catch (error) {
      user = { name: 'local processes', status: 'unusable', detail: (error as Error).message, fix: 'useradd --system postgres' };
    }
    return [
      { name: 'postgresql', status: 'ok', detail: `PostgreSQL ${bin.version} in ${bin.binDir}` },
      await extension('pglogical', 'pglogical.so'),
      await extension('plproxy', 'plproxy.so'),
      user,
    ];
  } catch (error) {
    return [
      { name: 'postgresql', status: 'missing', detail: (error as Error).message, fix: 'apt-get install -y postgresql-15 (Debian), or set FAULTLINE_PG_BINDIR' },
    ];
  }
}

async function docker(run: Runner): Promise<ProbeResult> {
  const client = await run('docker', ['--version']);
  if (!client.ok) return { name: 'docker', status: 'missing', detail: 'no docker command', fix: 'install Docker Engine; container providers (testcontainers) need it' };
  const engine = await run('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (engine.ok && engine.output) return { name: 'docker', status: 'ok', detail: `engine ${firstLine(engine.output)} (${firstLine(client.output)})` };
  return {
    name: 'docker',
    status: 'unusable',
    detail: `${firstLine(client.output)} is only a client here: no engine answers (${firstLine(engine.output) || 'docker info failed'})`,
    fix: 'start a Docker engine (or point DOCKER_HOST at one); the local-process provider needs none',
  };
}

async function binary(run: Runner, name: string, args: readonly string[], fix: string): Promise<ProbeResult> {
  const result = await run(name, args);
  if (result.ok) return { name, status: 'ok', detail: firstLine(result.output) };
  return { name, status: 'missing', detail: `no ${name} on PATH`, fix };
}

/** failover.mode patroni: Patroni and etcd, each run once for its version. */
async function patroni(run: Runner): Promise<ProbeResult[]> {
  const fix = 'apt-get install -y patroni etcd-server (only failover.mode patroni needs them; .ci/setup installs them on Debian as root)';
  const [manager, store] = await Promise.all([run(process.env.FAULTLINE_PATRONI ?? 'patroni', ['--version']), run(process.env.FAULTLINE_ETCD ?? 'etcd', ['--version'])]);
  return [
    manager.ok ? { name: 'patroni', status: 'ok', detail: firstLine(manager.output) } : { name: 'patroni', status: 'missing', detail: 'no patroni on PATH', fix },
    store.ok ? { name: 'etcd', status: 'ok', detail: firstLine(store.output) } : { name: 'etcd', status: 'missing', detail: 'no etcd on PATH', fix },
  ];
}

export async function runProbes(run: Runner = realRunner): Promise<ProbeResult[]> {
  const mongo = 'install MongoDB (mongod and mongos) from MongoDB\'s packages, or run the MongoDB scenarios with Docker';
  return [
    ...(await postgres()),
    ...(await patroni(run)),
    await docker(run),
    await binary(run, 'mongod', ['--version'], mongo),
    await binary(run, 'mongos', ['--version'], mongo),
    await binary(run, 'chromium', ['--version'], 'apt-get install -y chromium (only the browser test of report.html needs it)'),
  ];
}
