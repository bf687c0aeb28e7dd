import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute as RouteSpec } from '../../functions/http/route-definition.js';
import { ROUTES } from '../../functions/http/routes.js';
import { ROLES, type Role } from '../../functions/use-cases/caller.js';
import { assertConformsToContract } from '../support/contract-check.js';
import { startTestSystem, type ApiResponse, type TestSystem } from '../support/local-api.js';
import { AGENT_ID, CLOCK_START, newPolicyId, registration } from '../support/policies.js';
import { attemptBody, expectError, expectErrorShape } from './e2e-helpers.js';

/**
 * docs/api.md, Errors and Authentication, for every route of ROUTES: bad credentials, roles, bodies, ids and
 * paths get the fitting 4xx with `{error: {code, message, details}}`, and never a 5xx.
 */
let t: TestSystem;
let policyId: string;
let requestId: string;
let now: string;
beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  now = (await t.api.now()).toISOString();
  policyId = newPolicyId('BI');
  const registered = await send({ method: 'POST', path: '/v1/policies', credential: 'upstream', body: registration(policyId, new Date(now)) });
  expect(registered.status, registered.text).toBe(201);
  const filed = await send({ method: 'POST', path: `/v1/policies/${policyId}/special-requests`, credential: `agent:${AGENT_ID}`, body: { type: 'EARLY', reason: 'customer abroad' } });
  expect(filed.status, filed.text).toBe(201);
  requestId = (filed.body as { requestId: string }).requestId;
});
afterAll(async () => { await t.stop(); });

/** Every status this file saw; the last test asserts none was a 5xx. */
const seen: { status: number; what: string; errorShape?: boolean }[] = [];

interface Request {
  readonly method: string;
  readonly path: string;
  /** `local:<credential>` bearer; `null` sends no Authorization header. */
  readonly credential?: string | null;
  /** A raw Authorization header value, instead of `credential`. */
  readonly authorization?: string;
  readonly body?: unknown;
  readonly raw?: string;
}

async function send(request: Request): Promise<ApiResponse<unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.authorization !== undefined) headers.authorization = request.authorization;
  else if (request.credential) headers.authorization = `Bearer local:${request.credential}`;
  const response = await fetch(`${t.api.baseUrl}${request.path}`, {
    method: request.method,
    headers,
    body: request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // stays text; expectErrorShape reports it
  }
  seen.push({ status: response.status, what: `${request.method} ${request.path} -> ${response.status} ${text.slice(0, 200)}`, errorShape: hasErrorShape(body) });
  assertConformsToContract({ method: request.method, path: request.path, status: response.status, headers: Object.fromEntries(response.headers), text });
  return { status: response.status, body, text };
}

function hasErrorShape(body: unknown): boolean {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  return Object.keys(body as object).length === 1 && typeof error?.code === 'string' && typeof error.message === 'string' && Array.isArray(error.details);
}

const hasBody = (route: RouteSpec) => route.body !== undefined;

/** A credential for a role; agents act as the owner of the test policy. */
const credentialOf = (role: Role) => (role === 'agent' ? `agent:${AGENT_ID}` : role);
const allowedCredential = (route: RouteSpec) => credentialOf(route.roles[0]!);

/** The route's path with its parameters filled in (the test policy and request unless given). */
function pathOf(route: RouteSpec, values: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const fallback = name === 'policyId' ? policyId : name === 'requestId' ? requestId : name === 'month' ? '2026-02' : name === 'kind' ? 'MANUAL_VISIT' : 'X1';
    return values[name] ?? fallback;
  });
}

