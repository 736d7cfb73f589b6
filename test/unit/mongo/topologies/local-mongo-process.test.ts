import { describe, expect, it } from 'vitest';
import { mongoCandidates, parseMongoVersion } from '../../../../src/topologies/mongo/local/mongo-binaries.ts';
import { mongodArgs, mongosArgs } from '../../../../src/topologies/mongo/local/mongod-args.ts';
import { directUri } from '../../../../src/topologies/mongo/admin/mongo-uri.ts';

const layout = { port: 20001, dbPath: '/run/x/nodes/mongo1/data', logPath: '/run/x/nodes/mongo1/mongod.log', keyFile: '/run/x/mongo-keyfile' };

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

describe('local mongod and mongos command lines', () => {
  it('listen on loopback only, with the run keyfile, no /tmp socket, a small cache and the replica set name', () => {
    const args = mongodArgs(layout, 'rs0', 'replica', { ttlMonitorSleepSecs: 1, enableFlowControl: false });
    expect(option(args, '--bind_ip')).toBe('127.0.0.1');
    expect(option(args, '--port')).toBe('20001');
    expect(option(args, '--replSet')).toBe('rs0');
    expect(option(args, '--keyFile')).toBe(layout.keyFile);
    expect(option(args, '--dbpath')).toBe(layout.dbPath);
    expect(args).toContain('--nounixsocket');
    expect(args).not.toContain('--shardsvr');
    // The scenario's parameters override the base ones.
    expect(args.filter((a) => a.startsWith('ttlMonitorSleepSecs='))).toEqual(['ttlMonitorSleepSecs=1']);
    expect(args).toContain('enableFlowControl=false');
  });

  it('start shard and config servers in their cluster roles', () => {
    expect(mongodArgs(layout, 'shard1', 'shardsvr')).toContain('--shardsvr');
    expect(mongodArgs(layout, 'cfg', 'configsvr')).toContain('--configsvr');
  });

  it('point mongos at the config replica set', () => {
    const args = mongosArgs(20005, 'cfg/127.0.0.1:20002', '/run/x/nodes/mongos1/mongos.log', layout.keyFile);
    expect(option(args, '--configdb')).toBe('cfg/127.0.0.1:20002');
    expect(option(args, '--bind_ip')).toBe('127.0.0.1');
  });

  it('find binaries in the scenario’s directory alone, else FAULTLINE_MONGO_BINDIR then PATH', () => {
    expect(mongoCandidates('/opt/mongo/bin', { PATH: '/usr/bin' })).toEqual(['/opt/mongo/bin']);
    expect(mongoCandidates(undefined, { FAULTLINE_MONGO_BINDIR: '/m', PATH: '/a:/b' })).toEqual(['/m', '/a', '/b']);
  });

  it('read the version mongod and mongos print', () => {
    expect(parseMongoVersion('db version v8.0.4\nBuild Info: {}')).toBe('8.0.4');
    expect(parseMongoVersion('mongos version v7.0.12')).toBe('7.0.12');
    expect(parseMongoVersion('nonsense')).toBeUndefined();
  });

  it('connect directly to one server, with the password escaped and admin as the auth source', () => {
    const uri = directUri({ host: '127.0.0.1', port: 20001, user: 'faultline', password: 'a/b:c@d', database: 'faultline' });
    expect(uri).toBe('mongodb://faultline:a%2Fb%3Ac%40d@127.0.0.1:20001/?directConnection=true&authSource=admin');
    expect(directUri({ host: 'h', port: 1, user: 'u', password: 'p', database: 'd' }, false)).toBe('mongodb://h:1/?directConnection=true');
  });
});
