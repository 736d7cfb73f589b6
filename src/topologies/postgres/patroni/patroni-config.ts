import type { PatroniSettings } from '../../../harness/scenario/patroni-schema.ts';
import { baseSettings, type PgSettings, type PgSettingValue } from '../local/pg-config.ts';
import { TEMPLATE_USER } from '../local/pg-template.ts';

// One member's Patroni configuration. It is written as JSON, which is YAML too: no YAML reading
// of `off` as false (watchdog mode), no quoting rules to get right for a password.

export interface PatroniMemberConfig {
  /** The cluster's scope: new for every run, so no key of an earlier run in etcd can matter. */
  readonly scope: string;
  readonly name: string;
  readonly restPort: number;
  /** Where the other members reach this member's REST API (a proxy link's port, or restPort). */
  readonly restAdvertisedPort: number;
  readonly pgPort: number;
  /** Where the other members reach this member's PostgreSQL: replication and pg_rewind (a link's port, or pgPort). */
  readonly pgAdvertisedPort: number;
  /** This member's etcd client endpoints as it reaches them: its own member first. */
  readonly etcdHosts: readonly string[];
  readonly dataDir: string;
  readonly socketDir: string;
  readonly binDir: string;
  readonly pgpass: string;
  readonly password: string;
  /** Where the REST API and PostgreSQL listen: 127.0.0.1 (local processes) or 0.0.0.0 inside a container, published on 127.0.0.1 only. */
  readonly listenHost?: string;
  /** The host other members reach this one at: 127.0.0.1, or the node's name on the run's Docker network. */
  readonly advertisedHost?: string;
  /** pg_hba lines when Patroni writes pg_hba.conf itself (a container's data directory made by Patroni's initdb). */
  readonly pgHba?: readonly string[];
}

export interface PatroniClusterSettings {
  readonly patroni: PatroniSettings;
  readonly replication: 'async' | 'sync' | 'remote_apply' | 'quorum';
  readonly syncCount: number;
  /** The scenario's server settings (already checked against the allow-list). */
  readonly settings: PgSettings;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** The settings every member shares, which Patroni keeps in etcd (bootstrap.dcs). */
function clusterParameters(cluster: PatroniClusterSettings): Record<string, PgSettingValue> {
  // Patroni sets listen_addresses and port from postgresql.listen, and owns the replication
  // settings (primary_conninfo, synchronous_standby_names): leave those out.
  const { listen_addresses: _l, port: _p, unix_socket_directories: _u, ...base } = baseSettings(0, '');
  return {
    ...base,
    ...cluster.settings,
    ...(cluster.replication === 'remote_apply' ? { synchronous_commit: 'remote_apply' } : {}),
  };
}

export function patroniConfig(member: PatroniMemberConfig, cluster: PatroniClusterSettings): Record<string, unknown> {
  const { patroni } = cluster;
  const synchronous = cluster.replication !== 'async';
  const credentials = { username: TEMPLATE_USER, password: member.password };
  const listen = member.listenHost ?? '127.0.0.1';
  const advertised = member.advertisedHost ?? '127.0.0.1';
  return {
    scope: member.scope,
    namespace: '/service/',
    name: member.name,
    log: { level: 'INFO', format: '%(asctime)s patroni %(levelname)s: %(message)s' },
    restapi: { listen: `${listen}:${member.restPort}`, connect_address: `${advertised}:${member.restAdvertisedPort}` },
    // etcd 3.4 serves only the v3 API: Patroni's etcd3 section. use_proxies: talk to exactly these
    // endpoints (each through its link), never to the addresses the members advertise.
    etcd3: { hosts: [...member.etcdHosts], use_proxies: true },
    bootstrap: {
      // Used only where Patroni initialises the data directory itself (containers: local members start from the run's template).
      initdb: [{ encoding: 'UTF8' }],
      dcs: {
        ttl: seconds(patroni.ttl),
        loop_wait: seconds(patroni.loopWait),
        retry_timeout: seconds(patroni.retryTimeout),
        maximum_lag_on_failover: patroni.maximumLagOnFailover,
        synchronous_mode: synchronous,
        synchronous_mode_strict: synchronous && patroni.synchronousModeStrict,
        synchronous_node_count: cluster.syncCount,
        postgresql: { use_pg_rewind: true, use_slots: true, parameters: clusterParameters(cluster) },
      },
    },
    postgresql: {
      listen: `${listen}:${member.pgPort}`,
      connect_address: `${advertised}:${member.pgAdvertisedPort}`,
      data_dir: member.dataDir,
      bin_dir: member.binDir,
      pgpass: member.pgpass,
      // Patroni's own connections go through the private socket (trust there), never over TCP.
      use_unix_socket: true,
      use_unix_socket_repl: true,
      authentication: { superuser: credentials, replication: credentials, rewind: credentials },
      parameters: { unix_socket_directories: member.socketDir },
      ...(member.pgHba ? { pg_hba: [...member.pgHba] } : {}),
      // A member cloned by Patroni (a container's replica, a former leader that could not be
      // rewound): without it pg_basebackup waits for a spread checkpoint, 90 s and more here.
      basebackup: [{ checkpoint: 'fast' }],
      // A former leader that cannot be rewound is cloned again rather than left out of the cluster.
      remove_data_directory_on_rewind_failure: true,
      remove_data_directory_on_diverged_timelines: true,
    },
    // No watchdog device here; quoted in YAML terms, since a bare off would read as false.
    watchdog: { mode: 'off' },
  };
}
