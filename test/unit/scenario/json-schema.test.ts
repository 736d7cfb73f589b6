import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_FILE, scenarioJsonSchema } from '../../../src/harness/scenario/write-json-schema.ts';
import { FIXTURES, SCENARIOS } from './fixtures.ts';

describe('scenarios/scenario.schema.json', () => {
  it('matches the zod schema (npm install and npm test write it; `npm run schema` after changing schema.ts)', async () => {
    expect(await readFile(JSON_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
  });

  it('describes what people write: durations as text, defaults, strict objects', () => {
    const schema = JSON.parse(scenarioJsonSchema()) as {
      required: string[];
      additionalProperties: boolean;
      properties: { workload: { properties: { duration: { type: string[] } } } };
    };
    expect(schema.required).toEqual(['name', 'description', 'topology']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.workload.properties.duration.type).toEqual(['number', 'string']);
  });

  it('is referenced from the first line of every scenario file', async () => {
    const dirs = [
      { dir: SCENARIOS, reference: './scenario.schema.json' },
      { dir: FIXTURES, reference: '../../../scenarios/scenario.schema.json' },
    ];
    for (const { dir, reference } of dirs) {
      for (const name of (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file))) {
        const text = await readFile(`${dir}${name}`, 'utf8');
        if (text === '') continue; // the empty-file fixture must stay empty
        expect(text.split('\n')[0], name).toBe(`# yaml-language-server: $schema=${reference}`);
      }
    }
  });
});
