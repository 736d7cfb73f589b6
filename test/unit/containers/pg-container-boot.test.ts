import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOT, copyOrder, DIR } from '../../../src/topologies/postgres/containers/pg-container-files.ts';

// The boot script a PostgreSQL container runs at every start, run here by bash with the image's
// programs (gosu, install, pg_basebackup, pg_rewind, docker-entrypoint.sh) replaced by stubs that
// record their arguments. No server: this checks the script's decisions, not PostgreSQL.

const STUBS: Record<string, string> = {
  gosu: 'echo "gosu $1" >> "$LOG"; shift; exec "$@"',
  install: 'echo "install $*" >> "$LOG"; for a in "$@"; do [ "$a" = -d ] && { mkdir -p "${@: -1}"; exit 0; }; done; cp "${@: -2:1}" "${@: -1}"',
  pg_basebackup: 'echo "pg_basebackup $*" >> "$LOG"; while [ $# -gt 0 ]; do [ "$1" = -D ] && d="$2"; shift; done; echo 15 > "$d/PG_VERSION"; exit "${BASEBACKUP_EXIT:-0}"',
  pg_rewind: 'echo "pg_rewind $*" >> "$LOG"; exit "${REWIND_EXIT:-0}"',
  'docker-entrypoint.sh': 'echo "entrypoint $*" >> "$LOG"',
  pg_isready: 'echo "pg_isready $*" >> "$LOG"; exit "${ISREADY_EXIT:-0}"',
  sleep: 'echo "sleep $*" >> "$LOG"',
};

let root: string;
let faultline: string;
let pgdata: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'faultline-boot-'));
  faultline = join(root, 'faultline');
  pgdata = join(root, 'data');
  mkdirSync(join(root, 'bin'));
  mkdirSync(faultline);
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(root, 'bin', name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(root, 'bin', name), 0o755);
  }
  writeFileSync(join(faultline, 'pgpass.src'), '*:*:*:faultline:pw\n');
  writeFileSync(join(faultline, 'role'), 'primary\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function boot(env: Record<string, string> = {}): { code: number | null; log: string[]; output: string } {
  const script = join(root, 'boot.sh');
  writeFileSync(script, BOOT.replaceAll(DIR, faultline));
  const log = join(root, 'log');
  writeFileSync(log, '');
  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: { PATH: `${join(root, 'bin')}:${process.env.PATH}`, PGDATA: pgdata, LOG: log, ...env },
  });
  return { code: result.status, log: readFileSync(log, 'utf8').trim().split('\n'), output: result.stdout + result.stderr };
}

const existingData = () => {
  mkdirSync(pgdata, { recursive: true });
  writeFileSync(join(pgdata, 'PG_VERSION'), '15\n');
  writeFileSync(join(pgdata, 'old-file'), 'diverged');
};

