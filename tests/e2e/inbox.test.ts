import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';

/**
 * Work inboxes through the running local system (docs/api.md, Work inboxes): a special
 * request in the branch's inbox with its SLA moving with the virtual clock, claims (one winner
 * under concurrency), the notice and the escalation e-mails sent once, and the other kinds.
 * One system and one clock for the file: the steps run in order.
 */
type Item = {
  kind: string; itemId: string; policyId: string; branchId: string; agentId: string; openedAt: string; dueAt: string;
  dueSoon: boolean; overdue: boolean; claimedBy?: string; claimedAt?: string; summary: string;
  type?: string; filedBy?: string; filedAt?: string; round?: number; attemptsSoFar?: number; escalations?: number;
};
type Page = { items: Item[]; nextCursor?: string };

const HOUR = 3_600_000;
const REASON = '客户张三在国外，电话 13812345678';

let t: TestSystem;
let request: Scenario;
let requestId = '';
let filedAt = 0;

beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

async function inbox(credential: string, query = ''): Promise<Page> {
  const response = await t.api.get<Page>(credential, `/v1/inbox${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

const itemOf = async (credential: string, itemId: string, query = '') => (await inbox(credential, query)).items.find((i) => i.itemId === itemId);
const claim = (credential: string, kind: string, itemId: string) => t.api.call<Record<string, unknown>>(credential, 'POST', `/v1/inbox/${kind}/${itemId}/claim`);
const release = (credential: string, kind: string, itemId: string) => t.api.call<Record<string, unknown>>(credential, 'DELETE', `/v1/inbox/${kind}/${itemId}/claim`);
const mailsAbout = async (id: string, subject: string) => (await t.api.emails()).filter((m) => m.subject.includes(subject) && m.text.includes(id));

describe('the special-request inbox', () => {
  it('shows a new request to the branch, without its reason, and mails the branch a notice once', async () => {
    request = new Scenario(t.api, newPolicyId('IBR'));
    await request.register();
    const filed = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${request.policyId}/special-requests`, { type: 'EXEMPT', reason: REASON, signedConfirmationRef: 'DOC-77' });
    expect(filed.status, filed.text).toBe(201);
    requestId = filed.body.requestId;
    filedAt = (await t.api.now()).getTime();
    // The same body again is the same request, and no second notice.
    const again = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${request.policyId}/special-requests`, { type: 'EXEMPT', reason: REASON, signedConfirmationRef: 'DOC-77' });
    expect(again.body.requestId).toBe(requestId);

    const item = await itemOf('branch:B7', requestId);
    expect(item).toMatchObject({
      kind: 'SPECIAL_REQUEST', policyId: request.policyId, branchId: 'BR-SH', agentId: 'A1001', type: 'EXEMPT', filedBy: 'A1001',
      openedAt: new Date(filedAt).toISOString(), filedAt: new Date(filedAt).toISOString(), dueAt: new Date(filedAt + 48 * HOUR).toISOString(),
      dueSoon: false, overdue: false, escalations: 0,
    });
    expect(item?.claimedBy).toBeUndefined();
    expect(JSON.stringify(item)).not.toMatch(/国外|张三|13812345678|DOC-77/);
    expect(await itemOf('branch:B7', requestId, '?kind=SPECIAL_REQUEST&branchId=BR-SH')).toBeDefined();
    expect(await itemOf('branch:B7', requestId, '?branchId=BR-BJ')).toBeUndefined();
    expect(await itemOf('compliance:C1', requestId)).toBeUndefined();

    const notices = await mailsAbout(request.policyId, '特殊回访申请');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toEqual(['branch-manager@insurer.example']);
    expect(notices[0]!.text).toContain(requestId);
    expect(notices[0]!.text).not.toMatch(/国外|张三|13812345678|DOC-77/);
  });

  it('turns due soon, then overdue, as the clock moves', async () => {
    await t.api.advanceTo(new Date(filedAt + 25 * HOUR));
    expect(await itemOf('branch:B7', requestId)).toMatchObject({ dueSoon: true, overdue: false });
    await t.api.advanceTo(new Date(filedAt + 49 * HOUR));
    expect(await itemOf('branch:B7', requestId)).toMatchObject({ dueSoon: false, overdue: true });
  });

  it('is claimed by one person at a time, again by the same one, and released by the claimer or a manager', async () => {
    const first = await claim('branch:B7', 'SPECIAL_REQUEST', requestId);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ kind: 'SPECIAL_REQUEST', itemId: requestId, claimedBy: 'B7', claimedAt: (await t.api.now()).toISOString() });
    const again = await claim('branch:B7', 'SPECIAL_REQUEST', requestId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = expectError(await claim('branch:B8', 'SPECIAL_REQUEST', requestId), 409, 'ALREADY_CLAIMED');
    expect(other.error.message).toContain('B7');
    expect(other.error.details[0]).toMatchObject({ claimedBy: 'B7' });
    expect(await itemOf('manager', requestId)).toMatchObject({ claimedBy: 'B7', claimedAt: first.body.claimedAt });

    expectError(await release('branch:B8', 'SPECIAL_REQUEST', requestId), 403, 'FORBIDDEN');
    const released = await release('branch:B7', 'SPECIAL_REQUEST', requestId);
    expect(released.body).toEqual({ kind: 'SPECIAL_REQUEST', itemId: requestId, released: true, claimedBy: 'B7' });
    expect((await release('branch:B7', 'SPECIAL_REQUEST', requestId)).body).toMatchObject({ released: false });
    expect((await claim('branch:B8', 'SPECIAL_REQUEST', requestId)).status).toBe(200);
    expect((await release('manager:M1', 'SPECIAL_REQUEST', requestId)).body).toMatchObject({ released: true, claimedBy: 'B8' });
    expect((await itemOf('branch:B7', requestId))?.claimedBy).toBeUndefined();
  });

  it('has exactly one winner among parallel claims', async () => {
    const subjects = Array.from({ length: 8 }, (_, i) => `B${20 + i}`);
    const answers = await Promise.all(subjects.map((s) => claim(`branch:${s}`, 'SPECIAL_REQUEST', requestId)));
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.body.claimedBy as string;
    for (const lost of answers.filter((a) => a.status !== 200)) expect(expectError(lost, 409, 'ALREADY_CLAIMED').error.details[0]).toMatchObject({ claimedBy: winner });
    expect((await itemOf('branch:B7', requestId))?.claimedBy).toBe(winner);
  });

  it('escalates once past the SLA, then daily, each reminder recorded once and mailed once', async () => {
    await t.api.advanceTo(new Date(filedAt + 72 * HOUR + 60_000));
    expect(await mailsAbout(request.policyId, '审批逾期')).toHaveLength(1);
    await t.api.advance('PT6H');
    expect(await mailsAbout(request.policyId, '审批逾期')).toHaveLength(1);
    expect(await itemOf('branch:B7', requestId)).toMatchObject({ escalations: 1, overdue: true });
    await t.api.advanceTo(new Date(filedAt + 96 * HOUR + 60_000));
    const reminders = await mailsAbout(request.policyId, '审批逾期');
    expect(reminders.map((m) => m.subject)).toHaveLength(2);
    expect(reminders.every((m) => !/国外|张三|13812345678/.test(m.text))).toBe(true);
    const history = await t.api.get<{ timeline: { kind: string; type: string; at: string; data?: Record<string, unknown> }[] }>('auditor', `/v1/policies/${request.policyId}/history`);
    const escalations = history.body.timeline.filter((e) => e.type === 'SpecialRequestEscalated');
    expect(escalations.map((e) => e.data?.reminder)).toEqual([1, 2]);
    // Locally the sweep runs at each reminder's instant: 3 days after filing, then a day later.
    expect(escalations.map((e) => e.at)).toEqual([new Date(filedAt + 72 * HOUR).toISOString(), new Date(filedAt + 96 * HOUR).toISOString()]);
  });

  it('leaves the inbox once decided: no claim, no more reminders', async () => {
    const decided = await t.api.post('branch:B7', `/v1/special-requests/${requestId}/decision`, { approve: false, note: 'confirmation not legible' });
    expect(decided.status, decided.text).toBe(200);
    expect(await itemOf('manager', requestId)).toBeUndefined();
    expectError(await claim('branch:B7', 'SPECIAL_REQUEST', requestId), 409, 'ITEM_CLOSED');
    await t.api.advance('P2D');
    expect(await mailsAbout(request.policyId, '审批逾期')).toHaveLength(2);
  });
});

describe('the other inboxes', () => {
  let visit: Scenario;
  let review: Scenario;
  let round: Scenario;

  it('lists a manual visit for the branch and a review for compliance, each leaving once done', async () => {
    [visit, review, round] = [newPolicyId('IBV'), newPolicyId('IBW'), newPolicyId('IBC')].map((id) => new Scenario(t.api, id)) as [Scenario, Scenario, Scenario];
    await review.register();
    await visit.register();
    await round.register();
    await t.api.advance('P10D'); // the first callbacks of all three open
    expect((await review.call(1, { reached: true, findings: { proxySignature: true, misleading: false } })).roundStatus).toBe('FINDINGS');
    expect((await visit.call(1, { reached: false, reason: 'WRONG_NUMBER' })).roundStatus).toBe('FAILED');
    expect((await t.api.put('agent:A1001', `/v1/policies/${visit.policyId}/contact`, { phone: '13787654321' })).status).toBe(200);
    expect((await visit.call(2, { reached: false, reason: 'POLICYHOLDER_REFUSED' })).roundStatus).toBe('FAILED');

    const visitItem = await itemOf('branch:B7', visit.policyId, '?kind=MANUAL_VISIT');
    expect(visitItem).toMatchObject({ kind: 'MANUAL_VISIT', policyId: visit.policyId, overdue: false, dueSoon: false });
    expect(Date.parse(visitItem!.dueAt) - Date.parse(visitItem!.openedAt)).toBe(30 * 24 * HOUR);
    expect(JSON.stringify(visitItem)).not.toMatch(/张三|1378765|13812345678/);
    const reviewItem = await itemOf('compliance:C1', review.policyId);
    expect(reviewItem).toMatchObject({ kind: 'REVIEW', itemId: review.policyId });
    expectError(await t.api.get('compliance:C1', '/v1/inbox?kind=MANUAL_VISIT'), 403, 'FORBIDDEN');

    expect((await claim('branch:B7', 'MANUAL_VISIT', visit.policyId)).status).toBe(200);
    expectError(await claim('compliance:C1', 'MANUAL_VISIT', visit.policyId), 403, 'FORBIDDEN');
    expect((await claim('compliance:C1', 'REVIEW', review.policyId)).status).toBe(200);
    const visited = await t.api.post('branch:B7', `/v1/policies/${visit.policyId}/manual-visit`, { visitedAt: (await t.api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: false, visitorId: 'V1' });
    expect(visited.status, visited.text).toBe(200);
    expect(await itemOf('manager', visit.policyId)).toBeUndefined();
    expectError(await claim('branch:B7', 'MANUAL_VISIT', visit.policyId), 409, 'ITEM_CLOSED');
    const decided = await t.api.post('compliance:C1', `/v1/policies/${review.policyId}/review`, { decision: 'DISMISS', note: 'checked' });
    expect(decided.status, decided.text).toBe(200);
    expect(await itemOf('auditor', review.policyId)).toBeUndefined();
  });

  it('lists a callback round for the call centre once its deadline is near, with the attempts so far', async () => {
    const itemId = `${round.policyId}-R1`;
    expect(await round.call(1, { reached: false, reason: 'NO_ANSWER' })).toMatchObject({ roundStatus: 'OPEN' });
    expect(await itemOf('callcentre:OP7', itemId)).toBeUndefined();
    await t.api.advance('P8DT1H'); // the round's deadline (10 days after it opened) is now 47 hours away
    const item = await itemOf('callcentre:OP7', itemId, '?kind=CALLBACK_ROUND');
    expect(item).toMatchObject({ kind: 'CALLBACK_ROUND', policyId: round.policyId, round: 1, attemptsSoFar: 1, dueSoon: false, overdue: false });
    expect(item!.summary).toBe('Callback round 1, 1 attempt so far');
    expect((await claim('callcentre:OP7', 'CALLBACK_ROUND', itemId)).status).toBe(200);
    expect(await itemOf('manager', itemId)).toMatchObject({ claimedBy: 'OP7' });
    expect(await round.call(1, { reached: true })).toMatchObject({ roundStatus: 'PASSED' });
    expect(await itemOf('callcentre:OP7', itemId)).toBeUndefined();
    expectError(await claim('callcentre:OP7', 'CALLBACK_ROUND', itemId), 409, 'ITEM_CLOSED');
  });

  it('orders every kind by due date for managers, and pages with a cursor bound to the filters', async () => {
    const extra = new Scenario(t.api, newPolicyId('IBX'));
    await extra.register();
    for (const type of ['EARLY', 'EXEMPT']) {
      const filed = await t.api.post('agent:A1001', `/v1/policies/${extra.policyId}/special-requests`, { type, reason: 'r', ...(type === 'EXEMPT' ? { signedConfirmationRef: 'D' } : {}) });
      expect(filed.status, filed.text).toBe(201);
    }
    const all = await inbox('manager');
    const dues = all.items.map((i) => i.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(all.items.filter((i) => i.policyId === extra.policyId)).toHaveLength(2);

    const first = await inbox('manager', '?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBeDefined();
    const second = await inbox('manager', `?limit=1&cursor=${first.nextCursor!}`);
    expect(second.items[0]).toEqual(all.items[1]);
    expectError(await t.api.get('manager', `/v1/inbox?limit=1&kind=REVIEW&cursor=${first.nextCursor!}`), 400, 'VALIDATION_FAILED');
  });
});

describe('bad input and roles', () => {
  it('names the bad field', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/inbox?kind=VISIT', 'query.kind'],
      ['GET', '/v1/inbox?limit=0', 'query.limit'],
      ['GET', '/v1/inbox?cursor=not-a-cursor', 'cursor'],
      ['GET', '/v1/inbox?branchId=BR%20SH', 'query.branchId'],
      ['GET', '/v1/inbox?colour=red', 'query.colour'],
      ['POST', '/v1/inbox/VISIT/P-1/claim', 'kind'],
      ['POST', '/v1/inbox/MANUAL_VISIT/P%201/claim', 'itemId'],
    ];
    for (const [method, path, field] of cases) {
      const body = expectError(await t.api.call('branch:B7', method, path), 400, 'VALIDATION_FAILED');
      expect(body.error.details.map((d) => d.field), path).toContain(field);
    }
    const noSubject = expectError(await claim('branch', 'MANUAL_VISIT', 'P-unknown'), 400, 'VALIDATION_FAILED');
    expect(noSubject.error.details[0]).toMatchObject({ field: 'subject', rule: 'required' });
  });

  it('refuses roles without an inbox and claims outside the role, and 404s an unknown item', async () => {
    // Agents have an inbox of their own kinds (tests/e2e/agent-inbox.test.ts), not the staff's.
    expectError(await t.api.get('agent:A1001', '/v1/inbox?kind=REVIEW'), 403, 'FORBIDDEN');
    expectError(await t.api.get('upstream', '/v1/inbox'), 403, 'FORBIDDEN');
    expectError(await t.api.get('callcentre:OP7', '/v1/inbox?kind=REVIEW'), 403, 'FORBIDDEN');
    expectError(await claim('auditor:AU1', 'REVIEW', 'P-unknown'), 403, 'FORBIDDEN');
    expectError(await claim('manager:M1', 'REVIEW', 'P-unknown'), 403, 'FORBIDDEN');
    expectError(await claim('branch:B7', 'MANUAL_VISIT', 'P-unknown'), 404, 'NOT_FOUND');
    expectError(await claim('branch:B7', 'SPECIAL_REQUEST', 'SR-unknown'), 404, 'NOT_FOUND');
    expectError(await claim('callcentre:OP7', 'CALLBACK_ROUND', 'P-unknown-R1'), 404, 'NOT_FOUND');
  });
});
