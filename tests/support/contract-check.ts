import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../functions/http/openapi-document.js';
import type { JsonSchema } from '../../functions/http/json-schema.js';

/**
 * Checks a real HTTP answer against the OpenAPI document of the route table: its status must
 * be documented for the route, its media type offered, its JSON body valid against the
 * schema of that status, and a negotiable route's answer must say `Vary: Accept`. The e2e
 * tests run every answer through this (tests/support/local-api.ts).
 */
const doc = openApiDocument();
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

interface Operation {
  readonly template: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly op: JsonSchema;
}

const operations: Operation[] = Object.entries(doc.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, op]) => ({
    template,
    // Templates are letters, '-', '/' and {params}: nothing else needs escaping.
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    method: method.toUpperCase(),
    op,
  })),
);

function validatorFor(key: string, schema: JsonSchema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    // Refs point at `#/components/…` of the document: compile with the components beside the schema.
    validate = ajv.compile({ ...schema, components: doc.components });
    validators.set(key, validate);
  }
  return validate;
}

export interface Answer {
  readonly method: string;
  /** The request URL's path (query string allowed). */
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** The problems of an answer (empty when it conforms); answers of no route (`/_local/…`, 404/405) are not checked. */
export function contractProblems(answer: Answer): string[] {
  const path = answer.path.split('?')[0] ?? '';
  const found = operations.find((o) => o.method === answer.method && o.pattern.test(path));
  if (!found) return [];
  const where = `${answer.method} ${found.template} → ${answer.status}`;
  const responses = found.op.responses as Record<string, JsonSchema>;
  let response = responses[String(answer.status)];
  if (!response) return [`${where}: status ${answer.status} is not documented for this route (functions/http/route-definition.ts errorStatusesOf, or its responses)`];
  if (typeof response.$ref === 'string') response = (doc.components as { responses: Record<string, JsonSchema> }).responses[String(response.$ref).split('/').pop() ?? ''] ?? {};
  const content = response.content as Record<string, { schema: JsonSchema }>;
  const header = (name: string) => [answer.headers[name]].flat().join(', ');
  const mediaType = header('content-type').split(';')[0]?.trim() ?? '';
  const problems: string[] = [];
  const negotiable = Object.keys(((responses['200'] ?? {}).content ?? {}) as object).length > 1;
  if (negotiable && !/(^|,\s*)accept(\s*,|$)/i.test(header('vary'))) problems.push(`${where}: a negotiable route must answer with Vary: Accept`);
  const offered = content[mediaType];
  if (!offered) return [...problems, `${where}: content type ${mediaType || '(none)'} is not one of ${Object.keys(content).join(', ')}`];
  if (mediaType !== 'application/json') return problems;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `${where}: the body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  const validate = validatorFor(`${answer.method} ${found.template} ${answer.status}`, offered.schema);
  if (!validate(body)) {
    const errors = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    problems.push(`${where}: the body does not match the OpenAPI schema (functions/http/response-schemas.ts): ${errors.join('; ')}`);
  }
  return problems;
}

/** Throws with every problem of the answer. */
export function assertConformsToContract(answer: Answer): void {
  const problems = contractProblems(answer);
  if (problems.length > 0) throw new Error(`contract violation:\n${problems.join('\n')}\nbody: ${answer.text.slice(0, 500)}`);
}
