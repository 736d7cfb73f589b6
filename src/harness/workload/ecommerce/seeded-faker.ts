import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';
import { fnv1aString, mix32 } from '../hash.ts';

// The English locale's own entry point: the package's index loads all of its ~70 locales, about
// 0.3 s of CPU in every process that generates data. Its instance is built from English with the
// base locale as fallback; a Faker made from those definitions and seeded the same draws the same
// text as one made from `en` alone (every name, address and product the workload asks for).
const FakerOfEnglish = english.constructor as typeof Faker;

/**
 * A Faker of its own per table stream: a table's text then depends only on (seed, purpose), not
 * on how many values other tables drew before it.
 */
export function seededFaker(seed: number, purpose: string): Faker {
  const faker = new FakerOfEnglish({ locale: english.rawDefinitions });
  faker.seed(mix32(seed, fnv1aString(purpose)));
  return faker;
}

const SECOND = 1000;
const DAY = 86_400 * SECOND;
export const YEAR_MS = 365 * DAY;
export const DAY_MS = DAY;

/** ISO text for a whole-second instant; PostgreSQL reads it as timestamptz. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString();
}
