import { z } from 'zod';
import { closest } from './suggest.ts';
import { describeValue, quoteAll } from './describe-value.ts';

// Human wording for zod's issues ("expected a number, got string "two"" rather than "Invalid
// input"). Passed per parse, so messages written into the schema itself still win, and nothing
// global is changed for other users of zod.

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

export const humanErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedText(issue.expected, issue.inst);
      if (issue.input !== undefined) return `expected ${expected}, got ${describeValue(issue.input)}`;
      const key = issue.path?.at(-1);
      return typeof key === 'string' ? `missing required key "${key}" (expected ${expected})` : `missing (expected ${expected})`;
    }
    case 'too_small':
      return bound(issue.origin, 'at least', 'greater than', issue.minimum, issue.inclusive, issue.input);
    case 'too_big':
      return bound(issue.origin, 'at most', 'less than', issue.maximum, issue.inclusive, issue.input);
    case 'invalid_value':
      return oneOf(issue.values, issue.input);
    case 'invalid_union': {
      if (issue.discriminator === undefined) return unionMessage(issue.errors, issue.input);
      const options: readonly unknown[] = Array.isArray(issue.options) ? issue.options : [];
      const kind = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
      if (kind === undefined) return `missing required key "${issue.discriminator}" (one of ${quoteAll(options)})`;
      return oneOf(options, kind);
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message ?? 'not allowed here';
      return `invalid key ${JSON.stringify(issue.input)}: ${withExpected(inner)}`;
    }
    case 'invalid_format': {
      const wanted = issue.format === 'regex' && issue.pattern ? `text matching ${issue.pattern}` : `a valid ${issue.format}`;
      return `expected ${wanted}, got ${describeValue(issue.input)}`;
    }
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${quoteAll(issue.keys)}`;
    default:
      return undefined;
  }
};

/** Schema-written messages ("a postgresql.conf parameter name") read better as "expected ...". */
export function withExpected(message: string): string {
  return /^(expected|must|missing|unknown|invalid)\b/.test(message) ? message : `expected ${message}`;
}

function expectedText(expected: string, inst: unknown): string {
  if (inst instanceof z.ZodDiscriminatedUnion) {
    const disc = inst.def.discriminator;
    const kinds = inst.options.flatMap((option) => {
      const literal = option instanceof z.ZodObject ? option.shape[disc] : undefined;
      return literal instanceof z.ZodLiteral ? [...literal.values] : [];
    });
    return `a mapping with ${disc}: ${kinds.join(' or ')}`;
  }
  return TYPE_NAMES[expected] ?? expected;
}

function bound(
  origin: string,
  inclusiveWord: string,
  exclusiveWord: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  input: unknown,
): string | undefined {
  const relation = `${inclusive === false ? exclusiveWord : inclusiveWord} ${limit}`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return `must be ${relation}, got ${describeValue(input)}`;
  const isMinimumOne = inclusiveWord === 'at least' && Number(limit) === 1;
  if (origin === 'array') {
    if (Number(limit) === 0) return 'must be empty';
    return isMinimumOne ? 'must list at least one item' : `must have ${relation} items`;
  }
  if (origin === 'string') return isMinimumOne ? 'must not be empty' : `must have ${relation} characters`;
  return undefined;
}

function oneOf(values: readonly unknown[], input: unknown): string {
  const allowed = values.length === 1 ? quoteAll(values) : `one of ${quoteAll(values)}`;
  const suggestion = typeof input === 'string' ? closest(input, values.map(String)) : undefined;
  return `expected ${allowed}, got ${describeValue(input)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function unionMessage(branches: readonly (readonly z.core.$ZodIssue[])[], input: unknown): string {
  const expected = branches.flatMap((issues) =>
    issues.flatMap((issue) => (issue.code === 'invalid_type' && issue.path.length === 0 ? [TYPE_NAMES[issue.expected] ?? issue.expected] : [])),
  );
  if (expected.length !== branches.length) return `does not match any allowed form, got ${describeValue(input)}`;
  const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : (expected[0] ?? '');
  return `expected ${list}, got ${describeValue(input)}`;
}
