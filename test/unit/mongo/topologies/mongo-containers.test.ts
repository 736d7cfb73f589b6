import { describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import { KEYFILE, KEYFILE_SOURCE, mongodContainerCommand, mongoshEval, mongosContainerCommand } from '../../../../src/topologies/mongo/containers/mongo-container-command.ts';

describe('container commands', () => {
  it('install the keyfile for the mongodb user, then hand over to the image entrypoint with mongod', () => {
    const [shell, flag, script] = mongodContainerCommand('shard1', 'shardsvr', { ttlMonitorSleepSecs: 2 });
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toContain(`install -m 400 -o mongodb -g mongodb ${KEYFILE_SOURCE} ${KEYFILE} && exec docker-entrypoint.sh 'mongod'`);
    for (const part of [`'--replSet' 'shard1'`, `'--keyFile' '${KEYFILE}'`, `'--shardsvr'`, `'--bind_ip_all'`, `'ttlMonitorSleepSecs=2'`]) expect(script).toContain(part);
  });

  it('start mongos against the config servers by their network names', () => {
    expect(mongosContainerCommand('cfg/cfg1:27017')[2]).toContain(`'mongos' '--port' '27017' '--bind_ip_all' '--configdb' 'cfg/cfg1:27017'`);
  });

  it('run bootstrap commands through mongosh as extended JSON, so MinKey and the like survive', () => {
    const [program, , , , , script] = mongoshEval({ replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host: 'mongo1:27017' }] }, min: new BSON.MinKey() });
    expect(program).toBe('mongosh');
    expect(script).toContain('EJSON.parse(');
    expect(script).toContain('\\"$minKey\\":1');
  });
});
