import { formatPath, type PathSegment } from '../scenario/dotted-path.ts';
import { shortPaths, variantLabel, variantSlugs } from '../compare/variant-label.ts';

// The cross product of a matrix, in a fixed order: the first dimension varies slowest, as in a
// nested loop written in the file's order, so variant numbers and folders are predictable.

export interface MatrixDimension {
  /** The path as written in the matrix key. */
  readonly key: string;
  readonly path: readonly PathSegment[];
  readonly values: readonly unknown[];
}

export interface MatrixAssignment {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
}

export interface MatrixVariant {
  /** 1-based, in expansion order. */
  readonly index: number;
  /** e.g. "replication=sync,order-history.readFrom=replicas" */
  readonly label: string;
  /** The label as a folder name. */
  readonly slug: string;
  readonly assignments: readonly MatrixAssignment[];
}

export function expandMatrix(dimensions: readonly MatrixDimension[]): MatrixVariant[] {
  const names = shortPaths(dimensions.map((dimension) => dimension.path));
  let combinations: unknown[][] = [[]];
  for (const dimension of dimensions) {
    combinations = combinations.flatMap((prefix) => dimension.values.map((value) => [...prefix, value]));
  }
  const labels = combinations.map((values) => variantLabel(names, values));
  const slugs = variantSlugs(labels);
  return combinations.map((values, i) => ({
    index: i + 1,
    label: labels[i]!,
    slug: slugs[i]!,
    assignments: dimensions.map((dimension, d) => ({ path: dimension.path, value: values[d] })),
  }));
}

/** The assignment as a --set argument; JSON is YAML, so the value reads back exactly ("yes" stays a string). */
export function assignmentArg(assignment: MatrixAssignment): string {
  return `${formatPath(assignment.path)}=${JSON.stringify(assignment.value) ?? 'null'}`;
}
