import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { AGENT_PHONE, attempt, registration } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

/**
 * A scripted quarter (docs/rules.md §9), every fact through the API on the virtual clock.
 * Hand-computed with the default table (false contact 5, upheld proxy signature or
 * misleading 10 each, contact window unanswered 1):
 *   A1001 (BR-I): I-1 agent's phone as the customer's 5 + I-2 proxy upheld 10 + I-3 and I-4 both
 *                 upheld 20 + 20 + I-5 window unanswered 1 = 56 → 44, RESTRICTED.
 *   A2002 (BR-I): I-6 proxy upheld 10 + I-7 window unanswered 1 + I-8 wrong phone at the manual visit 5 = 16 → 84, OK.
 *   A3003 (BR-J): J-1 agent's phone at registration, met again by the callback: one case, 5 → 95, OK.
 * Then 2026-Q2: A1001 I-9..I-11 both upheld, 60 → 40, below 60 twice → DISMISSAL_PROPOSED.
 */
const START = new Date('2026-01-05T01:00:00Z'); // 09:00 in Shanghai, a Monday
const A2 = { agentId: 'A2002', name: '李娜', phone: '13900000002' };
const A3 = { agentId: 'A3003', name: '周强', phone: '13900000003' };
const BOTH = { proxySignature: true, misleading: true };
const PROXY = { proxySignature: true, misleading: false };
let t: TestSystem;

const ok = (response: { status: number; text: string }) => expect(response.status, response.text).toBeLessThan(300);
const register = async (id: string, overrides: Record<string, unknown> = {}) => ok(await t.api.post('upstream', '/v1/policies', registration(id, await t.api.now(), { branchId: 'BR-I', ...overrides })));
const call = async (id: string, round: number, outcome: Parameters<typeof attempt>[2]) => ok(await t.api.post('callcentre', `/v1/policies/${id}/callback-attempts`, attempt(round, await t.api.now(), outcome)));
const uphold = async (id: string) => ok(await t.api.post('compliance', `/v1/policies/${id}/review`, { decision: 'UPHOLD', note: 'recording confirms it' }));

type Line = { agentId: string; branchId: string; points: { case: string; policyId: string; points: number }[]; totalPoints: number; score: number; status: string; previousScore?: number };
type Report = { quarter: string; closed: boolean; branchId?: string; agents: Line[] };
const summary = (r: Report) => r.agents.map((a) => [a.agentId, a.branchId, a.totalPoints, a.score, a.status, a.previousScore]);
const isIntegrityMail = (m: { subject: string }) => m.subject.startsWith('【诚信档案】');

beforeAll(async () => {
  t = await startTestSystem(START);
  await register('I-1', { policyholder: { name: '赵六', phone: AGENT_PHONE } });
  for (const id of ['I-2', 'I-3', 'I-4', 'I-5']) await register(id);
  for (const id of ['I-6', 'I-7', 'I-8']) await register(id, { agent: A2 });
  await register('J-1', { branchId: 'BR-J', agent: A3, policyholder: { name: '钱七', phone: A3.phone } });
  await t.api.advance('P10D');
  await call('I-1', 1, { reached: true }); // the number is the agent's: fails, the agent corrects it
  ok(await t.api.put('agent:A1001', '/v1/policies/I-1/contact', { phone: '13711112222' }));
  await call('I-1', 2, { reached: true });
  await call('I-2', 1, { reached: true, findings: PROXY });
  await call('I-3', 1, { reached: true, findings: BOTH });
  await call('I-4', 1, { reached: true, findings: BOTH });
  await call('I-5', 1, { reached: false, reason: 'WRONG_NUMBER' });
  await call('I-6', 1, { reached: true, findings: PROXY });
  await call('I-7', 1, { reached: false, reason: 'WRONG_NUMBER' });
  await call('I-8', 1, { reached: false, reason: 'WRONG_NUMBER' });
  ok(await t.api.put('agent:A2002', '/v1/policies/I-8/contact', { phone: '13733334444' }));
  await call('I-8', 2, { reached: false, reason: 'WRONG_NUMBER' });
  ok(await t.api.post('branch', '/v1/policies/I-8/manual-visit', { visitedAt: await t.api.now().then((d) => d.toISOString()), success: true, phoneWrongOrOutOfUse: true, visitorId: 'V1' }));
  await call('J-1', 1, { reached: false, reason: 'AGENT_OR_BRANCH_PHONE' });
  ok(await t.api.put('agent:A3003', '/v1/policies/J-1/contact', { phone: '13755556666' }));
  await call('J-1', 2, { reached: true });
  for (const id of ['I-2', 'I-3', 'I-4', 'I-6']) await uphold(id);
  await t.api.advance('P10DT1H'); // I-5 and I-7: the contact-update windows close unanswered
  await call('I-5', 2, { reached: true });
  await call('I-7', 2, { reached: true });
});
afterAll(async () => { await t?.stop(); });

