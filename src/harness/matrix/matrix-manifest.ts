import path from 'node:path';
import { writeFileAtomic } from '../report/atomic-write.ts';
import { MATRIX_FILE, MATRIX_SCHEMA_VERSION, type MatrixManifest, readManifest } from '../results/matrix-manifest.ts';
import type { MatrixPlan } from './plan-matrix.ts';

export { MATRIX_FILE, type MatrixManifest, readManifest };

// matrix.json, written before the first variant starts (its format and reader are in
// harness/results/matrix-manifest.ts, where `faultline compare` reads it).

export function manifestOf(plan: MatrixPlan, matrixRunId: string, startedAt: Date): MatrixManifest {
  return {
    schemaVersion: MATRIX_SCHEMA_VERSION,
    scenario: plan.name,
    seed: plan.seed,
    matrixRunId,
    startedAt: startedAt.toISOString(),
    dimensions: plan.dimensions.map(({ key, values }) => ({ key, values })),
    variants: plan.variants.map(({ index, label, slug, assignments }) => ({
      index,
      label,
      slug,
      values: Object.fromEntries(plan.dimensions.map((dimension, d) => [dimension.key, assignments[d]?.value ?? null])),
    })),
  };
}

export async function writeManifest(dir: string, manifest: MatrixManifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MATRIX_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
