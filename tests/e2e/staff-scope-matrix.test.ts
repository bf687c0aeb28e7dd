import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { attempt, CLOCK_START, registration } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

/**
 * docs/api.md, Staff and scope: staff of two branches (BR-SH, BR-BJ), a head-office manager,
 * compliance, an auditor and the call centre, all in the directory, walk every policy-scoped
 * route and list against policies of both branches. Outside its branch a branch-held caller
 * succeeds 0 times (403 OUT_OF_BRANCH_SCOPE, or the list/report holds only its branch);
 * inside, and for the unscoped roles everywhere, it succeeds. Each incompatible duty is
 * refused with its reason code.
 */
const BRANCHES = ['SH', 'BJ'] as const;
type Branch = (typeof BRANCHES)[number];
const branchId = (b: Branch) => `BR-${b}`;
const other = (b: Branch): Branch => (b === 'SH' ? 'BJ' : 'SH');
const agentOf = (b: Branch) => `A-${b}`;
const policy = (b: Branch, kind: 'visit' | 'review' | 'req' | 'dual') => `M-${b}-${kind}`;
const coordinator = (b: Branch) => `branch:B${b}1`;
const branchManager = (b: Branch) => `manager:M${b}1`;
const HEAD_OFFICE = 'manager:MHQ';
const UNSCOPED = [HEAD_OFFICE, 'compliance:C1', 'auditor:AU1', 'callcentre:CC1'];
const PERIOD = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

let t: TestSystem;
const requests: Partial<Record<Branch, string>> = {};
let dualRequest = '';

const ok = (response: { status: number; text: string }) => expect(response.status, response.text).toBeLessThan(300);
const call = async (id: string, round: number, outcome: Parameters<typeof attempt>[2]) =>
  ok(await t.api.post('callcentre:CC1', `/v1/policies/${id}/callback-attempts`, attempt(round, await t.api.now(), outcome)));
const staff = (id: string, roles: string[], branch?: string) =>
  t.api.put('admin', `/v1/staff/${id}`, { name: `Staff ${id}`, email: `${id.toLowerCase()}@insurer.example`, roles, ...(branch ? { branchId: branch } : {}) });

/** Every outside-scope attempt, with what it answered: the matrix's "0 successes". */
const outside: { who: string; what: string; status: number; code?: string }[] = [];
async function tryOutside(who: string, method: string, path: string, body?: unknown) {
  const response = await t.api.call<{ error?: { code: string } }>(who, method, path, body);
  outside.push({ who, what: `${method} ${path}`, status: response.status, code: response.body.error?.code });
  return response;
}

beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  for (const b of BRANCHES) {
    ok(await staff(`B${b}1`, ['branch'], branchId(b)));
    ok(await staff(`M${b}1`, ['manager'], branchId(b)));
    // The agents are also compliance reviewers: never of their own policies.
    ok(await staff(agentOf(b), ['agent', 'compliance'], branchId(b)));
  }
  ok(await staff('MHQ', ['manager']));
  ok(await staff('C1', ['compliance']));
  ok(await staff('AU1', ['auditor']));
  ok(await staff('CC1', ['callcentre']));
  // One person who is both an agent and the branch's coordinator: may not decide its own request.
  ok(await staff('DUAL', ['agent', 'branch'], 'BR-SH'));

  const register = async (id: string, b: Branch, agentId = agentOf(b), policyholder = { name: '张三', phone: '13812345678' }) =>
    ok(await t.api.post('upstream', '/v1/policies', registration(id, await t.api.now(), { branchId: branchId(b), agent: { agentId, name: '王芳', phone: '13900000001' }, policyholder })));
  for (const b of BRANCHES) {
    await register(policy(b, 'visit'), b);
    await register(policy(b, 'review'), b);
    // The agent's own phone as the customer's: false contact information for the quarter's report.
    await register(policy(b, 'req'), b, agentOf(b), { name: '张三', phone: '13900000001' });
    const filed = await t.api.post<{ requestId: string }>(`agent:${agentOf(b)}`, `/v1/policies/${policy(b, 'req')}/special-requests`, { type: 'EARLY', reason: 'customer travels' });
    ok(filed);
    requests[b] = filed.body.requestId;
  }
  await register(policy('SH', 'dual'), 'SH', 'DUAL');
  const dual = await t.api.post<{ requestId: string }>('agent:DUAL', `/v1/policies/${policy('SH', 'dual')}/special-requests`, { type: 'EARLY', reason: 'customer travels' });
  ok(dual);
  dualRequest = dual.body.requestId;

  await t.api.advance('P10D'); // first rounds open
  for (const b of BRANCHES) {
    await call(policy(b, 'visit'), 1, { reached: false, reason: 'WRONG_NUMBER' });
    ok(await t.api.put(`agent:${agentOf(b)}`, `/v1/policies/${policy(b, 'visit')}/contact`, { phone: '13811119999' }));
    await call(policy(b, 'visit'), 2, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
    await call(policy(b, 'review'), 1, { reached: true, findings: { proxySignature: true, misleading: false } });
  }
}, 240_000);

