import { Wait } from 'testcontainers';
import { logTo } from '../../../harness/containers/container-runtime.ts';
import type { ContainerFile } from '../containers/pg-container-files.ts';
import { forceRemove, PgGenericContainer, testcontainersHandle, unlessAborted, type PgContainer, type PgContainerSpec } from '../containers/pg-container.ts';

// A database node run by Patroni in its container, as production lays it out: the container's
// boot script (PID 1) starts the node's etcd member and Patroni, both as the postgres user, and
// Patroni starts PostgreSQL (initdb on the first member, a base backup on the others, pg_rewind
// of a former leader). docker kill ends all three at once (a node crash); docker pause freezes
// them; the partition rules of the node's namespace cut etcd, the REST API and replication alike.
// `part: manager | store` signals one process by the pid file the boot script keeps.

export const REST_PORT = 8008;
export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;
export const PATRONI_DIR = '/faultline/patroni';
export const PATRONI_BOOT = `${PATRONI_DIR}/boot.sh`;
/** Root-only as copied in (it holds the run's password); the boot script gives a copy to postgres. */
export const PATRONI_CONFIG_SOURCE = `${PATRONI_DIR}/patroni.src.json`;
export const ETCD_ARGS = `${PATRONI_DIR}/etcd.args`;
export const ETCD_DATA = '/var/lib/postgresql/data/etcd';
export const PATRONI_DATA = '/var/lib/postgresql/data/pg';
const STARTED = 'faultline-patroni: started';

export type ContainerPart = 'patroni' | 'etcd';

// Processes started by `docker exec` (a manager or store member brought back) write to PID 1's
// output, so the node's log (docker logs) keeps everything in order.
export const PATRONI_BOOT_SCRIPT = `#!/bin/bash
set -uo pipefail
D=${PATRONI_DIR}
out=/proc/1/fd/1
start_etcd() {
  install -d -m 700 -o postgres -g postgres ${ETCD_DATA}
  mapfile -t args < ${ETCD_ARGS}
  gosu postgres etcd "\${args[@]}" >"$out" 2>&1 </dev/null &
  echo $! > $D/etcd.pid
}
# Patroni 3.0.2 exits at start-up when its etcd member has no cluster version yet (no quorum):
# it waits for the member's health (bounded: a member cut off at boot starts Patroni anyway).
wait_store() {
  python3 -c '
import json, sys, time, urllib.request as r
for _ in range(300):
    try:
        health = json.load(r.urlopen("http://127.0.0.1:${ETCD_CLIENT_PORT}/health", timeout=1))
        version = json.load(r.urlopen("http://127.0.0.1:${ETCD_CLIENT_PORT}/version", timeout=1))
        if health.get("health") == "true" and version.get("etcdcluster", "not_decided") != "not_decided": sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
print("faultline: etcd not healthy after 60 s, starting Patroni anyway")
'
}
start_patroni() {
  install -m 600 -o postgres -g postgres ${PATRONI_CONFIG_SOURCE} $D/patroni.json
  (wait_store; exec gosu postgres env HOME=/var/lib/postgresql PGTZ=UTC LANG=C.UTF-8 patroni $D/patroni.json) >"$out" 2>&1 </dev/null &
  echo $! > $D/patroni.pid
}
case "\${1:-boot}" in
  etcd) start_etcd; exit 0 ;;
  patroni) rm -f $D/hold; start_patroni; exit 0 ;;
  signal) pid=$(cat "$D/$2.pid" 2>/dev/null) && kill "-$3" "$pid"; exit $? ;;
esac
stop() {
  # docker stop: Patroni stops its server (fast) and gives up the leader key, then the member goes.
  if pid=$(cat $D/patroni.pid 2>/dev/null); then kill -TERM "$pid" 2>/dev/null; for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; fi
  if pid=$(cat $D/etcd.pid 2>/dev/null); then kill -TERM "$pid" 2>/dev/null; fi
  exit 0
}
trap stop INT TERM
# provider.image may name an image without them: say so in the node's log and stop at once.
for tool in patroni etcd gosu; do command -v "$tool" >/dev/null || { echo "faultline: this image has no $tool; failover.mode patroni in containers needs faultline's own image (npx faultline images build) or one with patroni and etcd-server"; exit 1; }; done
rm -f $D/*.pid
# A partition in force when the node went down holds from its first packet on.
if [ -s /faultline/rules.nft ]; then nft -f /faultline/rules.nft || echo "faultline: could not load the partition rules (nft)"; fi
start_etcd
# The store needs a quorum before any Patroni can act, so every member starts at once; the harness
# holds a replica's Patroni back (the hold file) until the first member leads, then starts it.
if [ -e $D/hold ]; then echo "faultline: Patroni held until the first member leads"; else start_patroni; fi
echo "${STARTED}"
while :; do sleep 1 & wait $!; done
`;

