import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import type { OperationName } from '../scenario/schema.ts';

// Serialising operation values is most of what recording an operation costs. fast-json-stringify
// compiles a serialiser from a JSON Schema that is several times faster than JSON.stringify
// (bench/recording-cost.ts). It writes only the properties a schema declares, so schemas come from
// the same zod definitions the values are validated with, and a test round-trips generated
// operations to prove nothing is dropped. Anything without a schema goes through JSON.stringify.

export type Serialize = (value: unknown) => string;

export interface ValueSerializers {
  /** Invoke values (operation arguments), per operation. */
  readonly invoke: Partial<Record<OperationName, Serialize>>;
  /** Values of ok completions, per operation. */
  readonly ok: Partial<Record<OperationName, Serialize>>;
}

export const NO_SERIALIZERS: ValueSerializers = { invoke: {}, ok: {} };

function compile(schema: z.ZodType): Serialize {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' }) as object;
  return fastJson(json as Parameters<typeof fastJson>[0]) as Serialize;
}

export function compileSerializers(
  invoke: Partial<Record<OperationName, z.ZodType>>,
  ok: Partial<Record<OperationName, z.ZodType>>,
): ValueSerializers {
  const build = (schemas: Partial<Record<OperationName, z.ZodType>>) =>
    Object.fromEntries(Object.entries(schemas).map(([f, schema]) => [f, compile(schema)])) as Partial<Record<OperationName, Serialize>>;
  return { invoke: build(invoke), ok: build(ok) };
}
