import { z } from 'zod';

// Which keys a mapping accepts at a given path, for "unknown key ... did you mean" messages.
// zod's unrecognized-keys issue names the bad keys but not the good ones, so the schema is walked
// alongside the data (the data picks the branch of discriminated unions such as loop.kind).

type Schema = z.core.$ZodType;

export function knownKeysAt(root: Schema, path: readonly PropertyKey[], data: unknown): string[] {
  let schema = unwrap(root, data);
  let value = data;
  for (const segment of path) {
    value = childValue(value, segment);
    schema = unwrap(schema && childSchema(schema, segment), value);
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function childSchema(schema: Schema, segment: PropertyKey): Schema | undefined {
  if (schema instanceof z.ZodObject) return schema.shape[String(segment)];
  if (schema instanceof z.ZodArray) return schema.element;
  if (schema instanceof z.ZodRecord) return schema.valueType;
  return undefined;
}

function childValue(value: unknown, segment: PropertyKey): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
}

// Defaults, optionals and transforms do not change which keys are accepted; see through them.
function unwrap(schema: Schema | undefined, value: unknown): Schema | undefined {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else if (current instanceof z.ZodDiscriminatedUnion) {
      current = pickOption(current, value);
    } else {
      return current;
    }
  }
}

function pickOption(union: z.ZodDiscriminatedUnion, value: unknown): Schema | undefined {
  const discriminator = union.def.discriminator;
  const kind = childValue(value, discriminator);
  return union.options.find(
    (option) => option instanceof z.ZodObject && option.shape[discriminator]?.safeParse(kind).success,
  );
}
