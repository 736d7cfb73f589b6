import type { Readable } from 'node:stream';
import { GenericContainer, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { dockerConnect, dockerDisconnect, dockerKill, dockerPause, dockerStop, dockerUnpause, logTo } from '../../mongo/containers/container-runtime.ts';
import { pgContainerCommand, pgContainerEnvironment, PG_PORT, type ContainerFile } from './pg-container-files.ts';

/**
 * What a PostgreSQL node asks of its container: Docker's kill, stop, pause, start, files copied
 * in (a running or a stopped container), and being on or off the run's network. testcontainers
 * in production; a recording fake in unit tests.
 */
export interface PgContainer {
  writeFiles(files: readonly ContainerFile[]): Promise<void>;
  /** Starts the container again after kill or stop, and waits until the server accepts connections. */
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** On (back) or off the run's network, where peers reach the node by its name. */
  setOnRunNetwork(on: boolean): Promise<void>;
  remove(): Promise<void>;
}

export interface PgContainerSpec {
  readonly image: string;
  readonly containerName: string;
  /** The node's name: its alias on the run's network. */
  readonly alias: string;
  readonly network: StartedNetwork;
  /** Host port Docker publishes 5432 on, claimed from the run's sandbox. */
  readonly hostPort: number;
  /** Bind the published port to 127.0.0.1 (Docker on this machine), not every interface. */
  readonly loopback: boolean;
  readonly logPath: string;
  readonly files: readonly ContainerFile[];
}

// pg_isready over TCP: the image's first-boot temporary server listens on no TCP address, so this
// answers only once the real server accepts connections (a standby: once it is consistent).
const READY = Wait.forSuccessfulCommand(`pg_isready -q -h 127.0.0.1 -p ${PG_PORT}`);

/** testcontainers publishes on every interface; faultline's servers listen on 127.0.0.1 only. */
class PgGenericContainer extends GenericContainer {
  publishOn(hostIp: string | undefined, hostPort: number): this {
    this.withExposedPorts({ container: PG_PORT, host: hostPort });
    const binding = hostIp === undefined ? { HostPort: String(hostPort) } : { HostIp: hostIp, HostPort: String(hostPort) };
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${PG_PORT}/tcp`]: [binding] };
    return this;
  }
}

/**
 * Creates and starts one PostgreSQL container: on Docker's default bridge (its published port:
 * the harness and the clients) and on the run's network under its node name (its peers), with
 * faultline's files copied in before the boot script runs. Labelled by testcontainers, so its
 * reaper removes it if the harness dies.
 */
export async function launchPgContainer(spec: PgContainerSpec): Promise<PgContainer> {
  const log = logTo(spec.logPath);
  const started = await new PgGenericContainer(spec.image)
    .withName(spec.containerName)
    .withNetwork(spec.network)
    .withNetworkAliases(spec.alias)
    .publishOn(spec.loopback ? '127.0.0.1' : undefined, spec.hostPort)
    .withEnvironment(pgContainerEnvironment())
    .withEntrypoint([])
    .withCommand(pgContainerCommand())
    .withCopyContentToContainer(spec.files.map((file) => ({ content: file.content, target: file.path, mode: file.mode })))
    .withLogConsumer(log.consumer)
    .withWaitStrategy(READY)
    .withStartupTimeout(180_000)
    .start();
  return testcontainersHandle(started, spec.network.getId(), spec.alias, log.consumer);
}

function testcontainersHandle(
  started: StartedTestContainer,
  networkId: string,
  alias: string,
  follow: (stream: Readable) => void,
): PgContainer {
  return {
    writeFiles: (files) => started.copyContentToContainer(files.map((file) => ({ content: file.content, target: file.path, mode: file.mode }))),
    async start() {
      const since = Math.floor(Date.now() / 1000);
      await started.restart();
      // The log stream ended with the old process; follow the new one into the same file.
      follow(await started.logs({ since }));
    },
    async kill() {
      // Docker signals a paused container and thaws it, so it dies without running again; an
      // engine that refuses gets it thawed first.
      await dockerKill(started).catch(async () => {
        await dockerUnpause(started);
        await dockerKill(started);
      });
    },
    // The image's STOPSIGNAL is SIGINT: PostgreSQL's fast shutdown, as the local provider does.
    stop: () => dockerStop(started),
    pause: () => dockerPause(started),
    unpause: () => dockerUnpause(started),
    setOnRunNetwork: (on) => (on ? dockerConnect(started, networkId, alias) : dockerDisconnect(started, networkId)),
    async remove() {
      await started.stop({ timeout: 5_000, remove: true, removeVolumes: true }).catch(() => {});
    },
  };
}
