import { isAlias, isCollection, isScalar, parseDocument, type Document } from 'yaml';
import { formatPath, parsePath, startsWith, type PathSegment } from './dotted-path.ts';
import { ScenarioError, type ScenarioProblem } from './scenario-error.ts';

// `--set path=value` edits the parsed YAML document before validation, so an override is checked
// exactly like the same value written in the file, and the file's comments and layout are kept.

export interface SetOverride {
  /** The argument as given, e.g. "workload.duration=10s", for messages. */
  readonly arg: string;
  readonly path: readonly PathSegment[];
  readonly value: unknown;
}

const EXAMPLE = 'e.g. --set workload.duration=10s or --set topology.replicas=1';

/** Parses every argument first, so all malformed ones are reported together. */
export function parseOverrides(file: string, args: readonly string[]): SetOverride[] {
  const problems: ScenarioProblem[] = [];
  const overrides: SetOverride[] = [];
  for (const arg of args) {
    const result = parseOverride(arg);
    if (typeof result === 'string') problems.push({ path: '', message: `--set ${JSON.stringify(arg)}: ${result}` });
    else overrides.push(result);
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return overrides;
}

/** A parsed override, or why the argument is malformed. */
export function parseOverride(arg: string): SetOverride | string {
  const eq = arg.indexOf('=');
  if (eq < 0) return `expected path=value (${EXAMPLE})`;
  const pathText = arg.slice(0, eq).trim();
  if (!pathText) return `the field path before "=" is empty (${EXAMPLE})`;
  const path = parsePath(pathText);
  if (!path) return `"${pathText}" is not a field path: separate keys with "." and write list items as [0] (${EXAMPLE})`;
  const valueDoc = parseDocument(arg.slice(eq + 1), { prettyErrors: false });
  const error = valueDoc.errors[0];
  if (error) return `the value is not valid YAML (${error.message.split('\n')[0]}); quote it, e.g. --set 'name="a: b"'`;
  try {
    return { arg, path, value: valueDoc.toJS() };
  } catch (toJsError) {
    // An alias (*name) with no anchor in the same value, or one that expands too far.
    const message = toJsError instanceof Error ? toJsError.message.split('\n')[0] : String(toJsError);
    return `the value is not valid YAML (${message}); a --set value cannot refer to anchors in the file: quote it, e.g. --set 'name="*a"'`;
  }
}

/** Applies overrides in order (a later one wins); the document's top level must be a mapping. */
export function applyOverrides(file: string, doc: Document, overrides: readonly SetOverride[]): void {
  const problems: ScenarioProblem[] = [];
  for (const override of overrides) {
    const problem = applyOverride(doc, override);
    if (problem) problems.push({ path: formatPath(override.path), message: `${problem} (from --set ${override.arg})` });
  }
  if (problems.length > 0) throw new ScenarioError(file, problems);
}

function applyOverride(doc: Document, { path, value }: SetOverride): string | undefined {
  let parent: unknown = doc.contents;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isCollection(parent)) return undefined;
    const segment = path[i]!;
    let child: unknown = parent.get(segment, true);
    if (isAlias(child)) child = child.resolve(doc);
    // A missing or empty parent ("workload:" with nothing under it) becomes a new mapping.
    if (child === undefined || (isScalar(child) && child.value === null)) {
      parent.set(segment, doc.createNode(nest(path.slice(i + 1), value)));
      return undefined;
    }
    if (!isCollection(child)) {
      const held = isScalar(child) ? JSON.stringify(child.value) : 'a value';
      return `"${formatPath(path.slice(0, i + 1))}" holds ${held}, not a mapping, so it has no field "${String(path[i + 1])}"`;
    }
    parent = child;
  }
  if (isCollection(parent)) parent.set(path.at(-1)!, doc.createNode(value));
  return undefined;
}

/** {a: {b: value}} for ["a", "b"]; numeric segments make lists. */
function nest(path: readonly PathSegment[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, segment) => {
    if (typeof segment === 'string') return { [segment]: inner };
    const list: unknown[] = [];
    list[segment] = inner;
    return list;
  }, value);
}

export interface Blame {
  readonly override: SetOverride;
  /** True when the override set this very field (or a parent of it), not a sibling. */
  readonly direct: boolean;
}

/**
 * The override a problem at `path` comes from: the last one that set the path or an ancestor of
 * it. With `withSiblings`, an override of a neighbouring key also counts, because switching a `kind`
 * by --set is what makes keys required or unknown next to it.
 */
export function overrideBehind(path: readonly PropertyKey[], overrides: readonly SetOverride[], withSiblings = false): Blame | undefined {
  const direct = overrides.findLast((o) => startsWith(path, o.path));
  if (direct) return { override: direct, direct: true };
  if (!withSiblings || path.length === 0) return undefined;
  const parent = path.slice(0, -1);
  const siblings = overrides.filter((o) => o.path.length === path.length && startsWith(o.path, parent));
  // A changed `kind` explains a neighbour's problem better than any other sibling does.
  const sibling = siblings.findLast((o) => o.path.at(-1) === 'kind') ?? siblings.at(-1);
  return sibling && { override: sibling, direct: false };
}
