import { z } from 'zod';
import { formatPath, parsePath, type PathSegment } from '../scenario/dotted-path.ts';
import { Scenario } from '../scenario/schema.ts';
import { closest } from '../scenario/suggest.ts';

// A matrix key names a field the way --set does. A typo there would otherwise surface as the same
// "unknown key" problem once per variant, after every variant was built; checking the path
// against the schema first gives one message, before anything else happens.

type Schema = z.core.$ZodType;

// The matrix runs variants of one scenario: the name is shared (it names the report folder) and
// the matrix cannot vary itself.
const FIXED_FIELDS: Record<string, string> = {
  name: 'every variant shares the scenario name (it names the report folder)',
  matrix: 'the matrix cannot vary itself',
};

/** The parsed path, or why `text` is not a field of the scenario. */
export function checkMatrixPath(text: string): PathSegment[] | string {
  const path = parsePath(text);
  if (!path) return `"${text}" is not a field path: separate keys with "." and write list items as [0], e.g. topology.replication`;
  const first = path[0];
  if (typeof first === 'string' && FIXED_FIELDS[first]) return `"${text}" cannot be a matrix dimension: ${FIXED_FIELDS[first]}`;
  let options: Schema[] = [Scenario];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const containers = options.flatMap(containersOf);
    const where = i === 0 ? 'a scenario' : `"${formatPath(path.slice(0, i))}"`;
    if (containers.length === 0) return `"${text}": ${where} holds a value, not a mapping, so it has no field "${String(segment)}"`;
    const next = containers.flatMap((container) => childOf(container, segment));
    if (next.length === 0) return unknownSegment(text, where, segment, containers);
    options = next;
  }
  return path;
}

/** The object, record, array and tuple schemas a value at this schema can be, defaults and unions seen through. */
function containersOf(schema: Schema): Schema[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return containersOf(schema.unwrap() as Schema);
  }
  if (schema instanceof z.ZodPipe) return containersOf(schema.in as Schema);
  // Any branch may hold the field: the variant's own value can switch `kind`, and the full
  // validation of each variant still catches a field that its branch does not have.
  if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) {
    return (schema.options as readonly Schema[]).flatMap(containersOf);
  }
  const container = schema instanceof z.ZodObject || schema instanceof z.ZodRecord || schema instanceof z.ZodArray || schema instanceof z.ZodTuple;
  return container ? [schema] : [];
}

function childOf(container: Schema, segment: PathSegment): Schema[] {
  if (container instanceof z.ZodObject) {
    const child = typeof segment === 'string' ? (container.shape as Record<string, Schema>)[segment] : undefined;
    return child ? [child] : [];
  }
  if (container instanceof z.ZodRecord) return typeof segment === 'string' ? [container.valueType as Schema] : [];
  if (container instanceof z.ZodArray) return typeof segment === 'number' ? [container.element as Schema] : [];
  if (container instanceof z.ZodTuple) {
    const item = typeof segment === 'number' ? (container.def.items as readonly Schema[])[segment] : undefined;
    return item ? [item] : [];
  }
  return [];
}

function unknownSegment(text: string, where: string, segment: PathSegment, containers: readonly Schema[]): string {
  if (typeof segment === 'number') return `"${text}": ${where} is a mapping, not a list, so it has no item [${segment}]`;
  const keys = [...new Set(containers.flatMap((c) => (c instanceof z.ZodObject ? Object.keys(c.shape) : [])))];
  if (keys.length === 0) return `"${text}": ${where} is a list; name an item by its index, e.g. ${where.replaceAll('"', '')}[0]`;
  const suggestion = closest(segment, keys);
  const hint = suggestion ? `did you mean "${suggestion}"?` : `fields there: ${keys.join(', ')}`;
  return `unknown field "${segment}" in "${text}" (${hint})`;
}
