import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { findPgBinaries } from '../../topologies/postgres/local/pg-binaries.ts';
import { serverUser } from '../../topologies/postgres/local/server-user.ts';
import { firstLine, type ProbeResult, type Runner } from '../doctor-probe.ts';

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

/** failover.mode patroni: Patroni and etcd, each run once for its version. */
async function patroni(run: Runner): Promise<ProbeResult[]> {
  const fix = "apt-get install -y patroni etcd-server (only failover.mode patroni on local processes needs them: in containers faultline's image carries its own; .ci/setup installs them on Debian as root)";
  const [manager, store] = await Promise.all([run(process.env.FAULTLINE_PATRONI ?? 'patroni', ['--version']), run(process.env.FAULTLINE_ETCD ?? 'etcd', ['--version'])]);
  return [
    manager.ok ? { name: 'patroni', status: 'ok', detail: firstLine(manager.output) } : { name: 'patroni', status: 'missing', detail: 'no patroni on PATH', fix },
    store.ok ? { name: 'etcd', status: 'ok', detail: firstLine(store.output) } : { name: 'etcd', status: 'missing', detail: 'no etcd on PATH', fix },
  ];
}

/** PostgreSQL (+ pglogical, plproxy), the local-process provider's server user, Patroni and etcd. */
export async function pgDoctorProbes(run: Runner): Promise<ProbeResult[]> {
  return [...(await postgres()), ...(await patroni(run))];
}
