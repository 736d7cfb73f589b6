// Command lines of the local mongod and mongos processes. Pure, so what a node is started with
// can be read (and tested) without starting one.

export type MongodRole = 'replica' | 'shardsvr' | 'configsvr';
export type MongoParameters = Readonly<Record<string, string | number | boolean>>;

export interface MongodLayout {
  readonly port: number;
  readonly dbPath: string;
  readonly logPath: string;
  readonly keyFile: string;
}

/** Parameters every mongod gets: quick to notice a dead peer, small on a laptop. */
export const BASE_PARAMETERS: MongoParameters = {
  // Deleting expired carts every 5 s instead of 60 s, so a TTL index acts within a short run.
  ttlMonitorSleepSecs: 5,
};

function parameters(values: MongoParameters): string[] {
  return Object.entries(values).flatMap(([name, value]) => ['--setParameter', `${name}=${String(value)}`]);
}

export function mongodArgs(layout: MongodLayout, replicaSet: string, role: MongodRole, extra: MongoParameters = {}): string[] {
  return [
    '--port', String(layout.port),
    // Loopback only; the per-run user and the keyfile guard it from other local users.
    '--bind_ip', '127.0.0.1',
    '--dbpath', layout.dbPath,
    '--logpath', layout.logPath,
    '--logappend',
    '--replSet', replicaSet,
    '--keyFile', layout.keyFile,
    // No socket in /tmp: it would outlive a killed run and collide with another run's port.
    '--nounixsocket',
    '--wiredTigerCacheSizeGB', '0.25',
    '--oplogSize', '256',
    ...(role === 'shardsvr' ? ['--shardsvr'] : role === 'configsvr' ? ['--configsvr'] : []),
    ...parameters({ ...BASE_PARAMETERS, ...extra }),
  ];
}

export function mongosArgs(port: number, configDb: string, logPath: string, keyFile: string): string[] {
  return ['--port', String(port), '--bind_ip', '127.0.0.1', '--configdb', configDb, '--logpath', logPath, '--logappend', '--keyFile', keyFile, '--nounixsocket'];
}