describe('the PostgreSQL container boot script', () => {
  it("hands an empty data directory to the image's entrypoint (the primary's first boot: initdb) with faultline's config files", () => {
    const { code, log } = boot();
    expect(code).toBe(0);
    expect(log.at(-1)).toBe(`entrypoint postgres -c config_file=${faultline}/postgresql.conf -c hba_file=${faultline}/pg_hba.conf`);
    expect(log.some((line) => line.startsWith('pg_basebackup') || line.startsWith('pg_rewind'))).toBe(false);
    expect(readFileSync(join(faultline, 'pgpass'), 'utf8')).toContain('faultline:pw');
  });

  it("takes a replica's first base backup from its source on its own slot, as postgres, then boots it as a standby", () => {
    writeFileSync(join(faultline, 'copy'), copyOrder('basebackup', 'slot_replica1', 'primary'));
    writeFileSync(join(faultline, 'role'), 'standby\n');
    const { code, log } = boot();
    expect(code).toBe(0);
    const backup = log.find((line) => line.startsWith('pg_basebackup'))!;
    expect(log[log.indexOf(backup) - 1]).toBe('gosu postgres');
    expect(backup).toContain(`-D ${pgdata} -d host='primary' port='5432' user='faultline' dbname='faultline' passfile='/faultline/pgpass'`);
    expect(backup).toContain('-X stream -c fast -S slot_replica1');
    expect(existsSync(join(faultline, 'copy'))).toBe(false);
    expect(existsSync(join(pgdata, 'standby.signal'))).toBe(true);
    expect(log.at(-1)).toMatch(/^entrypoint postgres/);
  });

  it("rewinds a former primary to the new one with faultline's config (its crash recovery keeps wal_log_hints on) and keeps its data directory", () => {
    existingData();
    writeFileSync(join(faultline, 'copy'), copyOrder('rewind', 'slot_primary', 'replica1'));
    writeFileSync(join(faultline, 'role'), 'standby\n');
    const { code, log } = boot();
    expect(code).toBe(0);
    expect(log.find((line) => line.startsWith('pg_rewind'))).toBe(`pg_rewind --target-pgdata=${pgdata} --source-server=host='replica1' port='5432' user='faultline' dbname='faultline' passfile='/faultline/pgpass' connect_timeout='5' --config-file=${faultline}/postgresql.conf`);
    expect(log.some((line) => line.startsWith('pg_basebackup'))).toBe(false);
    expect(existsSync(join(pgdata, 'old-file'))).toBe(true);
    expect(existsSync(join(pgdata, 'standby.signal'))).toBe(true);
    expect(existsSync(join(faultline, 'copy'))).toBe(false);
  });

  it('waits for the copy source to answer before copying (a partition still in force), for a bounded time', () => {
    existingData();
    writeFileSync(join(faultline, 'copy'), copyOrder('rewind', 'slot_primary', 'replica1'));
    const answering = boot();
    expect(answering.log.filter((line) => line.startsWith('pg_isready'))).toHaveLength(1);
    expect(answering.log.find((line) => line.startsWith('pg_isready'))).toContain("host='replica1' port='5432'");
    writeFileSync(join(faultline, 'copy'), copyOrder('rewind', 'slot_primary', 'replica1'));
    const silent = boot({ ISREADY_EXIT: '2' });
    expect(silent.log.filter((line) => line.startsWith('pg_isready'))).toHaveLength(60);
    expect(silent.log.filter((line) => line.startsWith('sleep 1'))).toHaveLength(60);
    // Then it tries anyway: pg_rewind (or the base backup) says what is wrong.
    expect(silent.log.some((line) => line.startsWith('pg_rewind'))).toBe(true);
  });

  it('falls back to a fresh base backup into an emptied data directory when pg_rewind fails', () => {
    existingData();
    writeFileSync(join(faultline, 'copy'), copyOrder('rewind', 'slot_primary', 'replica1'));
    writeFileSync(join(faultline, 'role'), 'standby\n');
    const { code, log, output } = boot({ REWIND_EXIT: '1' });
    expect(code).toBe(0);
    expect(output).toContain('pg_rewind failed, taking a base backup');
    expect(log.find((line) => line.startsWith('pg_basebackup'))).toContain("host='replica1'");
    expect(existsSync(join(pgdata, 'old-file'))).toBe(false);
    expect(existsSync(join(pgdata, 'standby.signal'))).toBe(true);
  });

  it('stops before the server starts when the base backup fails, and keeps the order for the next boot', () => {
    writeFileSync(join(faultline, 'copy'), copyOrder('basebackup', 'slot_replica1', 'primary'));
    const { code, log } = boot({ BASEBACKUP_EXIT: '1' });
    expect(code).not.toBe(0);
    expect(log.some((line) => line.startsWith('entrypoint'))).toBe(false);
    expect(existsSync(join(faultline, 'copy'))).toBe(true);
  });

  it('removes standby.signal when the node boots as a primary (a restarted primary, a promoted replica)', () => {
    existingData();
    writeFileSync(join(pgdata, 'standby.signal'), '');
    const { code } = boot();
    expect(code).toBe(0);
    expect(existsSync(join(pgdata, 'standby.signal'))).toBe(false);
    expect(existsSync(join(pgdata, 'old-file'))).toBe(true);
  });
});
