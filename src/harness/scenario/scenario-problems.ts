import type { z } from 'zod';
import type { Document, LineCounter } from 'yaml';
import { Scenario } from './schema.ts';
import { formatPath } from './dotted-path.ts';
import { describeValue } from './describe-value.ts';
import { knownKeysAt } from './schema-keys.ts';
import { closest } from './suggest.ts';
import { overrideBehind, type SetOverride } from './set-overrides.ts';
import { locate, type LocateTarget } from './yaml-locations.ts';
import { withExpected } from './zod-messages.ts';
import type { ScenarioProblem } from './scenario-error.ts';
import { LIMITS } from '../units/limits.ts';

// Turns zod issues into problems that name the field, the line it is on, and where its value came
// from (the file or a --set argument).

export interface IssueContext {
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The plain data that was validated (after --set), to follow discriminated unions. */
  readonly data: unknown;
  readonly overrides: readonly SetOverride[];
}

/** Keys a scenario once had and may never have again, with why and what to do instead. */
const REFUSED_KEYS: Readonly<Record<string, string>> = {
  'provider.binDir':
    'a scenario cannot choose the server binaries (opening a scenario file must never run a program it names): remove it, ' +
    'and if this machine keeps PostgreSQL elsewhere set FAULTLINE_PG_BINDIR (MongoDB: FAULTLINE_MONGO_BINDIR) in the environment',
};

interface PendingProblem {
  readonly path: readonly PropertyKey[];
  readonly message: () => string;
  readonly target: LocateTarget;
}

/**
 * At most `limit` problems, located and in file order; beyond that one more problem says how many
 * were left out. Locating and "did you mean" cost per problem, so a file of two million unknown
 * keys costs what its first `limit` do (the walk over issues is linear).
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext, limit: number = LIMITS.problemsShown): ScenarioProblem[] {
  const pending: PendingProblem[] = [];
  let total = 0;
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, each pointing at the key itself, is what an editor can jump to.
      total += issue.keys.length;
      let known: string[] | undefined;
      for (const key of issue.keys.slice(0, Math.max(0, limit - pending.length))) {
        const path = [...issue.path, key];
        const refused = REFUSED_KEYS[formatPath(path)];
        pending.push({ path, target: 'key', message: () => refused ?? unknownKeyMessage(key, (known ??= knownKeysAt(Scenario, issue.path, context.data))) });
      }
      continue;
    }
    total++;
    // A bad record key (a postgresql.conf name) is fixed at the key, not at its value.
    if (pending.length < limit) pending.push({ path: issue.path, target: issue.code === 'invalid_key' ? 'key' : 'value', message: () => messageOf(issue) });
  }
  const problems = pending.map((each) => problem(each.path, each.message(), each.target, context));
  // File order reads best; problems without a line (from --set) go last.
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  if (total > problems.length) problems.push({ path: '', message: `... and ${total - problems.length} more problems (the first ${problems.length} are shown)` });
  return problems;
}

function problem(path: readonly PropertyKey[], message: string, target: LocateTarget, context: IssueContext): ScenarioProblem {
  const siblings = /^(missing required|unknown) key/.test(message);
  const blame = overrideBehind(path, context.overrides, siblings);
  if (!blame) return { path: formatPath(path), ...locate(context.doc, context.lines, path, target), message };
  const { override, direct } = blame;
  // A value that came from --set has no line in the file worth pointing at.
  if (direct) return { path: formatPath(path), message: `${message} (from --set ${override.arg})` };
  const parent = formatPath(override.path.slice(0, -1));
  return {
    path: formatPath(path),
    ...locate(context.doc, context.lines, path, target),
    message: `${message} (after --set ${override.arg}; to replace the whole mapping use --set '${parent}={...}')`,
  };
}

function messageOf(issue: z.core.$ZodIssue): string {
  // Patterns written into the schema carry a description, not a sentence: add what was found.
  if (issue.code === 'invalid_format' && !/\bgot\b/.test(issue.message)) {
    return `${withExpected(issue.message)}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`;
  return known.length > 0 ? `unknown key "${key}" (allowed here: ${known.join(', ')})` : `unknown key "${key}"`;
}
