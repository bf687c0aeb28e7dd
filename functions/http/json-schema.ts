import * as z from 'zod';

/**
 * The route table's zod schemas as JSON Schema, for API Gateway's request models (draft-04)
 * and the OpenAPI 3.1 document (2020-12). Refinements (`superRefine`, time zones) have no
 * JSON Schema form: the Lambda still checks them, so a model is never stricter than zod.
 */
export type JsonSchema = { [key: string]: unknown };

/** A copy of a JSON Schema tree without the keys `drop` names in each object. */
function withoutKeys(node: unknown, drop: (key: string, object: JsonSchema) => boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutKeys(item, drop));
  if (node === null || typeof node !== 'object') return node;
  const object = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(object)) {
    if (!drop(key, object)) out[key] = withoutKeys(value, drop);
  }
  return out;
}

/** Drops `format` where zod also wrote the pattern it checks: validators differ on formats, never on a pattern. */
const withoutFormat = (node: unknown) => withoutKeys(node, (key, object) => key === 'format' && typeof object.pattern === 'string');

/** Drops `pattern` where a `format` says the same more readably (zod's date-time regex is long). */
const withoutFormatPattern = (node: unknown) => withoutKeys(node, (key, object) => key === 'pattern' && typeof object.format === 'string');

const toComponentRefs = (schema: JsonSchema): JsonSchema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;

/** A self-contained JSON Schema draft-04 of a request body, as API Gateway models take it. */
export function requestBodyModel(schema: z.ZodType): JsonSchema {
  return withoutFormat(z.toJSONSchema(schema, { target: 'draft-04', io: 'input', reused: 'inline', unrepresentable: 'any' })) as JsonSchema;
}

/**
 * A schema for the OpenAPI document: request schemas as clients send them (`input`), response
 * schemas as the API answers (`output`). Schemas named with `.meta({ id })` move to
 * `components` (added to `components`, referenced by `#/components/schemas/<id>`).
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = withoutFormatPattern(z.toJSONSchema(schema, { target: 'draft-2020-12', io, reused: 'inline', unrepresentable: 'any' })) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = json;
  for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const moved = toComponentRefs(def);
    const existing = components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(moved)) throw new Error(`two different schemas are named ${id}`);
    components[id] = moved;
  }
  return toComponentRefs(rest);
}
