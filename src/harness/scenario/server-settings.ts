import { z } from 'zod';

// A scenario file is data that researchers and students pass around: opening one must never make
// the machine run a program, load a library, open a network port or write outside the run. The
// PostgreSQL settings a scenario may give therefore go through an allow-list: settings that shape
// performance, durability, replication timing, locking, vacuum and logging verbosity. Everything
// else is refused by name, and the settings that would run programs or open the network say why.

/** Settings that run programs, load code, open the network or touch files outside the run. */
export const REFUSED_PG_SETTINGS: Readonly<Record<string, string>> = {
  archive_command: 'runs a shell command on the machine for every WAL segment',
  archive_library: 'loads a shared library into the server',
  archive_cleanup_command: 'runs a shell command on the machine',
  restore_command: 'runs a shell command on the machine',
  recovery_end_command: 'runs a shell command on the machine',
  ssl_passphrase_command: 'runs a shell command on the machine',
  listen_addresses: 'opens the server to the network (faultline servers listen on 127.0.0.1 only)',
  port: 'the harness picks every port itself',
  unix_socket_directories: 'the harness keeps each socket in a private directory of the run',
  unix_socket_group: 'the harness keeps each socket private to the run',
  unix_socket_permissions: 'the harness keeps each socket private to the run',
  shared_preload_libraries: 'loads shared libraries into every server process',
  local_preload_libraries: 'loads shared libraries into every session',
  session_preload_libraries: 'loads shared libraries into every session',
  dynamic_library_path: 'chooses where shared libraries are loaded from',
  jit_provider: 'loads a shared library into the server',
  data_directory: 'the harness owns each node’s data directory',
  config_file: 'the harness writes each node’s configuration',
  hba_file: 'the harness writes each node’s client authentication (loopback, per-run password)',
  ident_file: 'the harness writes each node’s client authentication',
  external_pid_file: 'writes a file outside the run',
  log_directory: 'writes files outside the run',
  logging_collector: 'the harness collects each node’s log itself',
  krb_server_keyfile: 'reads a key file from the machine',
  ssl: 'TLS needs key and certificate files from the machine',
  ssl_cert_file: 'reads a file from the machine',
  ssl_key_file: 'reads a file from the machine',
  ssl_ca_file: 'reads a file from the machine',
  ssl_crl_file: 'reads a file from the machine',
  ssl_crl_dir: 'reads files from the machine',
  ssl_dh_params_file: 'reads a file from the machine',
  primary_conninfo: 'opens a connection to any host; the topology sets each standby’s upstream',
  primary_slot_name: 'the topology sets each standby’s upstream',
  promote_trigger_file: 'watches a file outside the run',
  include: 'reads another configuration file from the machine',
  include_dir: 'reads configuration files from the machine',
  include_if_exists: 'reads another configuration file from the machine',
  password_encryption: 'the harness authenticates with SCRAM and a per-run password',
  synchronous_standby_names: 'set by topology.replication and topology.syncCount, so the report says what ran',
  wal_level: 'the topology needs its own (replica, or logical for pglogical and subscriptions)',
  hot_standby: 'the topology needs readable replicas',
  wal_log_hints: 'pg_rewind needs it on to bring an old primary back',
  full_page_writes: 'pg_rewind needs it on to bring an old primary back',
  dynamic_shared_memory_type: 'the harness keeps shared memory inside the run (a killed server must not leak it)',
};

