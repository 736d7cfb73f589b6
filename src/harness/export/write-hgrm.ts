import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import type { OperationName } from '../scenario/schema.ts';
import { writeFileAtomic } from '../report/atomic-write.ts';

export const HGRM_DIR = 'hgrm';

// The recorder keeps microseconds; the files are in milliseconds, the unit every other latency
// in the reports uses, and what HdrHistogram's plotter expects to label as such.
const MICROSECONDS_PER_MS = 1000;
// Five reporting points per halving of the distance to 100%, HdrHistogram's own default: the
// tail (p99, p99.9, p99.99 ...) gets as many lines as the body.
const TICKS_PER_HALF_DISTANCE = 5;

/**
 * One percentile-distribution file per operation, in the text format HdrHistogram's
 * outputPercentileDistribution prints in every language (Java, C, Go, JS), so the files load
 * straight into HdrHistogram's plotter and into wrk2/YCSB comparison scripts.
 */
export function renderHgrm(histogram: Histogram): string {
  return histogram.outputPercentileDistribution(TICKS_PER_HALF_DISTANCE, MICROSECONDS_PER_MS);
}

/** Writes hgrm/<operation>.hgrm for every operation measured; returns the files' paths. */
export async function writeHgrmFiles(reportDir: string, histograms: ReadonlyMap<OperationName, Histogram>): Promise<string[]> {
  const measured = [...histograms].filter(([, histogram]) => histogram.totalCount > 0);
  if (measured.length === 0) return [];
  const dir = join(reportDir, HGRM_DIR);
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  // Only numbers go in: the secret guard that every text report passes has nothing to look at.
  for (const [operation, histogram] of measured) {
    const path = join(dir, `${operation}.hgrm`);
    await writeFileAtomic(path, renderHgrm(histogram));
    paths.push(path);
  }
  return paths;
}
