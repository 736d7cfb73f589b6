import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Scenario } from './schema.ts';

// scenarios/scenario.schema.json is generated, never edited and not in git: npm install (prepare),
// npm test (pretest) and `npm run schema` write it, and a unit test fails when it no longer matches
// schema.ts. So a new field or fault kind is a change to the sources only. The input side of the schema is what people
// write (durations as "20s"), so that is what editors complete and check.

export const JSON_SCHEMA_FILE = fileURLToPath(new URL('../../../scenarios/scenario.schema.json', import.meta.url));

/** The JSON Schema text, formatted exactly as committed. */
export function scenarioJsonSchema(): string {
  const { $schema, ...rest } = z.toJSONSchema(Scenario, { io: 'input' });
  const schema = { $schema, $comment: 'Generated from src/harness/scenario/schema.ts by `npm run schema`; do not edit.', ...rest };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export async function writeJsonSchema(file: string = JSON_SCHEMA_FILE): Promise<void> {
  await writeFile(file, scenarioJsonSchema());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeJsonSchema();
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
}
