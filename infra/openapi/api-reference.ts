import type { OpenApiDocument } from '../../functions/http/openapi-document.js';
import type { JsonSchema } from '../../functions/http/json-schema.js';

/**
 * docs/api-reference.md, rendered from the OpenAPI document: per route its method, path,
 * roles, parameters, body fields and responses, then the shared response schemas.
 */

interface Field {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly notes: string;
}

const REF = '#/components/schemas/';
const anchorOf = (id: string) => `schema-${id.toLowerCase()}`;
/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
const headingAnchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const id = schema.$ref.slice(REF.length);
    return `[${id}](#${anchorOf(id)})`;
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(typeOf).join(' or ');
  if (schema.type === 'array') return `array of ${typeOf((schema.items ?? {}) as JsonSchema)}`;
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  return `${Array.isArray(schema.type) ? schema.type.join(' or ') : String(schema.type ?? 'any')}${format}`;
}

function notesOf(schema: JsonSchema): string {
  const notes: string[] = [];
  if (typeof schema.description === 'string') notes.push(schema.description);
  if (typeof schema.pattern === 'string') notes.push(`pattern \`${schema.pattern}\``);
  for (const [key, label] of [['minLength', 'min length'], ['maxLength', 'max length'], ['minimum', 'min'], ['maximum', 'max']] as const) {
    const value = schema[key];
    if (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER) notes.push(`${label} ${value}`);
  }
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes.join('; ');
}

/** Object properties as dotted rows (`agent.phone`, `lines[].net`); variants of a union each listed. */
function fieldsOf(schema: JsonSchema, prefix = '', required = true): Field[] {
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants && variants.some((v) => v.type === 'object')) {
    return variants.flatMap((variant, i) => fieldsOf(variant, prefix, required).map((f) => ({ ...f, notes: `variant ${i + 1}${f.notes ? `; ${f.notes}` : ''}` })));
  }
  if (schema.type === 'array' && typeof schema.items === 'object' && (schema.items as JsonSchema).type === 'object') {
    return fieldsOf(schema.items as JsonSchema, `${prefix}[]`, required);
  }
  if (schema.type !== 'object' || typeof schema.properties !== 'object') return prefix ? [{ name: prefix, type: typeOf(schema), required, notes: notesOf(schema) }] : [];
  const needed = new Set((schema.required ?? []) as string[]);
  const rows: Field[] = [];
  for (const [key, child] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const isObject = child.type === 'object' && typeof child.properties === 'object';
    const isObjectArray = child.type === 'array' && (child.items as JsonSchema | undefined)?.type === 'object';
    if (isObject || isObjectArray) rows.push({ name, type: isObject ? 'object' : 'array of object', required: needed.has(key), notes: notesOf(child) });
    rows.push(...(isObject || isObjectArray || child.anyOf || child.oneOf ? fieldsOf(child, name, needed.has(key)) : [{ name, type: typeOf(child), required: needed.has(key), notes: notesOf(child) }]));
  }
  return rows;
}

function fieldTable(fields: readonly Field[]): string[] {
  if (fields.length === 0) return ['(no fields)'];
  return ['| field | type | required | notes |', '|---|---|---|---|', ...fields.map((f) => `| \`${f.name}\` | ${cell(f.type)} | ${f.required ? 'yes' : 'no'} | ${cell(f.notes)} |`)];
}

function contentLine(content: Record<string, { schema: JsonSchema }>): string {
  return Object.entries(content).map(([type, { schema }]) => `\`${type}\` ${typeOf(schema)}`).join(', ');
}

function operationSection(method: string, path: string, op: JsonSchema): string[] {
  const lines = [`### ${method.toUpperCase()} ${path}`, '', String(op.summary), ''];
  if (typeof op.description === 'string') lines.push(op.description, '');
  lines.push(`Roles: ${(op['x-roles'] as string[]).map((r) => `\`${r}\``).join(', ')}. Operation id: \`${String(op.operationId)}\`.`, '');
  const parameters = (op.parameters ?? []) as JsonSchema[];
  if (parameters.length > 0) {
    lines.push('Parameters:', '', '| name | in | type | required | notes |', '|---|---|---|---|---|');
    for (const p of parameters) {
      const schema = p.schema as JsonSchema;
      lines.push(`| \`${String(p.name)}\` | ${String(p.in)} | ${cell(typeOf(schema))} | ${p.required ? 'yes' : 'no'} | ${cell([p.description, notesOf(schema)].filter(Boolean).join('; '))} |`);
    }
    lines.push('');
  }
  const body = (op.requestBody as { content: Record<string, { schema: JsonSchema }> } | undefined)?.content['application/json']?.schema;
  if (body) lines.push('Body (`application/json`):', '', ...fieldTable(fieldsOf(body)), '');
  lines.push('Responses:', '');
  for (const [status, response] of Object.entries(op.responses as Record<string, JsonSchema>)) {
    if (typeof response.$ref === 'string') continue;
    const vary = response.headers ? ' Varies with `Accept`.' : '';
    lines.push(`- \`${status}\` ${String(response.description)}: ${contentLine(response.content as Record<string, { schema: JsonSchema }>)}.${vary}`);
  }
  const errors = Object.values(op.responses as Record<string, JsonSchema>).filter((r) => typeof r.$ref === 'string').map((r) => String(r.$ref).replace('#/components/responses/Error', ''));
  lines.push(`- Errors (the [error shape](#errors)): ${errors.map((s) => `\`${s}\``).join(', ')}.`, '');
  return lines;
}

export function renderApiReference(doc: OpenApiDocument): string {
  const info = doc.info as { title: string; version: string };
  const components = doc.components as { schemas: Record<string, JsonSchema>; responses: Record<string, { description: string }> };
  const lines = [
    `# ${info.title}: reference (v${info.version})`,
    '',
    '<!-- Generated from docs/openapi.json by `npm run openapi`; edit functions/http/routes.ts instead. -->',
    '',
    'Every route, as declared in the route table. Times are ISO-8601 with offset; money is a decimal string in CNY.',
    'Local mode authenticates with `Authorization: Bearer local:<role>[:<subject>]`; on AWS each role is an IAM role (SigV4).',
    '',
    '## Routes',
    '',
    '| method | path | roles | summary |',
    '|---|---|---|---|',
  ];
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  for (const { path, method, op } of operations) {
    lines.push(`| ${method.toUpperCase()} | [\`${path}\`](#${headingAnchor(`${method} ${path}`)}) | ${(op['x-roles'] as string[]).join(', ')} | ${cell(String(op.summary))} |`);
  }
  lines.push('');
  for (const { path, method, op } of operations) lines.push(...operationSection(method, path, op));
  lines.push('## Errors', '', 'Every error, of every route, is `application/json`:', '');
  lines.push(...fieldTable(fieldsOf(components.schemas.Error ?? {})), '');
  for (const [name, response] of Object.entries(components.responses)) lines.push(`- \`${name.replace('Error', '')}\` ${response.description}`);
  lines.push('', '## Schemas', '');
  for (const [id, schema] of Object.entries(components.schemas)) {
    if (id === 'Error') continue;
    lines.push(`<a id="${anchorOf(id)}"></a>`, `### ${id}`, '');
    const items = schema.type === 'array' ? (schema.items as JsonSchema) : undefined;
    if (items) lines.push('An array; each item:', '');
    lines.push(...fieldTable(fieldsOf(items ?? schema)), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
