import type pg from 'pg';
import type { Endpoint } from '../../topology.ts';
import type { PgSettings } from '../local/pg-config.ts';
import type { PgServerNode } from '../pg-server-node.ts';

/**
 * What every Patroni node, local or in a container, takes from the PostgreSQL node it wraps (where
 * it listens, how the harness connects, its log), and what it refuses: under failover.mode
 * patroni, Patroni writes the configuration, makes replicas and rewinds, never the harness.
 */
export abstract class ManagedPgNode<P extends PgServerNode> {
  abstract readonly pg: P;

  get name(): string {
    return this.pg.name;
  }
  get port(): number {
    return this.pg.port;
  }
  get clientPort(): number {
    return this.pg.clientPort;
  }
  set clientPort(port: number) {
    this.pg.clientPort = port;
  }
  get region(): string | undefined {
    return this.pg.region;
  }
  set region(region: string | undefined) {
    this.pg.region = region;
  }
  get passfile(): string {
    return this.pg.passfile;
  }
  get logPath(): string {
    return this.pg.logPath;
  }

  endpoint(): Endpoint {
    return this.pg.endpoint();
  }
  adminConfig(): pg.ClientConfig {
    return this.pg.adminConfig();
  }
  selfAddress(): { host: string; port: number } {
    return this.pg.selfAddress();
  }
  serverSettings(): PgSettings {
    return this.pg.serverSettings();
  }

  private managed(what: string): Promise<never> {
    return Promise.reject(new Error(`${this.name}: Patroni manages ${what} under failover.mode patroni`));
  }
  writeConfig(): Promise<void> {
    return this.managed('the server configuration');
  }
  setStandby(): Promise<void> {
    return this.managed('standby.signal');
  }
  initStandbyFrom(): Promise<void> {
    return this.managed('replica creation');
  }
  resyncFrom(): Promise<unknown> {
    return this.managed('pg_rewind');
  }
}
