import type { Engine } from '../engine.ts';
import { mongoEngine } from '../mongo/mongo-engine.ts';
import { postgresEngine } from '../postgres/postgres-engine.ts';

// Every database engine faultline runs: adding one is a folder under src/engines/ and one line here.
export const ENGINES: readonly Engine[] = [postgresEngine, mongoEngine];

/** The engine that runs a topology kind. */
export function engineFor(kind: string): Engine {
  const engine = ENGINES.find((candidate) => candidate.kinds.includes(kind));
  if (!engine) throw new Error(`no engine runs topology kind ${kind} (known: ${ENGINES.flatMap((e) => e.kinds).join(', ')})`);
  return engine;
}
