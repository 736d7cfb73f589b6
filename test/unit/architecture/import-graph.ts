import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File → the src/ files it imports (relative paths from the repository root, type-only imports included). */
export type ImportGraph = ReadonlyMap<string, ReadonlySet<string>>;

const SOURCE = /\.(ts|mts|mjs)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Every import of every file under `root`/src, read with the TypeScript compiler's own pre-processor:
 * `import type` and `export ... from` count as much as a value import (a type cycle still ties two
 * folders together for a reader), and dynamic `import()` counts too.
 */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of importedFiles) {
      const target = resolveImport(file, fileName);
      if (target !== undefined && target !== file) targets.add(relative(root, target));
    }
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** The folder a file belongs to, counted at most two levels under src/: src/harness/run/x/y.ts → harness/run. */
export function folderOf(file: string): string {
  return dirname(file).split('/').slice(1, 3).join('/');
}

/** Folder → folder it imports → one file-level edge that makes it ("a.ts -> b.ts"), for naming the cause. */
export function folderGraph(graph: ImportGraph): Map<string, Map<string, string>> {
  const folders = new Map<string, Map<string, string>>();
  for (const [from, targets] of graph) {
    const a = folderOf(from);
    if (!folders.has(a)) folders.set(a, new Map());
    for (const to of targets) {
      const b = folderOf(to);
      if (a !== b && !folders.get(a)!.has(b)) folders.get(a)!.set(b, `${from} -> ${to}`);
    }
  }
  return folders;
}

/** Strongly connected components with more than one member (Tarjan): each is at least one cycle. */
export function cycles<T>(nodes: Iterable<T>, next: (node: T) => Iterable<T>): T[][] {
  let counter = 0;
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const found: T[][] = [];
  const visit = (v: T): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: T[] = [];
    let w: T;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return found;
}

/** One concrete loop through a component, start → … → start (shortest, by breadth-first search). */
export function loopThrough<T>(component: readonly T[], next: (node: T) => Iterable<T>): T[] {
  const members = new Set(component);
  const start = component[0]!;
  const cameFrom = new Map<T, T>();
  const queue: T[] = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next(v)) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(w) && w !== start) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component];
}
