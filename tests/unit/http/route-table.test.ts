import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serveRoute } from '../../../functions/http/http-handler.js';
import { requestBodyModel } from '../../../functions/http/json-schema.js';
import { type AnyRoute, defineRoute } from '../../../functions/http/route-definition.js';
import { ROUTES } from '../../../functions/http/routes.js';
import type { Dependencies } from '../../../functions/use-cases/dependencies.js';
import { HANDLERS_DIR } from '../../../infra/paths.js';
import { attempt, registration } from '../../support/policies.js';

describe('the route table', () => {
  it('has one Lambda entry file per route, each serving the route it is named after', async () => {
    const files = readdirSync(join(HANDLERS_DIR, 'http')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(files.sort()).toEqual(ROUTES.map((r) => r.handler).sort());
    for (const name of files) {
      const module = (await import(join(HANDLERS_DIR, 'http', `${name}.ts`))) as { handler: { route: string } };
      expect(module.handler.route).toBe(name);
    }
  });

  it('declares every path parameter with a schema, and each method and path once', () => {
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    for (const route of ROUTES) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(route.params?.shape ?? {}), `${route.method} ${route.path}`).toEqual(names);
    }
  });
});

describe("API Gateway's request models, generated from the body schemas", () => {
  const now = new Date('2026-03-02T01:00:00Z');
  const valid: Record<string, unknown[]> = {
    'register-policy': [registration('P-1', now), registration('P-2', now, { ruleSet: 'strict-72h', timeZone: 'Asia/Shanghai' })],
    'record-receipt': [{ returnedAt: '2026-03-02T09:00:00+08:00' }],
    'cancel-policy': [{ cancelledAt: now.toISOString(), reason: 'surrendered' }],
    'record-callback-attempt': [attempt(1, now, { reached: true }), attempt(2, now, { reached: false, reason: 'NO_ANSWER' })],
    'update-contact': [{ confirm: true }, { phone: '13812345679', address: 'Shanghai' }],
    'file-special-request': [{ type: 'EXEMPT', reason: 'abroad', signedConfirmationRef: 'DOC-1' }],
    'decide-special-request': [{ approve: false, note: 'no' }],
    'record-manual-visit': [{ visitedAt: now.toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: 'V1', findings: { proxySignature: false, misleading: false } }],
    'decide-review': [{ decision: 'UPHOLD', note: 'heard the recording' }],
    'run-settlement': [{ month: '2026-02' }],
    'put-staff': [{ name: 'Li Na', email: 'li.na@insurer.example', roles: ['branch', 'manager'], branchId: 'BR-SH' }, { name: 'Wang', email: 'w@insurer.example', roles: ['compliance'] }],
    'request-archive-access': [
      { scope: { policyIds: ['P-1'] }, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', reason: 'inspection' },
      { scope: { branchId: 'B1' }, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', reason: 'inspection' },
    ],
    'decide-archive-access': [{ approve: true, validUntil: '2026-04-01T00:00:00Z' }, { approve: false }],
  };
  const ajv = new AjvDraft04.default({ allErrors: true });
  const bodyRoutes = ROUTES.filter((r) => r.body);

  it('cover every route with a body', () => {
    expect(bodyRoutes.map((r) => r.handler).sort()).toEqual(Object.keys(valid).sort());
  });

  it.each(bodyRoutes.map((r) => [r.handler, r] as const))('%s: a valid draft-04 schema accepting what the Lambda accepts, refusing unknown fields', (handler, route) => {
    const model = requestBodyModel(route.body!);
    expect(model.$schema).toBe('http://json-schema.org/draft-04/schema#');
    const validate = ajv.compile(model);
    for (const body of valid[handler]!) {
      expect(route.body!.safeParse(body).success, JSON.stringify(body)).toBe(true);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    }
    const withExtra = { ...(valid[handler]![0] as object), unexpected: 1 };
    expect(validate(withExtra)).toBe(false);
  });
});

describe('one request through a route: roles, negotiation, validation, Vary', () => {
  const report = { quarter: '2026-Q1', rows: 2 };
  const negotiable = defineRoute({
    handler: 'test-report',
    method: 'GET',
    path: '/v1/test/{id}',
    summary: 'test',
    roles: ['manager'],
    access: { table: 'R' },
    params: z.object({ id: z.string().regex(/^[A-Z]\d$/, 'must be a letter and a digit') }),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(10).default(5) }),
    produces: ['application/json', 'text/csv'],
    responses: { 200: { schema: z.object({ quarter: z.string(), rows: z.int() }), description: 'ok' } },
    run: async ({ mediaType }) => (mediaType === 'text/csv' ? { status: 200, text: 'quarter,rows\r\n2026-Q1,2\r\n', filename: 'report.csv' } : { status: 200, body: report }),
  }) as unknown as AnyRoute;
  const jsonOnly = { ...negotiable, produces: undefined } as AnyRoute;
  const event = (headers: Record<string, string>, overrides: Partial<APIGatewayProxyEvent> = {}) =>
    ({ headers: { Authorization: 'Bearer local:manager', ...headers }, pathParameters: { id: 'A1' }, queryStringParameters: null, body: null, ...overrides }) as unknown as APIGatewayProxyEvent;
  const deps = () => ({}) as Dependencies;
  let previousMode: string | undefined;
  beforeAll(() => {
    previousMode = process.env.AUTH_MODE;
    process.env.AUTH_MODE = 'local';
  });
  afterAll(() => {
    if (previousMode === undefined) delete process.env.AUTH_MODE;
    else process.env.AUTH_MODE = previousMode;
  });

  it('answers JSON by default and when CSV is refused with q=0, CSV when asked, each with Vary: Accept', async () => {
    for (const accept of [undefined, '*/*', 'text/csv;q=0, application/json', 'application/*']) {
      const response = await serveRoute(negotiable, event(accept === undefined ? {} : { Accept: accept }), deps);
      expect(response.statusCode, accept).toBe(200);
      expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', vary: 'Accept' });
      expect(JSON.parse(response.body)).toEqual(report);
    }
    for (const accept of ['text/csv', 'text/*', 'application/json;q=0.5, text/csv', 'text/csv; charset=utf-8']) {
      const response = await serveRoute(negotiable, event({ accept }), deps);
      expect(response.headers, accept).toEqual({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="report.csv"', vary: 'Accept' });
      expect(response.body).toBe('quarter,rows\r\n2026-Q1,2\r\n');
    }
  });

  it('answers 406 naming the acceptable types when Accept allows none of them', async () => {
    for (const accept of ['text/html', 'application/json;q=0, text/csv;q=0', 'text/csv; charset=latin1']) {
      const response = await serveRoute(negotiable, event({ Accept: accept }), deps);
      expect(response.statusCode, accept).toBe(406);
      expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', vary: 'Accept' });
      const body = JSON.parse(response.body) as { error: { code: string; message: string; details: unknown[] } };
      expect(body.error.code).toBe('NOT_ACCEPTABLE');
      expect(body.error.message).toContain('application/json or text/csv');
      expect(body.error.details).toEqual([{ rule: 'accept', acceptable: ['application/json', 'text/csv'] }]);
    }
    const jsonOnlyRefused = await serveRoute(jsonOnly, event({ Accept: 'text/csv' }), deps);
    expect(jsonOnlyRefused.statusCode).toBe(406);
    expect(jsonOnlyRefused.headers?.vary).toBeUndefined();
  });

  it('keeps Vary: Accept on the errors of a negotiable route, and checks roles before anything else', async () => {
    const unauthenticated = await serveRoute(negotiable, event({ Authorization: '' }), deps);
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers?.vary).toBe('Accept');
    const forbidden = await serveRoute(negotiable, event({ Authorization: 'Bearer local:agent:A1', Accept: 'text/html' }), deps);
    expect(forbidden.statusCode).toBe(403);
  });

  it('names the bad path parameter and query field', async () => {
    const badParam = await serveRoute(negotiable, event({}, { pathParameters: { id: 'nope' } }), deps);
    expect(badParam.statusCode).toBe(400);
    expect(JSON.parse(badParam.body).error.details[0]).toMatchObject({ field: 'id', message: 'id must be a letter and a digit' });
    const badQuery = await serveRoute(negotiable, event({}, { queryStringParameters: { limit: '11' } }), deps);
    expect(badQuery.statusCode).toBe(400);
    expect(JSON.parse(badQuery.body).error.details[0]).toMatchObject({ field: 'query.limit', rule: 'too_big' });
  });
});
