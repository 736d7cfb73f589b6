// postgresql.conf settings for one node, rendered into faultline.conf inside its data directory
// (the template's postgresql.conf includes it). Kept apart from the command line so that
// ALTER SYSTEM and pg_reload_conf() still work, as failover needs.

export type PgSettingValue = string | number | boolean;
export type PgSettings = Readonly<Record<string, PgSettingValue>>;

export const CONFIG_FILE = 'faultline.conf';

/** Settings every node gets. Chosen for laptops and for faults that resolve in seconds. */
export function baseSettings(port: number, socketDir: string): PgSettings {
  return {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: socketDir,
    max_connections: 200,
    shared_buffers: '128MB',
    // Segments in the data directory, not in /dev/shm: a SIGKILLed server must not leak them.
    dynamic_shared_memory_type: 'mmap',
    password_encryption: 'scram-sha-256',
    wal_level: 'replica',
    max_wal_senders: 20,
    max_replication_slots: 20,
    hot_standby: true,
    hot_standby_feedback: true,
    // pg_rewind needs hint bits WAL-logged, so a crashed old primary can rejoin as a replica.
    wal_log_hints: true,
    full_page_writes: true,
    // An old primary that pg_rewind brings back replays from the last checkpoint before the fork,
    // and takes that WAL from the new primary (pg_rewind keeps only the source's pg_wal). A new
    // primary that had already recycled it ("requested WAL segment ... has already been removed")
    // left the old one starting up for ever: seen in containers under the suite's load.
    wal_keep_size: '512MB',
    // Lag figures every second, not every ten; a dead peer noticed in seconds, not a minute.
    wal_receiver_status_interval: '1s',
    wal_sender_timeout: '10s',
    wal_receiver_timeout: '10s',
    wal_retrieve_retry_interval: '1s',
    logging_collector: false,
    log_line_prefix: '%m [%p] %q%a ',
    log_min_messages: 'warning',
    log_checkpoints: false,
  };
}

function quote(value: PgSettingValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function renderSettings(...layers: PgSettings[]): string {
  const merged: Record<string, PgSettingValue> = {};
  for (const layer of layers) Object.assign(merged, layer);
  const lines = Object.entries(merged).map(([key, value]) => `${key} = ${quote(value)}`);
  return `# Written by faultline for this node; later lines win.\n${lines.join('\n')}\n`;
}

/** libpq conninfo value quoting: single quotes, backslash-escaped. */
export function conninfo(parts: Readonly<Record<string, string | number>>): string {
  return Object.entries(parts)
    .map(([key, value]) => `${key}='${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)
    .join(' ');
}

export const PG_HBA = [
  '# Written by faultline. The socket directory is private (0700), so local trust reaches only',
  '# the harness; TCP is loopback only and needs the per-run password.',
  'local   all          all                 trust',
  'local   replication  all                 trust',
  'host    all          all   127.0.0.1/32  scram-sha-256',
  'host    replication  all   127.0.0.1/32  scram-sha-256',
  '',
].join('\n');
