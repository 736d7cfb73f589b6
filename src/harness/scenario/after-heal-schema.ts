import { z } from 'zod';
import { Duration } from '../units/duration-schema.ts';

// How much load a run keeps up after its faults have healed. Recovery is only observed if writes
// are tried after the last heal; on a loaded machine a heal (a restart plus pg_rewind) can finish
// after the nominal end of the run, so the run extends its load instead of stopping blind.

export const AfterLastHeal = z
  .strictObject({
    writes: z.int().nonnegative().default(20).meta({
      description: 'write operations that must be invoked after the last heal (all operations when the mix has no writes)',
    }),
    duration: Duration.default(1_000).meta({ description: 'time the load must go on after the last heal' }),
    maxExtension: Duration.default(60_000).meta({
      description:
        'hard limit on how far the load runs past workload.duration waiting for heals and the writes above; 0 turns the extension off ' +
        '(faults still in force are then healed after the load, and recovery from them is not observed)',
    }),
  })
  .default({ writes: 20, duration: 1_000, maxExtension: 60_000 })
  .meta({
    description:
      'the load goes on past workload.duration until every fault has healed (one without a duration heals at workload.duration) ' +
      'and this much load was tried after the last heal, at most maxExtension longer; results.json run.extendedMs says by how much',
  });

export type AfterLastHeal = z.output<typeof AfterLastHeal>;
