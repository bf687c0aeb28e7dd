import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { AGENT_PHONE, attempt, registration } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

/** 2026-01-05 09:00 in Shanghai, a Monday: the whole scenario stays inside 2026-Q1. */
const START = new Date('2026-01-05T01:00:00Z');
const SECOND_AGENT = { agentId: 'A2002', name: '李娜', phone: '13900000002', email: 'a2002@insurer.example' };
let t: TestSystem;

const ok = (response: { status: number; text: string }) => expect(response.status, response.text).toBeLessThan(300);
const now = async () => (await t.api.now()).toISOString();
const call = async (id: string, round: number, outcome: Parameters<typeof attempt>[2]) => ok(await t.api.post('callcentre', `/v1/policies/${id}/callback-attempts`, attempt(round, await t.api.now(), outcome)));

beforeAll(async () => {
  t = await startTestSystem(START);
  const register = async (id: string, overrides: Record<string, unknown> = {}) => ok(await t.api.post('upstream', '/v1/policies', registration(id, await t.api.now(), { branchId: 'BR-Q', ...overrides })));
  await register('Q-a', { policyholder: { name: '赵六', phone: AGENT_PHONE } }); // the agent's own phone as the customer's
  await register('Q-b');
  await register('Q-c');
  await register('Q-d', { agent: SECOND_AGENT });
  await register('Q-e', { agent: SECOND_AGENT });
  await register('Q-f', { branchId: 'BR-X' });
  await t.api.advance('P10D');
  await call('Q-a', 1, { reached: true }); // fails: the number is the agent's
  await call('Q-b', 1, { reached: false, reason: 'WRONG_NUMBER' });
  await call('Q-c', 1, { reached: true });
  await call('Q-d', 1, { reached: false, reason: 'AGENT_OR_BRANCH_PHONE' });
  await call('Q-e', 1, { reached: true, findings: { proxySignature: true, misleading: false } });
  await call('Q-f', 1, { reached: true });
  ok(await t.api.put('agent:A1001', '/v1/policies/Q-b/contact', { phone: '13787654321' }));
  await call('Q-b', 2, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
  ok(await t.api.post('branch', '/v1/policies/Q-b/manual-visit', { visitedAt: await now(), success: true, phoneWrongOrOutOfUse: true, visitorId: 'V1' }));
  ok(await t.api.post('compliance', '/v1/policies/Q-e/review', { decision: 'UPHOLD', note: 'recording confirms proxy signature' }));
  ok(await t.api.post('upstream', '/v1/policies/Q-c/receipt', { returnedAt: await now() }));
});
afterAll(async () => { await t.stop(); });

type Report = { quarter: string; closed: boolean; agents: { agentId: string; count: number; policies: { policyId: string; branchId: string; kinds: string[]; findings: number }[] }[]; totals: { agents: number; policies: number } };

describe('the quarterly false-contact report', () => {
  it('lists per agent the policies where false contact information was found', async () => {
    const response = await t.api.get<Report>('manager', '/v1/reports/false-contact?quarter=2026-Q1');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ quarter: '2026-Q1', closed: false, totals: { agents: 2, policies: 3 } });
    expect(response.body.agents).toEqual([
      { agentId: 'A1001', count: 2, policies: [
        expect.objectContaining({ policyId: 'Q-a', branchId: 'BR-Q', kinds: ['AGENT_OR_BRANCH_PHONE_AS_CUSTOMER'], findings: 2 }),
        expect.objectContaining({ policyId: 'Q-b', kinds: ['WRONG_PHONE_AT_MANUAL_VISIT'], findings: 1 }),
      ] },
      { agentId: 'A2002', count: 1, policies: [expect.objectContaining({ policyId: 'Q-d', kinds: ['AGENT_OR_BRANCH_PHONE_AS_CUSTOMER'] })] },
    ]);
    const other = await t.api.get<Report>('auditor', '/v1/reports/false-contact?quarter=2026-Q2');
    expect(other.body.agents).toEqual([]);
  });

  it('answers CSV for Accept: text/csv', async () => {
    const response = await fetch(`${t.api.baseUrl}/v1/reports/false-contact?quarter=2026-Q1`, { headers: { authorization: 'Bearer local:compliance', accept: 'text/csv' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('quarter,agentId,policyId,branchId,kinds,firstFoundAt,findings');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['A1001,Q-a', 'A1001,Q-b', 'A2002,Q-d']);
  });

  it('is e-mailed once to compliance when the quarter closes', async () => {
    await t.api.advanceTo(new Date('2026-04-01T00:59:00Z'));
    const isReport = (m: { subject: string }) => m.subject.includes('2026-Q1') && m.subject.includes('虚假客户联系信息');
    expect((await t.api.emails()).filter(isReport)).toEqual([]);
    await t.api.advance('PT2M'); // 09:00 on 1 April in Shanghai
    await t.api.advance('P2D');
    const mails = (await t.api.emails()).filter(isReport);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['compliance@insurer.example']);
    expect(mails[0]!.text).toContain('A1001：2 件（Q-a、Q-b）');
    expect(mails[0]!.text).toContain('A2002：1 件（Q-d）');
    expect((await t.api.get<Report>('manager', '/v1/reports/false-contact?quarter=2026-Q1')).body.closed).toBe(true);
  });

  it('refuses other roles and a malformed quarter', async () => {
    for (const role of ['branch', 'agent:A1001', 'callcentre', 'upstream']) expectError(await t.api.get(role, '/v1/reports/false-contact?quarter=2026-Q1'), 403, 'FORBIDDEN');
    const e = expectError(await t.api.get('manager', '/v1/reports/false-contact?quarter=2026-Q5'), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.quarter' }));
    expectError(await t.api.get('manager', '/v1/reports/false-contact'), 400);
  });
});

type Quality = { branchId: string; agents: { agentId: string; [k: string]: unknown }[] };

describe('the quality report', () => {
  const period = `from=${START.toISOString()}&to=${new Date('2026-01-31T00:00:00Z').toISOString()}`;

  it('gives per agent of a branch the pass rates, receipt timeliness, holds, forfeits, findings and false information', async () => {
    const response = await t.api.get<Quality>('branch', `/v1/reports/quality?branchId=BR-Q&${period}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.agents).toEqual([
      {
        agentId: 'A1001', policiesRegistered: 3,
        firstCallbackPass: { count: 1, of: 3, rate: 0.3333 }, overallPass: { count: 1, of: 2, rate: 0.5 },
        receiptOnTime: { count: 1, of: 1, rate: 1 }, lateReceipts: 0, receiptsNeverReturned: 0,
        holds: 1, forfeits: 0, findings: 0, falseInformation: 2,
        // docs/rules.md §9: Q-a agent's phone 5 + its window unanswered 1 + Q-b wrong phone at the visit 5.
        integrityScore: 89,
      },
      {
        agentId: 'A2002', policiesRegistered: 2,
        firstCallbackPass: { count: 0, of: 2, rate: 0 }, overallPass: { count: 0, of: 1, rate: 0 },
        receiptOnTime: { count: 0, of: 0, rate: null }, lateReceipts: 0, receiptsNeverReturned: 0,
        holds: 1, forfeits: 1, findings: 1, falseInformation: 1,
        // Q-d agent's phone 5 + its window unanswered 1 + Q-e proxy signature upheld 10.
        integrityScore: 84,
      },
    ]);
    const other = await t.api.get<Quality>('manager', `/v1/reports/quality?branchId=BR-X&${period}`);
    expect(other.body.agents).toEqual([expect.objectContaining({ agentId: 'A1001', policiesRegistered: 1, firstCallbackPass: { count: 1, of: 1, rate: 1 } })]);
  });

  it('refuses other roles and bad periods', async () => {
    for (const role of ['agent:A1001', 'callcentre', 'upstream']) expectError(await t.api.get(role, `/v1/reports/quality?branchId=BR-Q&${period}`), 403, 'FORBIDDEN');
    let e = expectError(await t.api.get('manager', `/v1/reports/quality?${period}`), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.branchId' }));
    e = expectError(await t.api.get('manager', `/v1/reports/quality?branchId=BR-Q&from=${START.toISOString()}&to=2027-06-01T00:00:00Z`), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.to' }));
  });

  it('records report reads in the access log', async () => {
    const at = await now();
    ok(await t.api.get('manager:M1', `/v1/reports/quality?branchId=BR-Q&${period}`));
    ok(await t.api.get('manager:M1', '/v1/reports/false-contact?quarter=2026-Q1'));
    const log = await t.api.get<{ records: { action: string; subject?: string }[] }>('auditor', `/v1/audit/access-log?from=${at}&to=${new Date(Date.parse(at) + 1).toISOString()}`);
    expect(log.body.records.filter((r) => r.subject === 'M1').map((r) => r.action).sort()).toEqual(['report:false-contact', 'report:quality']);
  });
});
