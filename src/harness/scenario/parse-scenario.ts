import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import { LIMITS } from '../units/limits.ts';
import { Scenario } from './schema.ts';
import { describeValue } from './describe-value.ts';
import { ScenarioError, type ScenarioProblem } from './scenario-error.ts';
import { applyOverrides, parseOverrides } from './set-overrides.ts';
import { problemsFromIssues } from './scenario-problems.ts';
import { locate } from './yaml-locations.ts';
import { humanErrorMap } from './zod-messages.ts';
import { errorMessage } from '../output/errors.ts';

// Text → validated Scenario. Stages fail separately (YAML syntax, document shape, --set, schema)
// because a later stage's messages would be noise when an earlier one already failed.

const NEEDS = 'a scenario needs at least name, description and topology (see scenarios/quickstart.yaml)';

/** Parses and validates scenario YAML; `file` is only used in messages. Throws ScenarioError. */
export function parseScenario(source: string, file: string, setArgs: readonly string[] = []): Scenario {
  const overrides = parseOverrides(file, setArgs);
  const lines = new LineCounter();
  // yaml's own duplicate-key check compares each key with every earlier one (20k keys: 24 s);
  // duplicateKeyErrors does it with a set per mapping.
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const errors = [...doc.errors.map((error) => ({ pos: error.pos[0], message: error.message })), ...duplicateKeyErrors(doc)];
  if (errors.length > 0) {
    throw new ScenarioError(
      file,
      errors.slice(0, LIMITS.problemsShown).map((error) => {
        const { line, col } = lines.linePos(error.pos);
        return { path: '', line, column: col, message: `YAML syntax error: ${error.message}` };
      }),
    );
  }
  checkTopLevel(doc, lines, file);
  applyOverrides(file, doc, overrides);
  const data = toData(doc, file);
  const result = Scenario.safeParse(data, { error: humanErrorMap, reportInput: true });
  if (result.success) return result.data;
  throw new ScenarioError(file, problemsFromIssues(result.error.issues, { doc, lines, data, overrides }));
}

function checkTopLevel(doc: Document, lines: LineCounter, file: string): void {
  if (doc.contents === null) {
    throw new ScenarioError(file, [{ path: '', message: `the file is empty; ${NEEDS}` }]);
  }
  if (!isMap(doc.contents)) {
    const problem: ScenarioProblem = {
      path: '',
      ...locate(doc, lines, []),
      message: `the top level must be a mapping of scenario keys (name: ..., topology: ...), got ${describeValue(doc.toJS())}`,
    };
    throw new ScenarioError(file, [problem]);
  }
}

function toData(doc: Document, file: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    // yaml refuses documents that expand aliases exponentially ("billion laughs").
    const message = errorMessage(error);
    throw new ScenarioError(file, [{ path: '', message: `YAML error: ${message}` }]);
  }
}

/** Every repeated key of every mapping, found in one pass (a set of the keys seen per mapping). */
function duplicateKeyErrors(doc: Document): { pos: number; message: string }[] {
  const found: { pos: number; message: string }[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key) && found.length < LIMITS.problemsShown) {
          found.push({ pos: isNode(pair.key) && pair.key.range ? pair.key.range[0] : 0, message: 'Map keys must be unique' });
        }
        seen.add(key);
      }
    },
  });
  return found;
}
