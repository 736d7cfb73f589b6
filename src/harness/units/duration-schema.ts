import { z } from 'zod';
import { parseDuration } from './duration.ts';

export const DURATION_HELP = 'a duration such as "500ms", "20s", "2m" or a number of seconds';

/** A duration in [minMs, maxMs]; the bounds are in the message and (as seconds) in the JSON Schema. */
export function boundedDuration(maxMs: number, minMs = 0) {
  const range = minMs > 0 ? `from ${formatBound(minMs)} to ${formatBound(maxMs)}` : `at most ${formatBound(maxMs)}`;
  return z
    .union([z.number(), z.string()])
    .superRefine((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HELP}, got ${JSON.stringify(value)}` });
      } else if (ms > maxMs || ms < minMs) {
        ctx.addIssue({ code: 'custom', message: `must be ${range}, got ${typeof value === 'number' ? `${value} s` : JSON.stringify(value)}` });
      }
    })
    .transform((value) => parseDuration(value)!)
    .meta({ description: `${DURATION_HELP}, ${range}`, maximum: maxMs / 1000, ...(minMs > 0 ? { minimum: minMs / 1000 } : {}) });
}

/** Any finite duration; fields with a meaningful upper bound use boundedDuration. */
export const Duration = z
  .union([z.number(), z.string()])
  .superRefine((value, ctx) => {
    if (parseDuration(value) === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HELP}, got ${JSON.stringify(value)}` });
    }
  })
  .transform((value) => parseDuration(value)!)
  .meta({ description: DURATION_HELP });

/** A bound as people write it: "24h", "10m", "100ms" (whole units, so it can be pasted back). */
function formatBound(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
