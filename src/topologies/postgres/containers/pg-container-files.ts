import { baseSettings, conninfo, type PgSettings } from '../local/pg-config.ts';
import { TEMPLATE_DATABASE, TEMPLATE_USER } from '../local/pg-template.ts';

// The files faultline puts into a PostgreSQL container, and the boot script that reads them.
// Configuration lives outside the data directory (config_file, hba_file), so pg_rewind and
// pg_basebackup, which overwrite the data directory's own files, never touch it.

export const PG_PORT = 5432;
/** The image's socket directory (docker-entrypoint.sh creates it for the postgres user). */
export const SOCKET_DIR = '/var/run/postgresql';

export const DIR = '/faultline';
export const BOOT_SCRIPT = `${DIR}/boot.sh`;
export const CONFIG_PATH = `${DIR}/postgresql.conf`;
export const HBA_PATH = `${DIR}/pg_hba.conf`;
/** "primary" or "standby": whether the server boots with standby.signal. */
export const ROLE_PATH = `${DIR}/role`;
/** A copy order for the next boot: see copyOrder. Removed by the boot script once done. */
export const COPY_PATH = `${DIR}/copy`;
/** Partition rules (nftables) for the node's network namespace, loaded at every boot before the server starts. */
export const RULES_PATH = `${DIR}/rules.nft`;
/** Secrets, root-only as copied in; the boot script gives the passfile to the postgres user. */
export const PASSWORD_SOURCE = `${DIR}/password`;
export const PASSFILE_SOURCE = `${DIR}/pgpass.src`;
/** The passfile the server (walreceiver, pg_rewind, pg_basebackup) uses to reach its peers. */
export const PASSFILE = `${DIR}/pgpass`;

export interface ContainerFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/** The image's environment: no secret in it (the password comes from a file, as Docker secrets do). */
export function pgContainerEnvironment(): Record<string, string> {
  return {
    POSTGRES_USER: TEMPLATE_USER,
    POSTGRES_PASSWORD_FILE: PASSWORD_SOURCE,
    POSTGRES_DB: TEMPLATE_DATABASE,
  };
}

/** Inside the container the run's network is the only way in; the published port is bound by Docker. */
export function containerServerSettings(): PgSettings {
  return {
    ...baseSettings(PG_PORT, SOCKET_DIR),
    listen_addresses: '*',
    // Crash recovery first fsyncs every file of the data directory one by one, which on a Docker
    // volume under load took 3-4 s of every restart after a kill; syncfs is one call per filesystem.
    recovery_init_sync_method: 'syncfs',
  };
}

export const CONTAINER_HBA = [
  '# Written by faultline. Local connections come only from inside the container; TCP (peers on the',
  "# run's network, the harness through the port Docker publishes) needs the per-run password.",
  'local   all          all                trust',
  'local   replication  all                trust',
  'host    all          all   all          scram-sha-256',
  'host    replication  all   all          scram-sha-256',
  '',
].join('\n');

/** How a container reaches another one of the run: by its name on the run's network. */
export function peerConninfo(peer: string): string {
  return conninfo({ host: peer, port: PG_PORT, user: TEMPLATE_USER, dbname: TEMPLATE_DATABASE, passfile: PASSFILE, connect_timeout: 5 });
}

/**
 * What the next boot copies before the server starts: a base backup of `source` into an empty
 * data directory (a replica's first boot), or a rewind of a former primary to `source` (a fresh
 * base backup when pg_rewind fails). One line each: mode, slot, conninfo.
 */
export function copyOrder(mode: 'basebackup' | 'rewind', slot: string, source: string): string {
  return `${mode}\n${slot}\n${peerConninfo(source)}\n`;
}

export function secretFiles(password: string): ContainerFile[] {
  return [
    { path: PASSWORD_SOURCE, content: `${password}\n`, mode: 0o600 },
    { path: PASSFILE_SOURCE, content: `*:*:*:${TEMPLATE_USER}:${password}\n`, mode: 0o600 },
  ];
}

/** The command a container runs: the boot script, which hands over to the image's entrypoint. */
export function pgContainerCommand(): string[] {
  return ['bash', BOOT_SCRIPT];
}

// Runs as root at every start of the container (first start, restart after kill or stop). It ends
// by exec'ing the image's entrypoint, which initialises an empty data directory (the primary's
// first boot) and execs postgres as PID 1, so docker kill and docker pause hit the postmaster.
export const BOOT = `#!/bin/bash
set -euo pipefail
install -m 600 -o postgres -g postgres ${PASSFILE_SOURCE} ${PASSFILE}
as_pg() { gosu postgres "$@"; }
if [ -s ${COPY_PATH} ]; then
  { read -r mode; read -r slot; read -r source; } < ${COPY_PATH}
  basebackup() {
    install -d -m 700 -o postgres -g postgres "$PGDATA"
    find "$PGDATA" -mindepth 1 -delete
    as_pg pg_basebackup -D "$PGDATA" -d "$source" -X stream -c fast \${slot:+-S "$slot"}
  }
  # The source is a peer on the run's network: a partition still in force, or a name the engine's
  # DNS does not serve yet just after a restart, would fail both copies at once and leave the node
  # down. Wait for it (bounded); the node's start waits as long anyway.
  for _ in $(seq 60); do as_pg pg_isready -q -t 2 -d "$source" && break; sleep 1; done
  if [ "$mode" = rewind ] && [ -s "$PGDATA/PG_VERSION" ]; then
    echo "faultline: rewinding to the new primary"
    # --config-file: a killed primary needs crash recovery first, which pg_rewind runs in
    # single-user mode; without faultline's config that recovery turns wal_log_hints off in
    # pg_control, and pg_rewind then refuses the target.
    if as_pg pg_rewind --target-pgdata="$PGDATA" --source-server="$source" --config-file=${CONFIG_PATH}; then
      echo "faultline: rewound"
    else
      echo "faultline: pg_rewind failed, taking a base backup"; basebackup
    fi
  elif [ "$mode" = basebackup ] || [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "faultline: taking a base backup"
    basebackup
  fi
  rm -f ${COPY_PATH}
fi
if [ -s "$PGDATA/PG_VERSION" ]; then
  if [ "$(cat ${ROLE_PATH})" = standby ]; then as_pg touch "$PGDATA/standby.signal"; else rm -f "$PGDATA/standby.signal"; fi
fi
# A partition in force when the node went down holds from its first packet on (the run's network faults).
if [ -s ${RULES_PATH} ]; then nft -f ${RULES_PATH} || echo "faultline: could not load the partition rules (nft)"; fi
exec docker-entrypoint.sh postgres -c config_file=${CONFIG_PATH} -c hba_file=${HBA_PATH}
`;

/** Files every container gets when it is created; the node adds its config and role. */
export function fixedFiles(password: string): ContainerFile[] {
  return [
    { path: BOOT_SCRIPT, content: BOOT, mode: 0o755 },
    { path: HBA_PATH, content: CONTAINER_HBA, mode: 0o644 },
    ...secretFiles(password),
  ];
}
