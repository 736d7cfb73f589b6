import { z } from 'zod';
import { Duration } from './duration-schema.ts';

// The explicit bounds each check judges against (scenario field `bounds`). A check with no
// bound cannot fail, so every verdict names the bound it applied (results.json checks.<name>.bound).
// Each check owns one key here; defaults are what a user of the field would expect.
// Keys are added per check: availability, replication-lag, read-your-writes, monotonic-reads, ...

export const CheckBounds = z
  .strictObject({})
  .default({})
  .meta({ description: 'explicit bounds the checks judge against; every verdict in results.json names the bound it applied' });

export type CheckBounds = z.output<typeof CheckBounds>;
