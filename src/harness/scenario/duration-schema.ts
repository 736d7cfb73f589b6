import { z } from 'zod';
import { parseDuration } from './duration.ts';

export const DURATION_HELP = 'a duration such as "500ms", "20s", "2m" or a number of seconds';

export const Duration = z
  .union([z.number(), z.string()])
  .superRefine((value, ctx) => {
    if (parseDuration(value) === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HELP}, got ${JSON.stringify(value)}` });
    }
  })
  .transform((value) => parseDuration(value)!)
  .meta({ description: DURATION_HELP });
