import { readFile } from 'node:fs/promises';
import path from 'node:path';

// matrix.json, written before the first variant starts: what the matrix run folder is meant to
// hold, in order. `faultline compare` reads it to expand a matrix folder into its variants, and a
// reader of a run cut short can see which variants never ran.

export const MATRIX_FILE = 'matrix.json';
export const MATRIX_SCHEMA_VERSION = 1;

export interface MatrixManifest {
  readonly schemaVersion: number;
  readonly scenario: string;
  readonly seed: number;
  readonly matrixRunId: string;
  readonly startedAt: string;
  readonly dimensions: readonly { readonly key: string; readonly values: readonly unknown[] }[];
  /** In run order; `slug` is the variant's folder inside the matrix run folder. */
  readonly variants: readonly { readonly index: number; readonly label: string; readonly slug: string; readonly values: Record<string, unknown> }[];
}

/** The manifest in `dir`, undefined when there is none; throws when it exists but is not one. */
export async function readManifest(dir: string): Promise<MatrixManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MATRIX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const data: unknown = JSON.parse(text);
  if (!isManifest(data)) throw new Error(`${path.join(dir, MATRIX_FILE)} is not a faultline matrix manifest`);
  return data;
}

function isManifest(data: unknown): data is MatrixManifest {
  if (typeof data !== 'object' || data === null) return false;
  const variants = (data as { variants?: unknown }).variants;
  return Array.isArray(variants) && variants.every(isVariant);
}

// A slug names a folder inside the matrix folder, never a way out of it.
function isVariant(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { slug, label } = value as { slug?: unknown; label?: unknown };
  return typeof label === 'string' && typeof slug === 'string' && /^[^/\\]+$/.test(slug) && slug !== '.' && slug !== '..';
}