/** Settings a scenario may give (values are checked by PostgreSQL itself when the node starts). */
const ALLOWED_PG_SETTINGS = new Set([
  // memory
  'shared_buffers', 'work_mem', 'maintenance_work_mem', 'autovacuum_work_mem', 'temp_buffers', 'effective_cache_size',
  'huge_pages', 'logical_decoding_work_mem', 'hash_mem_multiplier',
  // connections and timeouts
  'max_connections', 'superuser_reserved_connections', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
  'idle_session_timeout', 'deadlock_timeout', 'tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count',
  'tcp_user_timeout', 'client_connection_check_interval', 'authentication_timeout',
  // durability and WAL
  'synchronous_commit', 'fsync', 'wal_sync_method', 'wal_buffers', 'wal_writer_delay', 'wal_writer_flush_after', 'commit_delay',
  'commit_siblings', 'wal_compression', 'wal_init_zero', 'wal_recycle', 'checkpoint_timeout', 'checkpoint_completion_target',
  'checkpoint_flush_after', 'checkpoint_warning', 'max_wal_size', 'min_wal_size', 'wal_keep_size', 'max_slot_wal_keep_size',
  'wal_skip_threshold',
  // replication timing
  'wal_sender_timeout', 'wal_receiver_timeout', 'wal_receiver_status_interval', 'wal_retrieve_retry_interval',
  'hot_standby_feedback', 'max_standby_streaming_delay', 'max_standby_archive_delay', 'recovery_min_apply_delay',
  'max_wal_senders', 'max_replication_slots', 'max_logical_replication_workers', 'max_sync_workers_per_subscription',
  'track_commit_timestamp',
  // workers
  'max_worker_processes', 'max_parallel_workers', 'max_parallel_workers_per_gather', 'max_parallel_maintenance_workers',
  // locks and transactions
  'max_locks_per_transaction', 'max_pred_locks_per_transaction', 'max_pred_locks_per_relation', 'max_pred_locks_per_page',
  'max_prepared_transactions', 'default_transaction_isolation', 'default_transaction_read_only', 'vacuum_defer_cleanup_age',
  'old_snapshot_threshold',
  // planner
  'random_page_cost', 'seq_page_cost', 'cpu_tuple_cost', 'cpu_index_tuple_cost', 'cpu_operator_cost', 'parallel_setup_cost',
  'parallel_tuple_cost', 'effective_io_concurrency', 'maintenance_io_concurrency', 'default_statistics_target', 'jit',
  'jit_above_cost', 'jit_inline_above_cost', 'jit_optimize_above_cost', 'from_collapse_limit', 'join_collapse_limit',
  'geqo', 'geqo_threshold', 'plan_cache_mode', 'constraint_exclusion',
  // vacuum and background writer
  'autovacuum', 'vacuum_cost_delay', 'vacuum_cost_limit', 'vacuum_cost_page_hit', 'vacuum_cost_page_miss',
  'vacuum_cost_page_dirty', 'vacuum_freeze_min_age', 'vacuum_freeze_table_age', 'bgwriter_delay', 'bgwriter_lru_maxpages',
  'bgwriter_lru_multiplier', 'bgwriter_flush_after', 'backend_flush_after',
  // statistics and logging verbosity (into the node's own log, which the harness collects)
  'track_activities', 'track_counts', 'track_io_timing', 'track_wal_io_timing', 'track_functions', 'track_activity_query_size',
  'log_min_messages', 'log_min_error_statement', 'log_min_duration_statement', 'log_min_duration_sample',
  'log_statement_sample_rate', 'log_transaction_sample_rate', 'log_statement', 'log_lock_waits', 'log_checkpoints',
  'log_connections', 'log_disconnections', 'log_replication_commands', 'log_autovacuum_min_duration', 'log_temp_files',
  'log_recovery_conflict_waits', 'log_duration', 'log_error_verbosity',
]);
/** Families of allowed settings, by prefix: the planner's enable_* switches and autovacuum_* tuning. */
const ALLOWED_PG_PREFIXES = ['enable_', 'autovacuum_'];

/** Why a scenario may not set `name`, or undefined when it may. */
export function pgSettingProblem(name: string): string | undefined {
  const refused = REFUSED_PG_SETTINGS[name];
  if (refused !== undefined) return `a scenario cannot set ${name}: it ${refused.startsWith('the ') ? `is refused (${refused})` : refused}`;
  if (ALLOWED_PG_SETTINGS.has(name) || ALLOWED_PG_PREFIXES.some((prefix) => name.startsWith(prefix))) return undefined;
  return `${name} is not among the settings a scenario may change (memory, WAL, replication timing, locks, planner, vacuum, logging verbosity; see README "What a scenario can make the machine do")`;
}