/** `bash boot.sh signal <part> <SIG>`: kill, stop or continue one process of the node. */
export function signalCommand(part: ContainerPart, signal: 'KILL' | 'STOP' | 'CONT'): string[] {
  return ['bash', PATRONI_BOOT, 'signal', part, signal];
}

/** `bash boot.sh <part>`: starts one process again beside those still running. */
export function startCommand(part: ContainerPart): string[] {
  return ['bash', PATRONI_BOOT, part];
}

export function patroniFiles(config: Record<string, unknown>, etcdArgs: readonly string[], hold: boolean): ContainerFile[] {
  return [
    ...(hold ? [{ path: `${PATRONI_DIR}/hold`, content: 'held\n', mode: 0o644 }] : []),
    { path: PATRONI_BOOT, content: PATRONI_BOOT_SCRIPT, mode: 0o755 },
    { path: PATRONI_CONFIG_SOURCE, content: `${JSON.stringify(config, null, 2)}\n`, mode: 0o600 },
    { path: ETCD_ARGS, content: `${etcdArgs.join('\n')}\n`, mode: 0o644 },
  ];
}

/**
 * How the provider launches a Patroni node's container: the PostgreSQL container's spec (network,
 * address, labels, published PostgreSQL port on 127.0.0.1, CPU placement), plus the REST API
 * published on 127.0.0.1 too, and Patroni's boot script instead of the plain server's. Ready once
 * the script has started etcd and Patroni: the topology then waits for the roles over REST.
 */
export function patroniLauncher(restHostPort: number, files: () => readonly ContainerFile[]): (spec: PgContainerSpec) => Promise<PgContainer> {
  return async (spec) => {
    const log = logTo(spec.logPath);
    const host = spec.loopback ? '127.0.0.1' : undefined;
    const starting = new PgGenericContainer(spec.image)
      .withName(spec.containerName)
      .onRunNetwork(spec.network, spec.alias, spec.address)
      .withNetAdmin()
      .placedFor(spec.cpu)
      .withLabels(spec.labels)
      .publishOn(host, spec.hostPort)
      .publishOn(host, restHostPort, REST_PORT)
      .withEntrypoint([])
      .withCommand(['bash', PATRONI_BOOT])
      .withCopyContentToContainer([...spec.files, ...files()].map((file) => ({ content: file.content, target: file.path, mode: file.mode })))
      .withLogConsumer(log.consumer)
      .withWaitStrategy(Wait.forLogMessage(STARTED))
      .withStartupTimeout(60_000)
      .start();
    const started = await unlessAborted(starting, spec.signal, spec.alias, async () => {
      starting.then((late) => late.stop({ timeout: 0, remove: true, removeVolumes: true })).catch(() => {});
      await forceRemove(spec.containerName).catch(() => {});
    });
    return testcontainersHandle(started, spec.alias, spec.ping, log.consumer, spec.signal, spec.logPath);
  };
}
