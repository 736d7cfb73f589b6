import type { CheckResult } from '../checker/checker-types.ts';
import { formatCount } from './format-number.ts';

// What a verdict covered and which bound it was judged against, as the same plain pairs for
// report.md and report.html (each renderer escapes them its way). A verdict without a stated
// bound says so: a reader must not take it for a judged one.

export interface CheckScope {
  readonly bound: string;
  readonly coverage: string;
}

function pairs(record: Readonly<Record<string, number | string>> | undefined): string | undefined {
  if (record === undefined) return undefined;
  const entries = Object.entries(record);
  if (entries.length === 0) return undefined;
  return entries.map(([key, value]) => `${key} ${typeof value === 'number' ? formatCount(value) : value}`).join(', ');
}

export function checkScope(result: CheckResult): CheckScope {
  return {
    bound: pairs(result.bound) ?? 'none stated',
    coverage: pairs(result.coverage) ?? 'not reported',
  };
}
