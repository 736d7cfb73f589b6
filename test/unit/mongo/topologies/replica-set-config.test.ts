import { describe, expect, it } from 'vitest';
import { majorityOf, planMembers, plainMembers, replicaSetConfig } from '../../../../src/topologies/mongo/replica-set/replica-set-config.ts';
import { createUserCommand, replicaSetBootstrap } from '../../../../src/topologies/mongo/replica-set/replica-set-bootstrap.ts';

const spec = { members: 3, priorities: undefined, arbiter: false, hidden: undefined };
const host = (name: string) => `${name}:27017`;

describe('replica-set configuration document', () => {
  it('names three voting members, the first preferred, with a heartbeat twice per election timeout', () => {
    const config = replicaSetConfig('rs0', planMembers(spec), host, 2_000);
    expect(config).toEqual({
      _id: 'rs0',
      members: [
        { _id: 0, host: 'mongo1:27017', priority: 2, votes: 1 },
        { _id: 1, host: 'mongo2:27017', priority: 1, votes: 1 },
        { _id: 2, host: 'mongo3:27017', priority: 1, votes: 1 },
      ],
      settings: { electionTimeoutMillis: 2_000, heartbeatIntervalMillis: 1_000 },
    });
  });

  it('keeps MongoDB’s 2 s heartbeat at the default 10 s election timeout', () => {
    expect(replicaSetConfig('rs0', planMembers(spec), host, 10_000).settings.heartbeatIntervalMillis).toBe(2_000);
  });

  it('takes the scenario’s priorities, adds an arbiter and a hidden delayed member that does not vote', () => {
    const plan = planMembers({ members: 3, priorities: [5, 0, 1], arbiter: true, hidden: { delay: 30_500 } });
    const config = replicaSetConfig('rs0', plan, host, 10_000);
    expect(config.members.map((m) => m.priority)).toEqual([5, 0, 1, 0, 0]);
    expect(config.members[3]).toEqual({ _id: 3, host: 'mongo-arbiter:27017', priority: 0, votes: 1, arbiterOnly: true });
    expect(config.members[4]).toEqual({ _id: 4, host: 'mongo-hidden:27017', priority: 0, votes: 0, hidden: true, secondaryDelaySecs: 30 });
  });

  it('marks a config server replica set', () => {
    expect(replicaSetConfig('cfg', plainMembers('cfg', 1), host, 10_000, true)).toMatchObject({ _id: 'cfg', configsvr: true, members: [{ host: 'cfg1:27017' }] });
  });

  it('counts the majority w:majority waits for among voting data-bearing members', () => {
    expect(majorityOf(planMembers(spec))).toBe(2);
    expect(majorityOf(planMembers({ ...spec, members: 5 }))).toBe(3);
    // Primary, secondary, arbiter: a majority of 3 voters is 2, and both data members must have it.
    expect(majorityOf(planMembers({ ...spec, members: 2, arbiter: true }))).toBe(2);
    expect(majorityOf(planMembers({ ...spec, hidden: { delay: 0 } }))).toBe(2);
  });

  it('bootstraps in order: initiate, wait for a primary, create the run’s root user with w:majority', () => {
    const config = replicaSetConfig('rs0', planMembers(spec), host, 10_000);
    expect(replicaSetBootstrap(config, 'faultline', 'pw')).toEqual([
      { kind: 'command', command: { replSetInitiate: config } },
      { kind: 'await-primary' },
      { kind: 'command', command: createUserCommand('faultline', 'pw') },
    ]);
    expect(createUserCommand('u', 'p')).toEqual({ createUser: 'u', pwd: 'p', roles: [{ role: 'root', db: 'admin' }], writeConcern: { w: 'majority' } });
    expect(replicaSetBootstrap(config, undefined, 'pw')).toHaveLength(2);
  });
});
