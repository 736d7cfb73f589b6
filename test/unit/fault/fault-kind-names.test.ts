import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FAULT_KIND_NAMES } from '../../../src/harness/fault/fault-catalog.ts';

// Issue 15: each fault kind's name appears in exactly one file under src/ besides the registry,
// its own (src/harness/fault/kinds/<kind>.ts). Everything else asks the registry for a property
// (network fault? hits the primary? which providers?) instead of naming kinds.
//
// The rule, as checked here. Every string literal in src/ (.ts and .mjs, comments excluded: the
// files are parsed) whose text is a registered kind's name names that kind, unless its place shows
// it belongs to another vocabulary that happens to share the word:
//  1. keyed by something other than `kind`: the value of a property not called kind, compared
//     with a variable or member not called kind, a case of a switch over a member not called kind
//     (`type: 'failover'` is a history event, `mode === 'reset'` a partition's cut mode);
//  2. listed beside a string that is no kind's name: in one array, union type or argument list
//     (`['kill', '-HUP', '1']` is a command line, `'blackhole' | 'reset'` cut modes,
//     `Pick<Scenario, 'regions' | 'latency'>` scenario fields);
//  3. the head of an issue path (`path: ['latency', ...]`, `[['latency'], message]`): the
//     scenario's latency field, not the fault;
//  4. the few places no syntax can tell, listed in OTHER_MEANINGS with the reason (each entry
//     must still be needed, so the list cannot rot).
// So `fault.kind === 'partition'`, `case 'kill':`, `new Set(['kill', 'stop'])` or
// `const name = 'pause'` outside the kind's file fail the test; the self-test below shows it.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTRY = 'src/harness/fault/fault-registry.ts';
const ownFile = (name: string) => `src/harness/fault/kinds/${name}.ts`;

const OTHER_MEANINGS: readonly { readonly file: string; readonly name: string; readonly why: string }[] = [
  { file: 'src/harness/network/link-pump.mjs', name: 'reset', why: "the pump's queue item for a connection closed without a FIN (an RST)" },
];

type Literal = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral;

/** The name a literal is keyed by (property, compared operand, switch subject), if any. */
function keyOf(node: Literal): string | undefined {
  let at: ts.Node = node;
  if (ts.isLiteralTypeNode(at.parent)) at = at.parent;
  const parent = at.parent;
  const nameOf = (expression: ts.Node): string | undefined => {
    let e = expression;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    if (ts.isIdentifier(e) || ts.isPrivateIdentifier(e)) return e.text;
    if (ts.isPropertyAccessExpression(e)) return e.name.text;
    if (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression)) return e.argumentExpression.text;
    return undefined;
  };
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name !== at) return nameOf(parent.name);
  if (ts.isBinaryExpression(parent) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(parent.operatorToken.kind)) {
    return nameOf(parent.left === at ? parent.right : parent.left);
  }
  if (ts.isCaseClause(parent)) return nameOf(parent.parent.parent.expression);
  return undefined;
}

/** The string literals listed beside this one (array, union type, call arguments). */
function siblingsOf(node: Literal): string[] {
  let at: ts.Node = node;
  if (ts.isLiteralTypeNode(at.parent)) at = at.parent;
  const parent = at.parent;
  const items: readonly ts.Node[] = ts.isArrayLiteralExpression(parent)
    ? parent.elements
    : ts.isUnionTypeNode(parent)
      ? parent.types
      : ts.isCallExpression(parent) || ts.isNewExpression(parent)
        ? (parent.arguments ?? [])
        : [];
  return items
    .map((item) => (ts.isLiteralTypeNode(item) ? item.literal : item))
    .filter((item): item is Literal => item !== node && (ts.isStringLiteral(item) || ts.isNoSubstitutionTemplateLiteral(item)))
    .map((item) => item.text);
}

/** The head of an issue path: `path: ['x', ...]` or the path of a `[path, message]` problem. */
function headsAPath(node: Literal): boolean {
  const array = node.parent;
  if (!ts.isArrayLiteralExpression(array) || array.elements[0] !== node) return false;
  const holder = array.parent;
  if (ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'path') return true;
  return ts.isArrayLiteralExpression(holder) && holder.elements[0] === array && holder.elements.length === 2;
}

/** The kind names each literal of this source names, as the rule above reads them. */
function kindsNamedIn(file: string, text: string, names: readonly string[]): Set<string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const named = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.includes(node.text)) {
      const key = keyOf(node);
      const otherVocabulary =
        (key !== undefined && key !== 'kind') || siblingsOf(node).some((sibling) => !names.includes(sibling)) || headsAPath(node);
      if (!otherVocabulary) named.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return named;
}

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(join(ROOT, 'src'), { recursive: true });
  return entries.filter((file) => /\.(ts|mjs)$/.test(file)).map((file) => relative(ROOT, join(ROOT, 'src', file)));
}

describe('fault kind names', () => {
  it('name each kind in its own file and nowhere else under src/ but the registry', async () => {
    const files = await sourceFiles();
    expect(files.length).toBeGreaterThan(300);
    const namers = new Map<string, string[]>(FAULT_KIND_NAMES.map((name) => [name, []]));
    const othersUsed = new Set<(typeof OTHER_MEANINGS)[number]>();
    for (const file of files) {
      for (const name of kindsNamedIn(file, await readFile(join(ROOT, file), 'utf8'), FAULT_KIND_NAMES)) {
        const other = OTHER_MEANINGS.find((entry) => entry.file === file && entry.name === name);
        if (other) othersUsed.add(other);
        else namers.get(name)!.push(file);
      }
    }
    for (const name of FAULT_KIND_NAMES) expect({ name, files: namers.get(name) }).toEqual({ name, files: [ownFile(name)] });
    expect(files).toContain(REGISTRY);
    expect([...othersUsed]).toEqual(OTHER_MEANINGS);
    // And every file in kinds/ is a registered kind (none written and forgotten).
    const kindFiles = files.filter((file) => file.startsWith('src/harness/fault/kinds/')).sort();
    expect(kindFiles).toEqual(FAULT_KIND_NAMES.map(ownFile).sort());
  });

  it('counts a kind named outside its file, and not a word of another vocabulary', () => {
    const names = ['kill', 'stop', 'pause', 'partition', 'latency', 'reset', 'failover'];
    const named = (text: string) => [...kindsNamedIn('x.ts', text, names)].sort();
    expect(named("if (fault.kind === 'partition') cut();")).toEqual(['partition']);
    expect(named("switch (fault.kind) { case 'kill': break; }")).toEqual(['kill']);
    expect(named("const PRIMARY = new Set(['kill', 'stop']);")).toEqual(['kill', 'stop']);
    expect(named("const name = 'pause';")).toEqual(['pause']);
    expect(named("const f = { kind: 'latency', delay: 5 };")).toEqual(['latency']);
    expect(named("type K = Extract<Fault, { kind: 'reset' }>;")).toEqual(['reset']);
    expect(named("if (event.type === 'failover') x(); sink({ type: 'failover' });")).toEqual([]);
    expect(named("exec(['kill', '-HUP', '1']); type M = 'blackhole' | 'reset'; if (cut.mode === 'reset') y();")).toEqual([]);
    expect(named("ctx.addIssue({ path: ['latency', ...path], message }); problems.push([['latency'], 'no']);")).toEqual([]);
    expect(named("// a comment about 'partition'\nconst s = `partition of ${x}`;")).toEqual([]);
  });
});