describe('the integrity report of a scripted quarter', () => {
  it('scores every agent as computed by hand', async () => {
    const all = await t.api.get<Report>('compliance', '/v1/reports/integrity?quarter=2026-Q1');
    expect(all.status, all.text).toBe(200);
    expect(all.body.closed).toBe(false);
    expect(summary(all.body)).toEqual([
      ['A1001', 'BR-I', 56, 44, 'RESTRICTED', 100],
      ['A2002', 'BR-I', 16, 84, 'OK', 100],
      ['A3003', 'BR-J', 5, 95, 'OK', 100],
    ]);
    expect(all.body.agents[0]!.points.map((p) => [p.policyId, p.case, p.points])).toEqual([
      ['I-1', 'FALSE_CONTACT', 5],
      ['I-2', 'PROXY_SIGNATURE_UPHELD', 10],
      ['I-3', 'PROXY_SIGNATURE_UPHELD', 10],
      ['I-3', 'MISLEADING_UPHELD', 10],
      ['I-4', 'PROXY_SIGNATURE_UPHELD', 10],
      ['I-4', 'MISLEADING_UPHELD', 10],
      ['I-5', 'CONTACT_UPDATE_NOT_RETURNED', 1],
    ]);
    const branch = await t.api.get<Report>('branch', '/v1/reports/integrity?branchId=BR-I&quarter=2026-Q1');
    expect(summary(branch.body)).toEqual(summary(all.body).slice(0, 2));
    const own = await t.api.get<Report>('agent:A2002', '/v1/reports/integrity?quarter=2026-Q1');
    expect(summary(own.body)).toEqual([['A2002', 'BR-I', 16, 84, 'OK', 100]]);
  });

  it('answers CSV for Accept: text/csv, one line per case', async () => {
    const response = await fetch(`${t.api.baseUrl}/v1/reports/integrity?quarter=2026-Q1&branchId=BR-J`, { headers: { authorization: 'Bearer local:auditor', accept: 'text/csv' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('quarter,agentId,branchId,score,status,previousScore,totalPoints,case,policyId,at,points');
    expect(lines.slice(1).map((l) => l.split(',').filter((_c, i) => i !== 9).join(','))).toEqual(['2026-Q1,A3003,BR-J,95,OK,100,5,FALSE_CONTACT,J-1,5']);
  });

  it('puts each agent\'s score on the quality report', async () => {
    const response = await t.api.get<{ integrityQuarter: string; agents: { agentId: string; integrityScore: number }[] }>('manager', `/v1/reports/quality?branchId=BR-I&from=${START.toISOString()}&to=2026-02-01T00:00:00Z`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.integrityQuarter).toBe('2026-Q1');
    expect(response.body.agents.map((a) => [a.agentId, a.integrityScore])).toEqual([['A1001', 44], ['A2002', 84]]);
  });

  it('refuses other roles, a branch reader without its branch and a malformed quarter', async () => {
    for (const role of ['callcentre', 'upstream']) expectError(await t.api.get(role, '/v1/reports/integrity?quarter=2026-Q1'), 403, 'FORBIDDEN');
    expectError(await t.api.get('branch', '/v1/reports/integrity?quarter=2026-Q1'), 403, 'FORBIDDEN');
    const e = expectError(await t.api.get('manager', '/v1/reports/integrity?quarter=2026-Q7'), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.quarter' }));
  });
});

describe('the threshold e-mail', () => {
  it('goes to the branch manager once at the quarter\'s close, for the restricted agent only', async () => {
    expect((await t.api.emails()).filter(isIntegrityMail)).toEqual([]);
    await t.api.advanceTo(new Date('2026-04-01T01:01:00Z')); // past 09:00 on 1 April in Shanghai
    await t.api.advance('P2D');
    const mails = (await t.api.emails()).filter(isIntegrityMail);
    expect(mails.map((m) => [m.to, m.subject])).toEqual([[['branch-manager@insurer.example'], '【诚信档案】业务员 A1001 2026-Q1 诚信评分 44 分：限制展业']]);
    expect(mails[0]!.text).toContain('扣 56 分');
    expect(mails[0]!.text).not.toContain('赵六');
    expect((await t.api.get<Report>('manager', '/v1/reports/integrity?quarter=2026-Q1')).body.closed).toBe(true);
  });

  it('proposes dismissal after a second quarter below 60, and mails that once too', async () => {
    for (const id of ['I-9', 'I-10', 'I-11']) await register(id);
    await t.api.advance('P10D');
    for (const id of ['I-9', 'I-10', 'I-11']) await call(id, 1, { reached: true, findings: BOTH });
    for (const id of ['I-9', 'I-10', 'I-11']) await uphold(id);
    const q2 = await t.api.get<Report>('manager', '/v1/reports/integrity?branchId=BR-I&quarter=2026-Q2');
    expect(summary(q2.body)).toEqual([
      ['A1001', 'BR-I', 60, 40, 'DISMISSAL_PROPOSED', 44],
      ['A2002', 'BR-I', 0, 100, 'OK', 84],
    ]);
    await t.api.advanceTo(new Date('2026-07-01T01:01:00Z'));
    await t.api.advance('P1D');
    const mails = (await t.api.emails()).filter(isIntegrityMail).map((m) => m.subject);
    expect(mails).toEqual([
      '【诚信档案】业务员 A1001 2026-Q1 诚信评分 44 分：限制展业',
      '【诚信档案】业务员 A1001 2026-Q2 诚信评分 40 分：连续 2 个季度低于 60 分，建议清退',
    ]);
  });
});
