import { bandwidth } from './kinds/bandwidth.ts';
import { failover } from './kinds/failover.ts';
import { kill } from './kinds/kill.ts';
import { latency } from './kinds/latency.ts';
import { partition } from './kinds/partition.ts';
import { pause } from './kinds/pause.ts';
import { reset } from './kinds/reset.ts';
import { stop } from './kinds/stop.ts';

/**
 * Every fault kind a scenario may name, in the order the JSON Schema lists them. A new kind is a
 * file in kinds/ and a line here (ARCHITECTURE.md, "How to add a fault kind"); the scenario
 * schema, the checks of targets and providers, the network set-up, the nemesis and the
 * write-outage figures ask fault-catalog.ts, which reads this list.
 */
export const FAULT_KINDS = [kill, pause, stop, partition, latency, bandwidth, reset, failover] as const;
