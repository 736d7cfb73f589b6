import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, folderGraph, folderOf, importGraph, loopThrough } from './import-graph.ts';

// The dependency direction written down in ARCHITECTURE.md ("Dependency direction"), checked on
// every src/ file's imports (type-only ones included). Folders count two levels under src/.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Folders that compose a run from parts: the only ones that may name an engine or a topology. */
const APPLICATION = /^harness\/(run|cli|matrix|compare|sizing|scenario-set|doctor)$/;
/** What a run is made of and reports with: knows engines and topologies only through their interfaces. */
const CORE = /^harness\/(checker|containers|data-model|driver|export|fault|history|metrics|nemesis|network|output|process|regions|report|results|scenario|units|workload)$/;
/** engines/ and topologies/ hold the protocols the harness sees; their sub-folders hold the implementations. */
const PARTS = /^(engines|topologies)(\/|$)/;
const IMPLEMENTATIONS = /^(engines|topologies)\//;

const RULES: readonly { rule: string; from: RegExp; mayNotImport: RegExp }[] = [
  { rule: 'topologies and engines sit below the run, its report and the commands', from: PARTS, mayNotImport: /^harness\/(run|report|export|cli|matrix|compare|sizing|scenario-set|doctor)$/ },
  { rule: 'the harness core knows no engine or topology, only their protocols', from: CORE, mayNotImport: IMPLEMENTATIONS },
];

const graph = importGraph(ROOT);
const folders = folderGraph(graph);
const nextFile = (file: string) => graph.get(file) ?? [];
const nextFolder = (folder: string) => folders.get(folder)?.keys() ?? [];

/** "a -> b -> a", each step with the file import that makes it when the nodes are folders. */
function describeLoop(loop: readonly string[], why?: (a: string, b: string) => string): string {
  return loop
    .slice(1)
    .map((to, i) => `${loop[i]} -> ${to}${why ? `  (${why(loop[i]!, to)})` : ''}`)
    .join('\n  ');
}

describe('import graph of src/', () => {
  it('reads every source file, type-only imports included', () => {
    expect(graph.size).toBeGreaterThan(300);
    // results-types.ts imports its section types with `import type` only.
    const typeOnly = [...graph].find(([file]) => file.endsWith('src/harness/results/results-types.ts'));
    expect(typeOnly?.[1].size).toBeGreaterThan(0);
  });

  it('has no cycle between files', () => {
    const found = cycles(graph.keys(), nextFile).map((c) => `${describeLoop(loopThrough(c, nextFile))}\n  (all in this cycle: ${c.join(', ')})`);
    expect(found, `file import cycles:\n  ${found.join('\n\n  ')}`).toEqual([]);
  });

  it('has no cycle between folders (two levels under src/)', () => {
    const why = (a: string, b: string) => folders.get(a)!.get(b)!;
    const found = cycles(folders.keys(), nextFolder).map((c) => describeLoop(loopThrough(c, nextFolder), why));
    expect(found, `folder import cycles:\n  ${found.join('\n\n  ')}`).toEqual([]);
  });

  it.each(RULES)('follows the written direction: $rule', ({ from, mayNotImport }) => {
    const against = [...graph].flatMap(([file, targets]) =>
      from.test(folderOf(file)) ? [...targets].filter((t) => mayNotImport.test(folderOf(t))).map((t) => `${file} -> ${t}`) : [],
    );
    expect(against).toEqual([]);
  });

  it('names every folder in the written layers', () => {
    const unplaced = [...new Set([...graph.keys()].map(folderOf))].filter((f) => !APPLICATION.test(f) && !CORE.test(f) && !PARTS.test(f));
    expect(unplaced, 'a new folder: add it to a layer here and in ARCHITECTURE.md').toEqual([]);
  });
});

describe('cycle finder', () => {
  const crafted = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  const next = (n: string) => crafted.get(n) ?? [];

  it('finds a loop and names it start to start', () => {
    const [component, ...rest] = cycles(crafted.keys(), next);
    expect(rest).toEqual([]);
    expect(new Set(component)).toEqual(new Set(['a', 'b', 'c']));
    const loop = loopThrough(component!, next);
    expect(loop[0]).toBe(loop.at(-1));
    expect(loop).toHaveLength(4);
  });

  it('finds none in a graph without one', () => {
    crafted.set('c', ['d']);
    expect(cycles(crafted.keys(), next)).toEqual([]);
  });

  it('counts folders two levels under src/', () => {
    expect(folderOf('src/harness/run/mongo/hooks.ts')).toBe('harness/run');
    expect(folderOf('src/topologies/create-topology.ts')).toBe('topologies');
  });
});
