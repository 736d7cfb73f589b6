import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { containerServerSettings, CONTAINER_HBA, fixedFiles, pgContainerEnvironment, PASSWORD_SOURCE } from '../../../src/topologies/postgres/containers/pg-container-files.ts';
import { pgContainerName } from '../../../src/topologies/postgres/containers/container-pg-provider.ts';
import { runCli } from '../cli/run-cli.ts';

// Which PostgreSQL scenarios the containers provider takes, what a container is given, and what
// `faultline run --provider containers` says on a machine without Docker (this one).

const scenario = (topology: string, provider = '{ kind: containers }', extra = '') =>
  parseScenario(`name: t\ndescription: d\nprovider: ${provider}\ntopology: ${topology}\n${extra}`, 't.yaml');

describe('PostgreSQL scenarios on the containers provider', () => {
  it('accepts pg-single-leader with automatic failover, kills and partitions', () => {
    expect(() =>
      scenario(
        '{ kind: pg-single-leader, replicas: 2, replication: sync, failover: { mode: automatic, detectAfter: 2s } }',
        '{ kind: containers, version: "16" }',
        'faults:\n  - { kind: kill, target: primary, at: 2s, duration: 2s }\n  - { kind: partition, between: [primary, replicas], at: 5s, duration: 2s }\n',
      ),
    ).not.toThrow();
  });

  it('takes pg-partitioned (coordinator, shards, 2PC) and pg-regional-central as they run locally', () => {
    const checks = 'checks: [lost-writes, atomicity]\n';
    expect(() => scenario('{ kind: pg-partitioned, shards: 3, distributedCommit: 2pc }', '{ kind: containers }', checks)).not.toThrow();
    expect(() => scenario('{ kind: pg-partitioned }', '{ kind: local }', checks)).not.toThrow();
  });

  it('takes a latency matrix between regions for PostgreSQL topologies (distances go on proxy links)', () => {
    const regions = 'regions:\n  us-east: { clients: 1 }\n  eu-west: { clients: 1 }\nlatency:\n  - { between: [us-east, eu-west], delay: 40ms }\n';
    expect(() => scenario('{ kind: pg-multi-leader, leaders: [us-east, eu-west] }', '{ kind: containers }', regions)).not.toThrow();
  });

  it('takes pg-multi-leader with no image named (faultline\'s own image has pglogical), or with one that is named', () => {
    expect(() => scenario('{ kind: pg-multi-leader }')).not.toThrow();
    expect(() => scenario('{ kind: pg-multi-leader }', '{ kind: containers, image: my/postgres-pglogical, version: "15" }')).not.toThrow();
  });

  it('takes a pull policy and refuses one that is not never, missing or always', () => {
    expect(() => scenario('{ kind: pg-single-leader }', '{ kind: containers, pull: missing }')).not.toThrow();
    expect(() => scenario('{ kind: pg-single-leader }', '{ kind: containers, pull: sometimes }')).toThrow(/provider\.pull/);
  });

  it('still refuses what containers cannot do: latency between nodes (no netem); takes it on client links, and bandwidth and reset anywhere', () => {
    expect(() => scenario('{ kind: pg-single-leader }', '{ kind: containers }', 'faults:\n  - { kind: latency, between: [primary, replicas], delay: 50ms, at: 1s }\n')).toThrow(
      /containers provider cannot apply latency between nodes/,
    );
    const taken = [
      '  - { kind: latency, between: [clients, primary], delay: 50ms, at: 1s }',
      '  - { kind: bandwidth, between: [primary, replicas], bytesPerSecond: 10000, at: 1s }',
      '  - { kind: reset, target: primary, at: 1s }',
    ];
    for (const fault of taken) expect(() => scenario('{ kind: pg-single-leader }', '{ kind: containers }', `faults:\n${fault}\n`)).not.toThrow();
  });
});

describe('what a PostgreSQL container is given', () => {
  it('keeps the password out of the environment and the config: only root-only files carry it', () => {
    const env = pgContainerEnvironment();
    expect(env).toEqual({ POSTGRES_USER: 'faultline', POSTGRES_PASSWORD_FILE: PASSWORD_SOURCE, POSTGRES_DB: 'faultline' });
    const carrying = fixedFiles('s3cret-pw').filter((file) => file.content.includes('s3cret-pw'));
    expect(carrying.map((file) => [file.path, file.mode])).toEqual([
      ['/faultline/password', 0o600],
      ['/faultline/pgpass.src', 0o600],
    ]);
  });

  it('listens inside the container on every interface of the run network, SCRAM for every TCP login, replication included', () => {
    expect(containerServerSettings()).toMatchObject({ listen_addresses: '*', port: 5432, password_encryption: 'scram-sha-256', wal_log_hints: true });
    expect(CONTAINER_HBA).toMatch(/^host\s+replication\s+all\s+all\s+scram-sha-256$/m);
    expect(CONTAINER_HBA).not.toMatch(/^host.*trust/m);
  });

  it('names containers after the run and the node, in characters Docker accepts', () => {
    expect(pgContainerName('2026-01-01T10:00:00Z-ab', 'us-east')).toBe('faultline-2026-01-01T10-00-00Z-ab-us-east');
  });
});

describe('faultline run --provider containers on this machine', () => {
  it('exits 2 before anything starts when no Docker engine answers, pointing at faultline doctor', () => {
    const docker = spawnSync('docker', ['info'], { stdio: 'ignore' });
    if (docker.error === undefined && docker.status === 0) return;
    const result = runCli(['run', 'scenarios/quickstart.yaml', '--provider', 'containers', '--out', '/nonexistent/reports']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/quickstart: the containers provider needs a Docker engine.*faultline doctor/);
  });
});
