import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/http/openapi-document.js';
import { errorStatusesOf } from '../../../functions/http/route-definition.js';
import { ROUTES } from '../../../functions/http/routes.js';
import { openApiFiles } from '../../../infra/openapi/openapi-files.js';
import { REPO_ROOT } from '../../../infra/paths.js';
import { contractProblems } from '../../support/contract-check.js';

const doc = openApiDocument();
type Operation = { operationId: string; 'x-roles': string[]; parameters?: { name: string; in: string; required: boolean }[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, unknown>; $ref?: string }> };
const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()] as unknown as Operation;

describe('the OpenAPI document of the route table', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route once, with its roles, parameters, body and statuses', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const op = operation(route.method, route.path);
      expect(op.operationId).toBe(route.handler);
      expect(op['x-roles']).toEqual(route.roles);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      expect(Boolean(op.requestBody)).toBe(Boolean(route.body));
      const statuses = Object.keys(op.responses).map(Number).sort((a, b) => a - b);
      expect(statuses).toEqual([...Object.keys(route.responses).map(Number), ...errorStatusesOf(route)].sort((a, b) => a - b));
    }
  });

  it('marks required query parameters, and offers CSV beside JSON where the route produces it', () => {
    const search = operation('GET', '/v1/audit/events');
    expect(search.parameters?.filter((p) => p.required).map((p) => p.name).sort()).toEqual(['from', 'to']);
    expect(search.parameters?.find((p) => p.name === 'limit')?.required).toBe(false);
    expect(Object.keys(operation('GET', '/v1/settlements/{month}').responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(operation('GET', '/v1/reports/false-contact').responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(operation('GET', '/v1/reports/quality').responses['200']!.content!)).toEqual(['application/json']);
  });

  it('is what `npm run openapi` committed (docs/openapi.json, docs/api-reference.md)', () => {
    for (const file of openApiFiles()) {
      const committed = readFileSync(join(REPO_ROOT, file.path), 'utf8');
      expect(committed === file.text, `${file.path} is out of date with functions/http/routes.ts: run \`npm run openapi\``).toBe(true);
    }
  });

  it('renders a reference naming every route, its roles and its body fields', () => {
    const reference = openApiFiles().find((f) => f.path.endsWith('api-reference.md'))!.text;
    for (const route of ROUTES) expect(reference).toContain(`### ${route.method} ${route.path}`);
    expect(reference).toContain('| `agent.phone` | string | yes |');
    expect(reference).toContain('Roles: `callcentre`. Operation id: `record-callback-attempt`.');
  });
});

describe('the e2e contract check', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const error = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'policy P1 not found', details: [] } });

  it('accepts a documented error and ignores answers of no route', () => {
    expect(contractProblems({ method: 'GET', path: '/v1/policies/P1', status: 404, headers: json, text: error })).toEqual([]);
    expect(contractProblems({ method: 'GET', path: '/_local/clock', status: 200, headers: json, text: '{}' })).toEqual([]);
  });

  it('rejects an undocumented status, a body off its schema, an unknown field and a missing Vary', () => {
    expect(contractProblems({ method: 'GET', path: '/v1/callbacks/due', status: 404, headers: json, text: error })[0]).toMatch(/status 404 is not documented/);
    expect(contractProblems({ method: 'POST', path: '/v1/policies/P1/callback-attempts', status: 200, headers: json, text: '{"roundStatus":1}' })[0]).toMatch(/roundStatus must be string/);
    expect(contractProblems({ method: 'POST', path: '/v1/policies/P1/special-requests', status: 201, headers: json, text: '{"requestId":"SR-1","extra":true}' })[0]).toMatch(/must NOT have additional properties {"additionalProperty":"extra"}/);
    const csv = { 'content-type': 'text/csv; charset=utf-8' };
    expect(contractProblems({ method: 'GET', path: '/v1/reports/false-contact?quarter=2026-Q1', status: 200, headers: csv, text: 'a,b\r\n' })).toEqual([
      'GET /v1/reports/false-contact → 200: a negotiable route must answer with Vary: Accept',
    ]);
    expect(contractProblems({ method: 'GET', path: '/v1/reports/false-contact', status: 200, headers: { ...csv, vary: 'Accept' }, text: 'a,b\r\n' })).toEqual([]);
    expect(contractProblems({ method: 'GET', path: '/v1/reports/quality', status: 200, headers: csv, text: 'a,b\r\n' })[0]).toMatch(/content type text\/csv is not one of application\/json/);
  });
});
