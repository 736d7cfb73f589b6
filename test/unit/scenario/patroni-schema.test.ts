import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/harness/scenario/parse-scenario.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';
import { patroniConfig } from '../../../src/topologies/postgres/patroni/patroni-config.ts';

const patroni = (failover = '{ mode: patroni }', extra = '') =>
  `name: t\ndescription: d\ntopology: { kind: pg-single-leader, replication: sync, failover: ${failover} }\n${extra}`;

function problems(source: string): string {
  try {
    parseScenario(source, 'inline.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.format();
    throw error;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('failover.mode patroni in a scenario', () => {
  it("takes Patroni's documented defaults: ttl 30 s, loop_wait 10 s, retry_timeout 10 s, 1 MiB of lag, not strict", () => {
    const scenario = parseScenario(patroni(), 'inline.yaml');
    expect(scenario.topology.kind === 'pg-single-leader' && scenario.topology.failover.patroni).toEqual({
      ttl: 30_000,
      loopWait: 10_000,
      retryTimeout: 10_000,
      maximumLagOnFailover: 1_048_576,
      synchronousModeStrict: false,
    });
  });

  it("refuses settings Patroni would refuse or that break its rule loop_wait + 2 x retry_timeout <= ttl", () => {
    expect(problems(patroni('{ mode: patroni, patroni: { ttl: 10s, loopWait: 5s, retryTimeout: 3s } }'))).toMatch(/topology\.failover\.patroni\.ttl: Patroni needs loopWait \+ 2 x retryTimeout <= ttl/);
    expect(problems(patroni('{ mode: patroni, patroni: { ttl: 10500ms } }'))).toMatch(/whole seconds/);
  });

  it('refuses quorum (no counterpart in Patroni 3.0) and failover steps (Patroni decides); takes containers', () => {
    expect(problems(patroni().replace('replication: sync', 'replication: quorum'))).toMatch(/topology\.replication: Patroni 3\.0 has no quorum commit/);
    expect(problems(patroni(undefined, 'faults: [{ kind: failover, at: 1s }]\n'))).toMatch(/faults\[0\]\.kind: Patroni decides failovers itself/);
    expect(() => parseScenario(patroni(undefined, 'provider: { kind: containers }\n'), 'inline.yaml')).not.toThrow();
    expect(problems(patroni(undefined, 'provider: { kind: containers, image: "postgres:15" }\n'))).toMatch(/provider\.image: failover\.mode patroni in containers runs on faultline's own image/);
  });

  it('takes part: manager | store only where a manager and a store run', () => {
    expect(() => parseScenario(patroni(undefined, 'faults: [{ kind: kill, target: primary, at: 1s, part: manager }]\n'), 'inline.yaml')).not.toThrow();
    expect(problems(patroni('{ mode: automatic }', 'faults: [{ kind: pause, target: primary, at: 1s, part: store }]\n'))).toMatch(/faults\[0\]\.part: part store names a process beside the server that only failover\.mode patroni runs/);
  });

  it('maps the replication mode onto synchronous_mode, _strict and synchronous_commit', () => {
    const member = { scope: 's', name: 'n', restPort: 1, restAdvertisedPort: 2, pgPort: 3, pgAdvertisedPort: 4, etcdHosts: ['127.0.0.1:5'], dataDir: '/d', socketDir: '/s', binDir: '/b', pgpass: '/p', password: 'pw' };
    const settings = { ttl: 10_000, loopWait: 2_000, retryTimeout: 3_000, maximumLagOnFailover: 7, synchronousModeStrict: true };
    const dcs = (replication: 'async' | 'sync' | 'remote_apply') =>
      (patroniConfig(member, { patroni: settings, replication, syncCount: 1, settings: {} }).bootstrap as { dcs: Record<string, unknown> }).dcs;
    expect(dcs('async')).toMatchObject({ ttl: 10, loop_wait: 2, retry_timeout: 3, maximum_lag_on_failover: 7, synchronous_mode: false, synchronous_mode_strict: false });
    expect(dcs('sync')).toMatchObject({ synchronous_mode: true, synchronous_mode_strict: true, synchronous_node_count: 1 });
    expect((dcs('remote_apply').postgresql as { parameters: Record<string, unknown> }).parameters.synchronous_commit).toBe('remote_apply');
    // Every listener on loopback; the watchdog mode is the string "off", never YAML's false.
    const config = patroniConfig(member, { patroni: settings, replication: 'async', syncCount: 1, settings: {} });
    expect(config.restapi).toEqual({ listen: '127.0.0.1:1', connect_address: '127.0.0.1:2' });
    expect((config.postgresql as { listen: string }).listen).toBe('127.0.0.1:3');
    expect(config.watchdog).toEqual({ mode: 'off' });
    // In a container: listening in the node's own namespace (Docker publishes on 127.0.0.1 only),
    // advertised by node name on the run's network, pg_hba written by Patroni; clones take a fast checkpoint.
    const inContainer = patroniConfig(
      { ...member, listenHost: '0.0.0.0', advertisedHost: 'replica1', pgHba: ['host all all all scram-sha-256'] },
      { patroni: settings, replication: 'async', syncCount: 1, settings: {} },
    );
    expect(inContainer.restapi).toEqual({ listen: '0.0.0.0:1', connect_address: 'replica1:2' });
    expect(inContainer.postgresql).toMatchObject({ listen: '0.0.0.0:3', connect_address: 'replica1:4', pg_hba: ['host all all all scram-sha-256'], basebackup: [{ checkpoint: 'fast' }] });
    expect(config.postgresql).not.toHaveProperty('pg_hba');
  });
});
