import { BSON } from 'mongodb';
import type { MongoParameters } from '../local/mongod-args.ts';
import { BASE_PARAMETERS } from '../local/mongod-args.ts';

// What a MongoDB container runs. The keyfile is copied in as root; mongod (run as the image's
// mongodb user by its entrypoint) needs it owned by itself and unreadable by others, so the
// command installs it before handing over to the image's own entrypoint.

export const KEYFILE_SOURCE = '/faultline/keyfile.src';
export const KEYFILE = '/faultline/keyfile';

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

function withKeyfile(server: readonly string[]): string[] {
  const install = `install -m 400 -o mongodb -g mongodb ${KEYFILE_SOURCE} ${KEYFILE}`;
  return ['bash', '-c', `${install} && exec docker-entrypoint.sh ${server.map(quote).join(' ')}`];
}

export function mongodContainerCommand(replicaSet: string, role: 'replica' | 'shardsvr' | 'configsvr', settings: MongoParameters): string[] {
  const parameters = Object.entries({ ...BASE_PARAMETERS, ...settings }).flatMap(([name, value]) => ['--setParameter', `${name}=${String(value)}`]);
  return withKeyfile([
    'mongod',
    '--port', '27017',
    // Inside the container every interface is the run's network; the published port is Docker's.
    '--bind_ip_all',
    '--replSet', replicaSet,
    '--keyFile', KEYFILE,
    '--wiredTigerCacheSizeGB', '0.25',
    '--oplogSize', '256',
    ...(role === 'shardsvr' ? ['--shardsvr'] : role === 'configsvr' ? ['--configsvr'] : []),
    ...parameters,
  ]);
}

export function mongosContainerCommand(configDb: string): string[] {
  return withKeyfile(['mongos', '--port', '27017', '--bind_ip_all', '--configdb', configDb, '--keyFile', KEYFILE]);
}

/** mongosh inside the container: the only client the localhost exception admits before a user exists. */
export function mongoshEval(command: Record<string, unknown>): string[] {
  const text = BSON.EJSON.stringify(command, { relaxed: false });
  const script = `const r = db.getSiblingDB('admin').runCommand(EJSON.parse(${JSON.stringify(text)})); print(EJSON.stringify(r));`;
  return ['mongosh', '--quiet', '--port', '27017', '--eval', script];
}
