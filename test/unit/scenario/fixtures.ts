import { fileURLToPath } from 'node:url';

// Shared by the scenario and CLI tests: where the fixture scenarios and the shipped ones live.

export const FIXTURES = fileURLToPath(new URL('../../fixtures/scenarios/', import.meta.url));
export const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

export const fixture = (name: string): string => `${FIXTURES}${name}`;
