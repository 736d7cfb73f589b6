import { relative } from 'node:path';
import { UsageError } from '../output/exit-codes.ts';
import { variantSlugs } from '../compare/variant-label.ts';
import type { LoadedScenario } from '../scenario/load-scenario.ts';
import type { Scenario } from '../scenario/schema.ts';

// `faultline run A.yaml B.yaml ...`: several scenario files run one after another and compared.
// Planning is pure, so the argument handling is unit-tested without a server: every file is
// validated (by the caller, through loadScenario) before the first run starts.

export interface SetMember {
  /** The scenario's name; a second file with the same name gets `name~2`, as matrix variants do. */
  readonly label: string;
  /** Its run folder inside the set folder. */
  readonly slug: string;
  readonly file: string;
  readonly scenario: Scenario;
}

export interface SetPlan {
  /** Names the report folder: `<first scenario's name>-set`. */
  readonly name: string;
  readonly members: readonly SetMember[];
}

export function planSet(loaded: readonly LoadedScenario[], cwd: string = process.cwd()): SetPlan {
  if (loaded.length < 2) throw new UsageError('a set needs at least two scenario files; run one file on its own with faultline run FILE');
  // A matrix already is a set of runs with its own comparison; nesting one in another has no
  // single meaningful layout, so it is refused before any server starts.
  const withMatrix = loaded.filter(({ scenario }) => scenario.matrix !== undefined);
  if (withMatrix.length > 0) {
    const files = withMatrix.map(({ file }) => relative(cwd, file) || file).join(', ');
    throw new UsageError(`${files}: a scenario with a matrix cannot be run in a set of files; run it on its own`);
  }
  const taken = new Map<string, number>();
  const labels = loaded.map(({ scenario }) => {
    const seen = (taken.get(scenario.name) ?? 0) + 1;
    taken.set(scenario.name, seen);
    return seen === 1 ? scenario.name : `${scenario.name}~${seen}`;
  });
  const slugs = variantSlugs(labels);
  return {
    name: `${loaded[0]!.scenario.name}-set`,
    members: loaded.map(({ file, scenario }, i) => ({ label: labels[i]!, slug: slugs[i]!, file, scenario })),
  };
}
