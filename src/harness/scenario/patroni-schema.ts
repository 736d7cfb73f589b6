import { z } from 'zod';
import { boundedDuration } from '../units/duration-schema.ts';

// Failover by Patroni (topology.failover.mode: patroni): the settings keep Patroni's names and
// meaning, and Patroni's documented defaults (ttl 30 s, loop_wait 10 s, retry_timeout 10 s,
// maximum_lag_on_failover 1 MiB), so a scenario left at the defaults behaves as a stock cluster.
// The replication mode maps onto Patroni's: async -> synchronous_mode off; sync -> synchronous_mode
// on (one synchronous standby, chosen by Patroni); remote_apply -> the same plus
// synchronous_commit remote_apply; quorum has no counterpart in Patroni 3.0 and is refused.

const MAX_SECONDS_MS = 3_600_000;

/** Patroni takes these in whole seconds. */
const wholeSeconds = (fallbackMs: number, minMs: number, description: string) =>
  boundedDuration(MAX_SECONDS_MS, minMs)
    .refine((ms) => ms % 1000 === 0, { message: 'Patroni takes whole seconds: write e.g. "10s"' })
    .default(fallbackMs)
    .meta({ description });

export const PatroniSettings = z
  .strictObject({
    ttl: wholeSeconds(30_000, 2_000, "Patroni's ttl: how long the leader key lives without a renewal; a lost leader is replaced after it (default 30s)"),
    loopWait: wholeSeconds(10_000, 1_000, "Patroni's loop_wait: seconds between two runs of each member's HA loop (default 10s)"),
    retryTimeout: wholeSeconds(10_000, 1_000, "Patroni's retry_timeout: how long a DCS or PostgreSQL operation is retried before the leader demotes itself (default 10s)"),
    maximumLagOnFailover: z.int().nonnegative().default(1_048_576).meta({
      description: "Patroni's maximum_lag_on_failover: bytes a replica may be behind the last known leader position and still be promoted (default 1048576)",
    }),
    synchronousModeStrict: z.boolean().default(false).meta({
      description:
        "replication sync or remote_apply: Patroni's synchronous_mode_strict (true: with no synchronous standby left the leader stops acknowledging commits rather than going asynchronous; default false)",
    }),
  })
  .superRefine((settings, ctx) => {
    // Patroni's documented rule: a leader must be able to retry a DCS failure twice and still
    // renew its key before it expires.
    if (settings.loopWait + 2 * settings.retryTimeout > settings.ttl) {
      ctx.addIssue({
        code: 'custom',
        path: ['ttl'],
        message: `Patroni needs loopWait + 2 x retryTimeout <= ttl (${settings.loopWait / 1000} + 2 x ${settings.retryTimeout / 1000} > ${settings.ttl / 1000} s): raise ttl or lower the others`,
      });
    }
  });

export type PatroniSettings = z.output<typeof PatroniSettings>;

export const PATRONI_DEFAULTS: PatroniSettings = PatroniSettings.parse({});

type Problem = [(string | number)[], string];

interface PatroniScenarioShape {
  readonly topology: { readonly kind: string; readonly failover?: { readonly mode: string }; readonly replication?: string; readonly replicas?: number };
  readonly provider: { readonly kind: string; readonly image?: string | undefined };
  readonly faults: readonly { readonly kind: string; readonly part?: string | undefined; readonly leaveDown?: boolean }[];
}

/** Problems of a scenario whose failover is Patroni's, and of manager/store faults anywhere else (a failover step under Patroni: fault/kinds/failover.ts). */
export function patroniProblems(scenario: PatroniScenarioShape): Problem[] {
  const { topology } = scenario;
  const patroni = topology.kind === 'pg-single-leader' && topology.failover?.mode === 'patroni';
  const problems: Problem[] = [];
  scenario.faults.forEach((fault, i) => {
    if (fault.part !== undefined && fault.part !== 'node' && !patroni) {
      problems.push([['faults', i, 'part'], `part ${fault.part} names a process beside the server that only failover.mode patroni runs (pg-single-leader)`]);
    }
  });
  if (!patroni) return problems;
  if (scenario.provider.kind === 'containers' && scenario.provider.image !== undefined) {
    // The boot script runs patroni and etcd from the image: faultline's own image carries them (packages.txt).
    problems.push([['provider', 'image'], "failover.mode patroni in containers runs on faultline's own image (it carries Patroni and etcd): drop provider.image"]);
  }
  if (topology.replication === 'quorum') {
    problems.push([['topology', 'replication'], 'Patroni 3.0 has no quorum commit: use async, sync or remote_apply with failover.mode patroni']);
  }
  if ((topology.replicas ?? 0) < 1) problems.push([['topology', 'replicas'], 'failover by Patroni needs at least 1 replica to fail over to']);
  return problems;
}
