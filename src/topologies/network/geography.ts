import type { Scenario } from '../../harness/scenario/schema.ts';
import type { Geography, OneWayDelay } from './proxied-network.ts';

/**
 * The scenario's regions and latency matrix as the network needs them. Delays are symmetric; a
 * pair not listed (or a party without a region, such as the harness's own readers) has none.
 */
export function geographyOf(scenario: Pick<Scenario, 'regions' | 'latency'>): Geography | undefined {
  if (scenario.regions === undefined) return undefined;
  const delays = new Map<string, OneWayDelay>();
  for (const entry of scenario.latency) {
    const [a, b] = entry.between;
    const delay = { delayMs: entry.delay, jitterMs: entry.jitter };
    delays.set(`${a}|${b}`, delay);
    delays.set(`${b}|${a}`, delay);
  }
  return {
    clientRegions: Object.entries(scenario.regions)
      .filter(([, spec]) => spec.clients > 0)
      .map(([name]) => name),
    delay: (from, to) => (from === undefined || to === undefined ? undefined : delays.get(`${from}|${to}`)) ?? { delayMs: 0, jitterMs: 0 },
  };
}
