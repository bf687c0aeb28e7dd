import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi-document.js';
import { ROUTES } from '../../functions/http/routes.js';
import { assertConformsToContract } from '../support/contract-check.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

/** The contract as the local server serves it, and content negotiation through the real server. */
let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
});
afterAll(async () => {
  await t.stop();
});

async function get(path: string, headers: Record<string, string>) {
  const response = await fetch(`${t.api.baseUrl}${path}`, { headers });
  const text = await response.text();
  assertConformsToContract({ method: 'GET', path, status: response.status, headers: Object.fromEntries(response.headers), text });
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV stays text
  }
  return { status: response.status, headers: response.headers, text, body };
}

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document of the route table without credentials', async () => {
    const response = await fetch(`${t.api.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const served = (await response.json()) as ReturnType<typeof openApiDocument>;
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const listed = Object.entries(served.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect((await new Validator().validate(served)).valid).toBe(true);
  });
});

describe('content negotiation (the false-contact report: JSON and CSV)', () => {
  const path = '/v1/reports/false-contact?quarter=2026-Q1';
  const manager = { authorization: 'Bearer local:manager' };

  it('answers JSON without Accept, for */*, and when CSV is refused with q=0', async () => {
    for (const accept of [undefined, '*/*', 'text/csv;q=0, application/json']) {
      const response = await get(path, accept ? { ...manager, accept } : manager);
      expect(response.status, accept).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('vary')).toBe('Accept');
      expect(response.body).toMatchObject({ quarter: '2026-Q1' });
    }
  });

  it('answers CSV when CSV is preferred, as a download', async () => {
    for (const accept of ['text/csv', 'application/json;q=0.1, text/csv']) {
      const response = await get(path, { ...manager, accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="false-contact-2026-Q1.csv"');
      expect(response.headers.get('vary')).toBe('Accept');
      expect(response.text.split('\r\n')[0]).toBe('quarter,agentId,policyId,branchId,kinds,firstFoundAt,findings');
    }
  });

  it('answers 406 naming the acceptable types when Accept allows none, still with Vary', async () => {
    const response = await get(path, { ...manager, accept: 'text/html' });
    const error = expectError({ status: response.status, body: response.body, text: response.text }, 406, 'NOT_ACCEPTABLE');
    expect(error.error.details).toEqual([{ rule: 'accept', acceptable: ['application/json', 'text/csv'] }]);
    expect(response.headers.get('vary')).toBe('Accept');
  });

  it('refuses CSV on a JSON-only route with 406 and no Vary', async () => {
    const response = await get('/v1/reports/quality?branchId=BR-SH&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', { authorization: 'Bearer local:manager', accept: 'text/csv' });
    expectError({ status: response.status, body: response.body, text: response.text }, 406, 'NOT_ACCEPTABLE');
    expect(response.headers.get('vary')).toBeNull();
  });
});