export function isAllowedPgSetting(name: string): boolean {
  return pgSettingProblem(name) === undefined;
}

/** Tab, newline and other control characters in a value would end the line in postgresql.conf and start another setting. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const SettingValue = z.union([
  z.string().max(1024).refine((value) => !CONTROL.test(value), { message: 'a setting value cannot hold control characters (a newline would start another setting)' }),
  z.number(),
  z.boolean(),
]);

/** The `settings` field of every PostgreSQL topology. */
export const PgSettings = z
  .record(z.string().regex(/^[a-z_][a-z0-9_.]*$/, 'a postgresql.conf parameter name'), SettingValue)
  .superRefine((settings, ctx) => {
    for (const name of Object.keys(settings)) {
      const problem = pgSettingProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  })
  .default({})
  .meta({
    description:
      'extra postgresql.conf settings for every node, from an allow-list (memory, WAL, replication timing, locks, planner, vacuum, ' +
      'logging verbosity); settings that run programs, load libraries, open the network or name files are refused',
  });

// mongod parameters: none runs a program, but some name files, hosts or key material.
const REFUSED_MONGO_PARAMETER = /(path|dir|directory|file|command|host|server|url|uri|ldap|tls|ssl|openssl|kmip|audit|keyfile|proxy|bind)/i;

/** Why a scenario may not set the mongod parameter `name`, or undefined when it may. */
export function mongoParameterProblem(name: string): string | undefined {
  if (!REFUSED_MONGO_PARAMETER.test(name)) return undefined;
  return `a scenario cannot set ${name}: parameters that name files, hosts, key material or network endpoints are refused (a scenario file must not reach outside the run)`;
}

/** What faultline gives every PostgreSQL node unless settings.max_connections says otherwise (pg-config.ts). */
export const DEFAULT_MAX_CONNECTIONS = 200;
/** Connections the harness itself keeps on a node: samplers, the failover monitor, checks, superusers' reserve. */
const HARNESS_CONNECTIONS = 20;

interface ConnectionScenario {
  readonly topology: { readonly kind: string; readonly settings?: Readonly<Record<string, unknown>> };
  readonly workload: { readonly loop: { readonly kind: 'closed'; readonly concurrency: number } | { readonly kind: 'open'; readonly connections: number } };
}

/**
 * Every client worker holds a write and a read connection, which may both land on one node
 * (the primary, or the coordinator whose postgres_fdw opens as many on each shard). More than
 * the node's max_connections fail as "too many clients" from the first second, which would be
 * measured as an outage the servers never had.
 */
export function connectionProblems(scenario: ConnectionScenario): [(string | number)[], string][] {
  const { topology, workload } = scenario;
  if (!topology.kind.startsWith('pg-')) return [];
  const configured = topology.settings?.max_connections;
  const max = typeof configured === 'number' ? configured : Number(configured ?? DEFAULT_MAX_CONNECTIONS);
  if (!Number.isFinite(max)) return [];
  const loop = workload.loop;
  const workers = loop.kind === 'closed' ? loop.concurrency : loop.connections;
  const need = 2 * workers + HARNESS_CONNECTIONS;
  if (need <= max) return [];
  const field = loop.kind === 'closed' ? 'concurrency' : 'connections';
  return [[
    ['workload', 'loop', field],
    `${workers} workers open up to ${need} connections on one node (a write and a read connection each, and ${HARNESS_CONNECTIONS} for the harness), ` +
      `above its max_connections ${max}: use at most ${Math.floor((max - HARNESS_CONNECTIONS) / 2)} workers, or set topology.settings.max_connections to at least ${need}`,
  ]];
}