const maxLengthOf = (param: string) => (param === 'itemId' ? 70 : 64);
const paramsOf = (route: RouteSpec) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** A valid body for each route that takes one, by handler. */
function validBody(handler: string): Record<string, unknown> | undefined {
  const bodies: Record<string, () => Record<string, unknown>> = {
    'register-policy': () => registration(newPolicyId('BI'), new Date(now)),
    'record-receipt': () => ({ returnedAt: now }),
    'cancel-policy': () => ({ cancelledAt: now, reason: 'surrendered' }),
    'record-callback-attempt': () => attemptBody(1, new Date(now), { reached: true }),
    'update-contact': () => ({ confirm: true }),
    'file-special-request': () => ({ type: 'EARLY', reason: 'customer abroad' }),
    'decide-special-request': () => ({ approve: true }),
    'record-manual-visit': () => ({ visitedAt: now, success: true, phoneWrongOrOutOfUse: false, visitorId: 'V1' }),
    'decide-review': () => ({ decision: 'DISMISS', note: 'listened to the recording' }),
    'run-settlement': () => ({ month: '2026-02' }),
    'put-staff': () => ({ name: 'Li Na', email: 'li.na@insurer.example', roles: ['branch'], branchId: 'BR-SH' }),
    'request-archive-access': () => ({ scope: { agentId: 'A1' }, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', reason: 'inspection' }),
    'decide-archive-access': () => ({ approve: false }),
  };
  return bodies[handler]?.();
}

type Mutation = (body: Record<string, unknown>) => unknown;

const set = (path: string, value: unknown): Mutation => (body) => {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return copy;
};

/** Invalid bodies per handler: [what, mutation of the valid body, the field the 400 must name]. */
const INVALID: Record<string, [string, Mutation, string][]> = {
  'register-policy': [
    ['agent.phone not a phone', set('agent.phone', 'call me'), 'agent.phone'],
    ['agent.email not an e-mail', set('agent.email', 'not-an-email'), 'agent.email'],
    ['agent.agentId missing', set('agent.agentId', undefined), 'agent.agentId'],
    ['policyholder.phone a number', set('policyholder.phone', 13812345678), 'policyholder.phone'],
    ['commission.amount 3 decimals', set('commission.amount', '12.345'), 'commission.amount'],
    ['commission.amount negative', set('commission.amount', '-1.00'), 'commission.amount'],
    ['commission.amount a number', set('commission.amount', 1200), 'commission.amount'],
    ['printedAt "yesterday"', set('printedAt', 'yesterday'), 'printedAt'],
    ['printedAt without offset', set('printedAt', '2026-03-02T09:00:00'), 'printedAt'],
    ['printedAt in the future', set('printedAt', '2030-01-01T09:00:00+08:00'), 'printedAt'],
    ['printedAt on 30 February', set('printedAt', '2025-02-30T09:00:00+08:00'), 'printedAt'],
    ['effectiveAt not a date', set('effectiveAt', '2026-02-30'), 'effectiveAt'],
    ['timeZone "Mars/Base"', set('timeZone', 'Mars/Base'), 'timeZone'],
    ['ruleSet "nope"', set('ruleSet', 'nope'), 'ruleSet'],
    ['paymentPlan "MONTHLY"', set('paymentPlan', 'MONTHLY'), 'paymentPlan'],
    ['policyId with a space', set('policyId', 'P 1'), 'policyId'],
    ['policyId of 65 characters', set('policyId', 'P'.repeat(65)), 'policyId'],
    ['policyId empty', set('policyId', ''), 'policyId'],
    ['productCode blank', set('productCode', '   '), 'productCode'],
    ['branchId missing', set('branchId', undefined), 'branchId'],
    ['policyholder missing', set('policyholder', undefined), 'policyholder'],
    ['unknown top-level field', set('discount', '10%'), 'discount'],
    ['unknown nested field', set('agent.nickname', 'Fang'), 'agent.nickname'],
  ],
  'record-receipt': [
    ['returnedAt "yesterday"', set('returnedAt', 'yesterday'), 'returnedAt'],
    ['returnedAt missing', set('returnedAt', undefined), 'returnedAt'],
    ['unknown field', set('signedBy', 'someone'), 'signedBy'],
    ['signedAt "yesterday"', set('signedAt', 'yesterday'), 'signedAt'],
    ['signedAt after returnedAt', set('signedAt', '2099-01-01T00:00:00+08:00'), 'signedAt'],
  ],
  'cancel-policy': [
    ['cancelledAt not a time', set('cancelledAt', 12), 'cancelledAt'],
    ['reason empty', set('reason', ''), 'reason'],
    ['reason too long', set('reason', 'x'.repeat(501)), 'reason'],
    ['unknown field', set('refund', true), 'refund'],
  ],
  'record-callback-attempt': [
    ['round 3', set('round', 3), 'round'],
    ['round 0', set('round', 0), 'round'],
    ['round 1.5', set('round', 1.5), 'round'],
    ['round "1"', set('round', '1'), 'round'],
    ['reason "SLEEPING"', (b) => ({ ...(b), reached: false, reason: 'SLEEPING' }), 'reason'],
    ['not reached without a reason', set('reached', false), 'reason'],
    ['reached with a reason', set('reason', 'NO_ANSWER'), 'reason'],
    ['findings when not reached', (b) => ({ ...b, reached: false, reason: 'NO_ANSWER', findings: { proxySignature: true, misleading: false } }), 'findings'],
    ['findings.misleading missing', set('findings', { proxySignature: true }), 'findings.misleading'],
    ['reached "yes"', set('reached', 'yes'), 'reached'],
    ['attemptId with a space', set('attemptId', 'AT 1'), 'attemptId'],
    ['operatorId missing', set('operatorId', undefined), 'operatorId'],
    ['calledAt "yesterday"', set('calledAt', 'yesterday'), 'calledAt'],
    ['unknown field', set('recordingUrl', 'https://x'), 'recordingUrl'],
    ['confirmations.coolingOff "MAYBE"', set('confirmations', { coolingOff: 'MAYBE' }), 'confirmations.coolingOff'],
    ['confirmations unknown point', set('confirmations', { price: 'YES' }), 'confirmations.price'],
    ['confirmations when not reached', (b) => ({ ...b, reached: false, reason: 'NO_ANSWER', confirmations: { surrenderLoss: 'YES' } }), 'confirmations.surrenderLoss'],
    ['durationSeconds negative', set('durationSeconds', -5), 'durationSeconds'],
    ['durationSeconds 1.5', set('durationSeconds', 1.5), 'durationSeconds'],
    ['recordingRef free text', set('recordingRef', 'call with Mr Zhang'), 'recordingRef'],
  ],
  'update-contact': [
    ['phone not a phone', () => ({ phone: 'abc' }), 'phone'],
    ['address empty with a phone', () => ({ phone: '13787654321', address: '' }), 'address'],
  ],
  'file-special-request': [
    ['type "LATER"', set('type', 'LATER'), 'type'],
    ['reason empty', set('reason', ''), 'reason'],
    ['exemption without the signed confirmation', set('type', 'EXEMPT'), 'signedConfirmationRef'],
    ['unknown field', set('urgent', true), 'urgent'],
  ],
  'decide-special-request': [
    ['approve "yes"', set('approve', 'yes'), 'approve'],
    ['note empty', set('note', ''), 'note'],
    ['unknown field', set('approver', 'B1'), 'approver'],
  ],
  'record-manual-visit': [
    ['visitedAt "yesterday"', set('visitedAt', 'yesterday'), 'visitedAt'],
    ['success missing', set('success', undefined), 'success'],
    ['phoneWrongOrOutOfUse "no"', set('phoneWrongOrOutOfUse', 'no'), 'phoneWrongOrOutOfUse'],
    ['visitorId of 65 characters', set('visitorId', 'V'.repeat(65)), 'visitorId'],
    ['findings.proxySignature missing', set('findings', { misleading: false }), 'findings.proxySignature'],
    ['unknown field', set('photos', []), 'photos'],
  ],
  'decide-review': [
    ['decision "MAYBE"', set('decision', 'MAYBE'), 'decision'],
    ['note missing', set('note', undefined), 'note'],
    ['note blank', set('note', ' '), 'note'],
    ['unknown field', set('severity', 'high'), 'severity'],
  ],
  'request-archive-access': [
    ['reason missing', set('reason', undefined), 'reason'],
    ['from not an instant', set('from', 'yesterday'), 'from'],
    ['unknown field', set('urgent', true), 'urgent'],
  ],
  'decide-archive-access': [
    ['approve "yes"', set('approve', 'yes'), 'approve'],
    ['validUntil not an instant', set('validUntil', 'soon'), 'validUntil'],
    ['unknown field', set('note', 'x'), 'note'],
  ],
  'run-settlement': [
    ['month "2026-13"', set('month', '2026-13'), 'month'],
    ['month "2026-1"', set('month', '2026-1'), 'month'],
    ['month "2026-03-20"', set('month', '2026-03-20'), 'month'],
    ['month a number', set('month', 202603), 'month'],
    ['month missing', set('month', undefined), 'month'],
    ['unknown field', set('force', true), 'force'],
  ],
  'put-staff': [
    ['name blank', set('name', ' '), 'name'],
    ['email not an address', set('email', 'li.na'), 'email'],
    ['roles empty', set('roles', []), 'roles'],
    ['roles with an unknown role', set('roles', ['root']), 'roles.0'],
    ['roles repeated', set('roles', ['branch', 'branch']), 'roles'],
    ['branch staff without branchId', set('branchId', undefined), 'branchId'],
    ['branchId "a b"', set('branchId', 'a b'), 'branchId'],
    ['unknown field', set('phone', '13800000000'), 'phone'],
  ],
};

/** Invalid query strings per GET handler that takes a query. */
const INVALID_QUERIES: Record<string, [string, string][]> = {
  'list-due-callbacks': [['limit=0', 'query.limit'], ['limit=abc', 'query.limit'], ['limit=1001', 'query.limit'], ['limit=2.5', 'query.limit'], ['foo=1', 'query.foo']],
  'list-open-manual-visits': [['limit=-1', 'query.limit'], ['branchId=has%20space', 'query.branchId'], ['foo=1', 'query.foo']],
  'list-open-reviews': [['limit=0', 'query.limit'], ['branchId=' + 'B'.repeat(65), 'query.branchId']],
  'search-audit-events': [['to=2026-04-01T00:00:00Z', 'query.from'], ['from=2026-03-01T00:00:00Z', 'query.to'], ['from=yesterday&to=2026-04-01T00:00:00Z', 'query.from'],
    ['from=2026-03-01T00:00:00Z&to=2027-04-01T00:00:00Z', 'query.to'], ['from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'query.to'],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&agentId=a%20b', 'query.agentId'], ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&limit=501', 'query.limit'],
    ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&cursor=xyz', 'cursor'], ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&foo=1', 'query.foo']],
  'list-access-log': [['to=2026-04-01T00:00:00Z', 'query.from'], ['from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z', 'query.to'], ['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&cursor=e30', 'cursor']],
  'get-false-contact-report': [['quarter=2026-Q0', 'query.quarter'], ['quarter=26-Q1', 'query.quarter'], ['', 'query.quarter']],
  'get-quality-report': [['from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z', 'query.branchId'], ['branchId=BR&from=2026-03-01&to=2026-04-01T00:00:00Z', 'query.from'],
    ['branchId=BR&from=2026-03-01T00:00:00Z&to=2027-03-03T00:00:00Z', 'query.to']],
  'get-settlement': [['agentId=has%20space', 'query.agentId'], ['foo=1', 'query.foo']],
  'get-integrity-report': [['quarter=2026-Q0', 'query.quarter'], ['', 'query.quarter'], ['quarter=2026-Q1&branchId=has%20space', 'query.branchId'], ['quarter=2026-Q1&foo=1', 'query.foo']],
  'get-regulatory-evidence-report': [['quarter=2026-Q5', 'query.quarter'], ['', 'query.quarter'], ['quarter=2026-Q1&foo=1', 'query.foo']],
  'get-cooling-off-at-risk': [['withinDays=-1', 'query.withinDays'], ['withinDays=abc', 'query.withinDays'], ['withinDays=367', 'query.withinDays'], ['foo=1', 'query.foo']],
  'list-staff': [['role=root', 'query.role'], ['limit=0', 'query.limit'], ['branchId=a%20b', 'query.branchId'], ['foo=1', 'query.foo']],
};

const bodyRoutes = ROUTES.filter(hasBody);
const policyRoutes = ROUTES.filter((r) => r.path.includes('{policyId}'));
const paramRoutes = ROUTES.filter((r) => paramsOf(r).length > 0);
const label = (r: RouteSpec) => `${r.method} ${r.path}`;

describe('every route of ROUTES', () => {
  it('has a valid body and invalid cases declared here when it takes a body', () => {
    for (const route of bodyRoutes) {
      expect(validBody(route.handler), `valid body for ${label(route)}`).toBeDefined();
      expect(INVALID[route.handler]?.length ?? 0, `invalid cases for ${label(route)}`).toBeGreaterThan(0);
    }
  });

  it.each(ROUTES.map((r) => [label(r), r] as const))('%s without Authorization → 401', async (_l, route) => {
    expectError(await send({ method: route.method, path: pathOf(route), credential: null, body: validBody(route.handler) }), 401, 'UNAUTHORIZED');
  });

  it.each(ROUTES.map((r) => [label(r), r] as const))('%s with a bad credential → 401', async (_l, route) => {
    for (const authorization of ['Bearer local:root', 'Bearer local:', 'Basic dXBzdHJlYW06eA==', 'Bearer local:agent:has space', `Bearer local:agent:${'A'.repeat(65)}`, 'local:upstream']) {
      expectError(await send({ method: route.method, path: pathOf(route), authorization, body: validBody(route.handler) }), 401, 'UNAUTHORIZED');
    }
  });

  it.each(ROUTES.map((r) => [label(r), r] as const))('%s with a role not allowed → 403', async (_l, route) => {
    const others = ROLES.filter((role) => !route.roles.includes(role));
    expect(others.length, 'every route excludes at least one role').toBeGreaterThan(0);
    for (const role of others) {
      expectError(await send({ method: route.method, path: pathOf(route), credential: credentialOf(role), body: validBody(route.handler) }), 403, 'FORBIDDEN');
    }
  });

  it.each(bodyRoutes.map((r) => [label(r), r] as const))('%s with a malformed or missing JSON body → 400 naming (body)', async (_l, route) => {
    for (const raw of ['{"a": ', 'not json', "{'a': 1}", '']) {
      const body = expectError(await send({ method: route.method, path: pathOf(route), credential: allowedCredential(route), raw }), 400, 'VALIDATION_FAILED');
      expect(body.error.details, JSON.stringify(raw)).toEqual([expect.objectContaining({ field: '(body)' })]);
    }
    for (const raw of ['[]', 'null', '42', '"text"']) {
      const body = expectError(await send({ method: route.method, path: pathOf(route), credential: allowedCredential(route), raw }), 400, 'VALIDATION_FAILED');
      expect(body.error.details.map((d) => d.field), raw).toContain('(body)');
    }
  });

  it.each(bodyRoutes.flatMap((r) => (INVALID[r.handler] ?? []).map(([what, mutate, field]) => [`${label(r)}: ${what}`, r, mutate, field] as const)))(
    '%s → 400 naming the field',
    async (_l, route, mutate, field) => {
      const response = await send({ method: route.method, path: pathOf(route), credential: allowedCredential(route), body: mutate(validBody(route.handler)!) });
      const body = expectError(response, 400, 'VALIDATION_FAILED');
      expect(body.error.details.map((d) => d.field), response.text).toContain(field);
      for (const detail of body.error.details) expect(detail).toEqual(expect.objectContaining({ field: expect.any(String), rule: expect.any(String), message: expect.any(String) }));
    },
  );

  it.each(Object.entries(INVALID_QUERIES).flatMap(([handler, cases]) => cases.map(([query, field]) => [handler, query, field] as const)))(
    '%s?%s → 400 naming %s',
    async (handler, query, field) => {
      const route = ROUTES.find((r) => r.handler === handler)!;
      const response = await send({ method: 'GET', path: `${pathOf(route)}?${query}`, credential: allowedCredential(route) });
      const body = expectError(response, 400, 'VALIDATION_FAILED');
      expect(body.error.details.map((d) => d.field), response.text).toContain(field);
    },
  );

  it.each(policyRoutes.map((r) => [label(r), r] as const))('%s for an unknown policy with a valid body → 404 (403 for an agent, as for another agent\'s)', async (_l, route) => {
    const response = await send({ method: route.method, path: pathOf(route, { policyId: 'NO-SUCH-POLICY' }), credential: allowedCredential(route), body: validBody(route.handler) });
    // Authorization before existence: an agent is told the same of a missing policy as of another agent's.
    if (route.roles[0] === 'agent') {
      const other = await send({ method: route.method, path: pathOf(route), credential: 'agent:A-OTHER', body: validBody(route.handler) });
      expectError(other, 403, 'FORBIDDEN');
      expect(expectError(response, 403, 'FORBIDDEN').error.message).toBe((other.body as { error: { message: string } }).error.message.replace(policyId, 'NO-SUCH-POLICY').replace('A-OTHER', AGENT_ID));
    } else {
      expectError(response, 404, 'NOT_FOUND');
    }
  });

  it.each(ROUTES.filter((r) => r.path.includes('{requestId}')).map((r) => [label(r), r] as const))('%s for an unknown special request → 404', async (_l, route) => {
    expectError(await send({ method: route.method, path: pathOf(route, { requestId: 'SR-unknown' }), credential: allowedCredential(route), body: validBody(route.handler) }), 404, 'NOT_FOUND');
  });

  it.each(paramRoutes.flatMap((r) => paramsOf(r).flatMap((name) => [
    [`${label(r)} with ${name} "has space"`, r, name, 'has%20space'],
    // Ids are 1-64 characters; an inbox item id may be a policy id with `-R<round>` appended.
    [`${label(r)} with ${name} of ${maxLengthOf(name) + 1} characters`, r, name, 'X'.repeat(maxLengthOf(name) + 1)],
    [`${label(r)} with ${name} "a.b"`, r, name, 'a.b'],
    [`${label(r)} with ${name} of bad percent-encoding`, r, name, '%E0%A4%A'],
  ] as const)))('%s → 400 naming the parameter', async (_l, route, name, value) => {
    const response = await send({ method: route.method, path: pathOf(route, { [name]: value }), credential: allowedCredential(route), body: validBody(route.handler) });
    const body = expectError(response, 400, 'VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.field), response.text).toEqual([name]);
  });

  it.each(ROUTES.map((r) => [label(r), r] as const))('%s with a method it does not have → 405 with Allow', async (_l, route) => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      if (ROUTES.some((other) => other.method === method && other.path === route.path)) continue;
      const response = await send({ method, path: pathOf(route), credential: allowedCredential(route), body: method === 'GET' ? undefined : validBody(route.handler) });
      expectError(response, 405, 'METHOD_NOT_ALLOWED');
    }
  });
});