afterAll(async () => {
  await t?.stop();
});

describe.each(BRANCHES)('staff of BR-%s', (b) => {
  const foreign = other(b);

  it('read, list and report only their own branch', async () => {
    for (const who of [coordinator(b), branchManager(b)]) {
      for (const kind of ['visit', 'review', 'req'] as const) {
        expect((await t.api.get(who, `/v1/policies/${policy(b, kind)}`)).status).toBe(200);
        await tryOutside(who, 'GET', `/v1/policies/${policy(foreign, kind)}`);
      }
      const visits = await t.api.get<{ policyId: string; branchId: string }[]>(who, '/v1/manual-visits/open');
      expect(visits.body.map((v) => v.policyId)).toEqual([policy(b, 'visit')]);
      await tryOutside(who, 'GET', `/v1/manual-visits/open?branchId=${branchId(foreign)}`);
      expect((await t.api.get(who, `/v1/reports/quality?branchId=${branchId(b)}&${PERIOD}`)).status).toBe(200);
      await tryOutside(who, 'GET', `/v1/reports/quality?branchId=${branchId(foreign)}&${PERIOD}`);
    }
    const manager = branchManager(b);
    const reviews = await t.api.get<{ policyId: string }[]>(manager, '/v1/reviews/open');
    expect(reviews.body.map((r) => r.policyId)).toEqual([policy(b, 'review')]);
    await tryOutside(manager, 'GET', `/v1/reviews/open?branchId=${branchId(foreign)}`);
    for (const suffix of ['history', 'history/verify']) {
      expect((await t.api.get(manager, `/v1/policies/${policy(b, 'visit')}/${suffix}`)).status).toBe(200);
      await tryOutside(manager, 'GET', `/v1/policies/${policy(foreign, 'visit')}/${suffix}`);
    }
    // Authorization before existence: a missing policy answers as the other branch's does, word for word.
    for (const path of ['', '/history']) {
      const foreignAnswer = await t.api.get<{ error: { code: string; message: string } }>(manager, `/v1/policies/${policy(foreign, 'visit')}${path}`);
      const missing = await t.api.get<{ error: { code: string; message: string } }>(manager, `/v1/policies/NO-SUCH-POLICY${path}`);
      expect([missing.status, missing.body.error.code]).toEqual([403, 'OUT_OF_BRANCH_SCOPE']);
      expect(missing.body.error.message).toBe(foreignAnswer.body.error.message.replace(policy(foreign, 'visit'), 'NO-SUCH-POLICY'));
    }
    const events = await t.api.get<{ events: { branchId: string }[] }>(manager, `/v1/audit/events?${PERIOD}&limit=500`);
    expect(events.body.events.length).toBeGreaterThan(0);
    expect(new Set(events.body.events.map((e) => e.branchId))).toEqual(new Set([branchId(b)]));
    await tryOutside(manager, 'GET', `/v1/audit/events?${PERIOD}&branchId=${branchId(foreign)}`);
    const report = await t.api.get<{ agents: { policies: { branchId: string }[] }[] }>(manager, '/v1/reports/false-contact?quarter=2026-Q1');
    expect(new Set(report.body.agents.flatMap((a) => a.policies.map((p) => p.branchId)))).toEqual(new Set([branchId(b)]));
    const directory = await t.api.get<{ staff: { subjectId: string; branchId?: string; email: string }[] }>(manager, '/v1/staff');
    expect(new Set(directory.body.staff.map((s) => s.branchId))).toEqual(new Set([branchId(b)]));
    expect(directory.body.staff.every((s) => s.email === '***')).toBe(true);
    await tryOutside(manager, 'GET', `/v1/staff/B${foreign}1`);
    await tryOutside(manager, 'POST', '/v1/settlements', { month: '2026-02' });
  });

  it('may not act on the other branch: manual visit, special-request decision', async () => {
    const visit = { visitedAt: (await t.api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: `V-${b}` };
    await tryOutside(coordinator(b), 'POST', `/v1/policies/${policy(foreign, 'visit')}/manual-visit`, visit);
    await tryOutside(coordinator(b), 'POST', `/v1/special-requests/${requests[foreign]}/decision`, { approve: true });
    // Nothing changed on the other branch's policies.
    const view = await t.api.get<{ callback: { manualVisit?: { outcome?: string } }; specialRequests: { status: string }[] }>('auditor', `/v1/policies/${policy(foreign, 'visit')}`);
    expect(view.body.callback.manualVisit?.outcome).toBeUndefined();
    const req = await t.api.get<{ specialRequests: { status: string }[] }>('auditor', `/v1/policies/${policy(foreign, 'req')}`);
    expect(req.body.specialRequests.map((r) => r.status)).toEqual(['PENDING']);
  });
});

describe('outside scope', () => {
  it('0 successes: every attempt was 403 OUT_OF_BRANCH_SCOPE', () => {
    // Per branch: 2 callers × (3 policies, 1 list, 1 report) + the manager's 6 + the coordinator's 2 commands.
    expect(outside.length).toBe(36);
    expect(outside.filter((o) => o.status !== 403 || o.code !== 'OUT_OF_BRANCH_SCOPE')).toEqual([]);
  });
});

describe('callers who see every branch', () => {
  it.each(UNSCOPED)('%s reads the policies of both branches', async (who) => {
    for (const b of BRANCHES) expect((await t.api.get(who, `/v1/policies/${policy(b, 'visit')}`)).status).toBe(200);
  });

  it('head office lists, searches and reports across branches', async () => {
    const visits = await t.api.get<{ policyId: string }[]>(HEAD_OFFICE, '/v1/manual-visits/open');
    expect(visits.body.map((v) => v.policyId).sort()).toEqual([policy('BJ', 'visit'), policy('SH', 'visit')]);
    const events = await t.api.get<{ events: { branchId: string }[] }>(HEAD_OFFICE, `/v1/audit/events?${PERIOD}&limit=500`);
    expect(new Set(events.body.events.map((e) => e.branchId))).toEqual(new Set(['BR-SH', 'BR-BJ']));
    const reviews = await t.api.get<{ policyId: string }[]>('compliance:C1', '/v1/reviews/open');
    expect(reviews.body.map((r) => r.policyId).sort()).toEqual([policy('BJ', 'review'), policy('SH', 'review')]);
  });
});

describe('a subject acting in a role its entry does not assign', () => {
  it('is refused with ROLE_NOT_ASSIGNED', async () => {
    expectError(await t.api.get('compliance:BSH1', `/v1/policies/${policy('SH', 'visit')}`), 403, 'ROLE_NOT_ASSIGNED');
    expectError(await t.api.get('manager:BSH1', '/v1/manual-visits/open'), 403, 'ROLE_NOT_ASSIGNED');
  });

  it('a subject not in the directory keeps role-only behaviour in local mode', async () => {
    expect((await t.api.get('branch:NOBODY', `/v1/policies/${policy('BJ', 'visit')}`)).status).toBe(200);
    expect((await t.api.get('manager', '/v1/manual-visits/open')).body).toHaveLength(2);
  });
});

describe('incompatible duties', () => {
  it('VISITOR_IS_AGENT: the agent is not the visitor, directory or not', async () => {
    const visit = { visitedAt: (await t.api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: agentOf('SH') };
    for (const who of [coordinator('SH'), 'branch']) {
      expectError(await t.api.post(who, `/v1/policies/${policy('SH', 'visit')}/manual-visit`, visit), 403, 'VISITOR_IS_AGENT');
    }
  });

  it('REVIEWER_CONFLICT: neither the agent nor the visitor reviews the findings', async () => {
    const decision = { decision: 'UPHOLD', note: 'heard the recording' };
    expectError(await t.api.post(`compliance:${agentOf('SH')}`, `/v1/policies/${policy('SH', 'review')}/review`, decision), 403, 'REVIEWER_CONFLICT');
    // The SH visit is made with findings by V-SH: a review opens, which V-SH may not decide.
    const visit = { visitedAt: (await t.api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: 'V-SH', findings: { proxySignature: true, misleading: false } };
    ok(await t.api.post(coordinator('SH'), `/v1/policies/${policy('SH', 'visit')}/manual-visit`, visit));
    expectError(await t.api.post('compliance:V-SH', `/v1/policies/${policy('SH', 'visit')}/review`, decision), 403, 'REVIEWER_CONFLICT');
    ok(await t.api.post('compliance:C1', `/v1/policies/${policy('SH', 'visit')}/review`, decision));
    ok(await t.api.post('compliance:C1', `/v1/policies/${policy('SH', 'review')}/review`, decision));
  });

  it("DECIDER_IS_FILER, OUT_OF_BRANCH_SCOPE: a coordinator of the policy's branch who did not file it decides", async () => {
    expectError(await t.api.post('branch:DUAL', `/v1/special-requests/${dualRequest}/decision`, { approve: true }), 403, 'DECIDER_IS_FILER');
    expectError(await t.api.post(coordinator('BJ'), `/v1/special-requests/${dualRequest}/decision`, { approve: true }), 403, 'OUT_OF_BRANCH_SCOPE');
    ok(await t.api.post(coordinator('SH'), `/v1/special-requests/${dualRequest}/decision`, { approve: true }));
    for (const b of BRANCHES) ok(await t.api.post(coordinator(b), `/v1/special-requests/${requests[b]}/decision`, { approve: false, note: 'not needed' }));
  });

  it('the in-scope visit succeeds where the out-of-scope one was refused', async () => {
    const visit = { visitedAt: (await t.api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: 'V-BJ' };
    const response = await t.api.post<{ callback: { manualVisit: { outcome: string } } }>(coordinator('BJ'), `/v1/policies/${policy('BJ', 'visit')}/manual-visit`, visit);
    ok(response);
    expect(response.body.callback.manualVisit.outcome).toBe('SUCCESS');
  });
});

describe('settlement statements for a branch manager', () => {
  it("hold only the branch's lines; head office sees both", async () => {
    await t.api.advanceTo(new Date('2026-03-20T02:00:00Z')); // the March settlement ran at 09:00 Shanghai
    const branches = async (who: string) => {
      const statement = await t.api.get<{ agents: { lines: { branchId: string }[] }[] }>(who, '/v1/settlements/2026-03');
      expect(statement.status, statement.text).toBe(200);
      return new Set(statement.body.agents.flatMap((a) => a.lines.map((l) => l.branchId)));
    };
    expect(await branches(HEAD_OFFICE)).toEqual(new Set(['BR-SH', 'BR-BJ']));
    expect(await branches(branchManager('SH'))).toEqual(new Set(['BR-SH']));
    const csv = await fetch(`${t.api.baseUrl}/v1/settlements/2026-03`, { headers: { authorization: `Bearer local:${branchManager('BJ')}`, accept: 'text/csv' } });
    const text = await csv.text();
    expect(csv.status, text).toBe(200);
    expect(text).toContain('BR-BJ');
    expect(text).not.toContain('BR-SH');
  });
});
