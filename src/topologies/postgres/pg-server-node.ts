import type pg from 'pg';
import type { DbNode, NodeRole } from '../topology.ts';
import type { PgSettings } from './local/pg-config.ts';

// What a PostgreSQL topology asks of one server, wherever it runs (a local process, a container).
// Topologies never touch a data directory themselves: a node writes its own configuration and
// standby marker, and makes its data a standby base of another node when told to.

export type PgProviderKind = 'local' | 'containers';

export interface PgServerNode extends DbNode {
  readonly provider: PgProviderKind;
  /** Failover changes who is primary; the topology keeps roles true. */
  role: NodeRole;
  /** Where clients connect: the node's own port, or its client link's when faults are possible. */
  clientPort: number;
  region: string | undefined;
  /** A libpq password file, as the server itself sees it (for primary_conninfo and subscriptions). */
  readonly passfile: string;
  /** How the server reaches itself (pglogical's own node DSN). */
  selfAddress(): { readonly host: string; readonly port: number };
  /** The settings the server needs where it runs (address, port, sockets), first layer of writeConfig. */
  serverSettings(): PgSettings;
  /** Replaces the node's faultline settings; later layers win. Effective at start or reload. */
  writeConfig(...layers: PgSettings[]): Promise<void>;
  /** Whether the server comes up as a standby at its next start (standby.signal). */
  setStandby(standby: boolean): Promise<void>;
  /** The harness's own connection: never through a link the nemesis can cut. */
  adminConfig(): pg.ClientConfig;
  /**
   * Before a replica's first start: makes its data a standby base of `source`. Local nodes are
   * copies of one template and already are; a container takes a base backup when it boots.
   */
  initStandbyFrom(source: PgServerNode): Promise<void>;
  /**
   * A former primary (stopped or killed) made a standby base of `source` again: pg_rewind, or a
   * fresh base backup when rewinding fails (a container does it at its next boot). The caller
   * checkpoints `source` first (until then a just-promoted primary's control file still names the
   * old timeline, and pg_rewind finds nothing to do), then writes the config and standby marker.
   */
  resyncFrom(source: PgServerNode): Promise<unknown>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a run's PostgreSQL nodes: one password per run, every node on one provider. */
export interface PgServerProvider<N extends PgServerNode = PgServerNode> extends AsyncDisposable {
  readonly kind: PgProviderKind;
  readonly password: string;
  readonly nodes: readonly N[];
  /** For results.json: the server version, or the image it runs. */
  readonly engineVersion: string;
  createNode(name: string, role: NodeRole, region?: string): Promise<N>;
}