describe('agents act only on their own policies', () => {
  const other = 'agent:A9999';
  it.each([
    ['PUT', 'contact', { confirm: true }],
    ['PUT', 'contact', { phone: '13787654321' }],
    ['POST', 'special-requests', { type: 'EARLY', reason: 'customer abroad' }],
    ['POST', 'special-requests', { type: 'EXEMPT', reason: 'signed', signedConfirmationRef: 'DOC-1' }],
    ['GET', '', undefined],
  ] as const)('%s /v1/policies/{id}/%s of another agent → 403', async (method, suffix, body) => {
    const path = `/v1/policies/${policyId}${suffix ? `/${suffix}` : ''}`;
    expectError(await send({ method, path, credential: other, body }), 403, 'FORBIDDEN');
    // An agent credential without a subject is nobody's agent either.
    expectError(await send({ method, path, credential: 'agent', body }), 403, 'FORBIDDEN');
  });

  it('leaves the policy untouched', async () => {
    const response = await send({ method: 'GET', path: `/v1/policies/${policyId}`, credential: `agent:${AGENT_ID}` });
    expect(response.status, response.text).toBe(200);
    const view = response.body as { stage: string; specialRequests: { type: string }[]; policyholder: { phone: string } };
    expect(view.stage).toBe('WAITING_FIRST_CALLBACK');
    expect(view.specialRequests.map((r) => r.type)).toEqual(['EARLY']);
    expect(view.policyholder.phone).toBe('13812345678');
  });
});

