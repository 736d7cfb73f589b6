// Patroni's REST API, as the harness reads it: one GET per question, short timeouts (a cut or
// frozen member must not hold a poll up), the harness's own port, never a faultable link.

export interface PatroniClusterMember {
  readonly name: string;
  /** "leader" | "replica" | "sync_standby" | "standby_leader" */
  readonly role: string;
  /** "running" | "streaming" | "stopped" | "starting" | ... */
  readonly state: string;
  readonly timeline?: number;
  readonly lag?: number | string;
}

export interface PatroniCluster {
  readonly members: readonly PatroniClusterMember[];
}

/** GET /patroni: the member's view of itself. */
export interface PatroniStatus {
  readonly state: string;
  /** "master" | "primary" | "replica" | ... */
  readonly role: string;
  readonly timeline?: number;
}

const TIMEOUT_MS = 1_000;

export async function restGet<T>(port: number, path: string, timeoutMs = TIMEOUT_MS): Promise<{ status: number; body: T } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => ({}))) as T;
    return { status: response.status, body };
  } catch {
    return undefined;
  }
}

/** Whether the member says it is the leader running as primary (200 from /primary, as a load balancer's health check asks). */
export async function isPrimary(port: number): Promise<boolean> {
  return (await restGet(port, '/primary'))?.status === 200;
}
