import { Faker, en } from '@faker-js/faker';
import { fnv1aString, mix32 } from '../hash.ts';

/**
 * A Faker of its own per table stream: a table's text then depends only on (seed, purpose), not
 * on how many values other tables drew before it.
 */
export function seededFaker(seed: number, purpose: string): Faker {
  const faker = new Faker({ locale: [en] });
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