describe('paths and odd requests', () => {
  it.each([
    ['GET', '/v1/unknown'],
    ['GET', '/unknown'], // '/' is the web console's page (docs/console.md)
    ['POST', '/v1/policies/P1/unknown'],
    ['GET', '/v1/policies/P1/receipt/extra'],
    ['DELETE', '/v2/policies'],
    ['GET', '/v1/policies/'],
  ])('%s %s → 404 JSON', async (method, path) => {
    expectError(await send({ method, path, credential: 'manager' }), 404, 'NOT_FOUND');
  });

  it('answers 405 for a known path with the wrong method and names the allowed ones', async () => {
    const response = await fetch(`${t.api.baseUrl}/v1/policies`, { method: 'GET', headers: { authorization: 'Bearer local:upstream' } });
    const body: unknown = await response.json();
    seen.push({ status: response.status, what: 'GET /v1/policies', errorShape: hasErrorShape(body) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('content-type')).toContain('application/json');
    expectErrorShape({ status: response.status, body, text: '' });
  });

  it('answers 413 for a body over 1 MiB, not 5xx', async () => {
    const raw = JSON.stringify({ ...registration(newPolicyId('BI'), new Date(now)), productCode: 'x'.repeat(1_100_000) });
    expectError(await send({ method: 'POST', path: '/v1/policies', credential: 'upstream', raw }), 413);
  });

  it('rejects odd but well-formed JSON without a 5xx', async () => {
    const base = registration(newPolicyId('BI'), new Date(now));
    for (const raw of [
      `{"__proto__": {"admin": true}, ${JSON.stringify(base).slice(1)}`,
      JSON.stringify({ ...base, commission: { amount: '1'.repeat(400) + '.00' } }),
      JSON.stringify({ ...base, printedAt: '9999-12-31T23:59:59Z' }),
      JSON.stringify({ ...base, printedAt: '2026-02-30T10:00:00+08:00' }),
      '{"policyId": "\\ud800"}',
      '[' .repeat(5000) + ']'.repeat(5000),
    ]) {
      const response = await send({ method: 'POST', path: '/v1/policies', credential: 'upstream', raw });
      expect(response.status, response.text).toBeGreaterThanOrEqual(400);
      expect(response.status, response.text).toBeLessThan(500);
      expectErrorShape(response);
    }
  });

  it('rejects a receipt before printing and a report from the future with 400 naming the field', async () => {
    const before = expectError(await send({ method: 'POST', path: `/v1/policies/${policyId}/receipt`, credential: 'upstream', body: { returnedAt: '2020-01-01T00:00:00Z' } }), 400);
    expect(before.error.details.map((d) => d.field)).toEqual(['returnedAt']);
    const future = expectError(await send({ method: 'POST', path: `/v1/policies/${policyId}/receipt`, credential: 'upstream', body: { returnedAt: '2030-01-01T00:00:00Z' } }), 400);
    expect(future.error.details.map((d) => d.field)).toEqual(['returnedAt']);
  });
});

describe('this file', () => {
  it('never got a 5xx, and every error it got has the error shape', () => {
    expect(seen.length).toBeGreaterThan(200);
    expect(seen.filter((s) => s.status >= 500).map((s) => s.what)).toEqual([]);
    expect(seen.filter((s) => s.status >= 400 && !s.errorShape).map((s) => s.what)).toEqual([]);
  });
});
