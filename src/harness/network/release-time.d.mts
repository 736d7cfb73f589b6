import type { ResolvedFaults } from './link-faults.ts';

export function sliceBytes(bytesPerSecond: number): number;
export function releaseTime(
  stream: { lastAt: number },
  path: { busyUntil: number },
  faults: ResolvedFaults,
  now: number,
  bytes: number,
  random?: () => number,
): number;
export function isDirect(faults: ResolvedFaults): boolean;
