import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { AGENT_PHONE, CLOCK_START, newPolicyId, registration } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

const scenario = () => new Scenario(t.api, newPolicyId());

describe('every path of docs/rules.md §3 through HTTP with the virtual clock', () => {
  it('passes at the first callback on day 10, and is payable once the receipt is back', async () => {
    const s = scenario();
    await s.register();
    const before = await t.api.get<unknown[]>('callcentre', '/v1/callbacks/due?limit=1000');
    expect(JSON.stringify(before.body)).not.toContain(s.policyId);
    await t.api.advance('P10D');
    const due = await t.api.get<{ policyId: string; round: number; phone: string }[]>('callcentre', '/v1/callbacks/due?limit=1000');
    expect(due.body.find((d) => d.policyId === s.policyId)).toMatchObject({ round: 1, phone: '13812345678' });
    expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
    let view = await s.expectStage('COMPLETED');
    expect(view.callback.status).toBe('PASSED');
    expect(view.commission.status).toBe('PENDING');
    await s.returnReceipt();
    view = await s.view();
    expect(view.commission).toMatchObject({ status: 'PAYABLE', net: '1200.00', deductions: [] });
    expect(t.system.stepFunctions.describeExecution(executionArn(s.policyId)).status).toBe('SUCCEEDED');
  });

  it('fails the first callback, the agent updates the contact, the second callback passes', async () => {
    const s = scenario();
    await s.toContactUpdate();
    const mail = (await t.api.emails()).find((m) => m.text.includes(s.policyId) && m.subject.includes('联系方式'));
    expect(mail?.to).toEqual(['a1001@insurer.example']);
    expect(mail?.text).toContain('138****5678');
    expect(mail?.text).not.toContain('13812345678');
    const updated = await t.api.put("agent:A1001", `/v1/policies/${s.policyId}/contact`, { confirm: true });
    expect(updated.status, updated.text).toBe(200);
    await s.expectStage("SECOND_CALLBACK");
    expect((await s.call(2, { reached: true })).roundStatus).toBe('PASSED');
    const view = await s.expectStage('COMPLETED');
    expect(view.callback.status).toBe('PASSED');
    expect(view.callback.rounds.map((r) => r.status)).toEqual(['FAILED', 'PASSED']);
  });

  it('starts the second callback when the contact window closes unanswered', async () => {
    const s = scenario();
    await s.toContactUpdate();
    await t.api.advance('P9DT23H');
    await s.expectStage('CONTACT_UPDATE');
    await t.api.advance('PT2H');
    const view = await s.expectStage('SECOND_CALLBACK');
    expect(view.callback.rounds).toHaveLength(2);
  });

  it.each([
    ['success', { success: true, phoneWrongOrOutOfUse: false }, 'PAYABLE', '1200.00'],
    ['success on a wrong number', { success: true, phoneWrongOrOutOfUse: true }, 'PAYABLE', '1160.00'],
    ['failure', { success: false, phoneWrongOrOutOfUse: false }, 'FORFEITED', '0.00'], // never paid
  ])('holds commission after a failed second callback; manual visit %s', async (_name, visit, status, net) => {
    const s = scenario();
    await s.toManualVisit();
    const held = (await t.api.emails()).find((m) => m.text.includes(s.policyId) && m.subject.includes('缓发佣金'));
    expect(held?.to).toEqual(['branch-manager@insurer.example']);
    const response = await t.api.post('branch', `/v1/policies/${s.policyId}/manual-visit`, { visitedAt: (await t.api.now()).toISOString(), visitorId: 'V1', ...visit });
    expect(response.status, response.text).toBe(200);
    await s.returnReceipt();
    const view = await s.expectStage('COMPLETED');
    expect(view.commission.status).toBe(status);
    expect(view.commission.net).toBe(net);
  });

  it('escalates an unreported manual visit after 30 days, daily', async () => {
    const s = scenario();
    await s.toManualVisit();
    await t.api.advance('P32D');
    const reminders = (await t.api.emails()).filter((m) => m.text.includes(s.policyId) && m.subject.includes('人工回访逾期'));
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    expect(reminders.length).toBeLessThanOrEqual(3);
  });

  it.each([['DISMISS', 'PASSED', 'PENDING'], ['UPHOLD', 'FINDINGS', 'FORFEITED']])('sends findings to compliance review: %s', async (decision, callbackStatus, commission) => {
    const s = scenario();
    await s.toReview();
    const mail = (await t.api.emails()).find((m) => m.text.includes(s.policyId) && m.subject.includes('合规复核'));
    expect(mail?.to).toEqual(expect.arrayContaining(['compliance@insurer.example', 'branch-manager@insurer.example']));
    const response = await t.api.post('compliance', `/v1/policies/${s.policyId}/review`, { decision, note: 'listened to the recording' });
    expect(response.status, response.text).toBe(200);
    const view = await s.expectStage('COMPLETED');
    expect(view.callback.status).toBe(callbackStatus);
    expect(view.commission.status).toBe(commission);
  });

  it('starts the first callback early once the branch approves the request', async () => {
    const s = scenario();
    await s.register();
    const filed = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${s.policyId}/special-requests`, { type: 'EARLY', reason: 'customer abroad from next week' });
    expect(filed.status, filed.text).toBe(201);
    await s.expectStage('WAITING_FIRST_CALLBACK');
    const decided = await t.api.post('branch', `/v1/special-requests/${filed.body.requestId}/decision`, { approve: true });
    expect(decided.status, decided.text).toBe(200);
    await s.expectStage('FIRST_CALLBACK');
    expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
  });

  it('exempts the callback on an approved exemption: marked exempt, never pass', async () => {
    const s = scenario();
    await s.toFirstCallback();
    const filed = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${s.policyId}/special-requests`, { type: 'EXEMPT', reason: 'signed confirmation', signedConfirmationRef: 'DOC-77' });
    expect(filed.status, filed.text).toBe(201);
    await t.api.post('branch', `/v1/special-requests/${filed.body.requestId}/decision`, { approve: true });
    const view = await s.expectStage('COMPLETED');
    expect(view.callback.status).toBe('EXEMPT');
    await s.returnReceipt();
    expect((await s.view()).commission.status).toBe('PAYABLE');
  });

  it.each(['WAITING_FIRST_CALLBACK', 'FIRST_CALLBACK', 'CONTACT_UPDATE', 'SECOND_CALLBACK', 'MANUAL_VISIT', 'COMPLIANCE_REVIEW'])(
    'cancels in stage %s: the lifecycle ends and commission is never payable',
    async (stage) => {
      const s = scenario();
      const drive: Record<string, () => Promise<void>> = {
        WAITING_FIRST_CALLBACK: () => s.register(),
        FIRST_CALLBACK: () => s.toFirstCallback(),
        CONTACT_UPDATE: () => s.toContactUpdate(),
        SECOND_CALLBACK: () => s.toSecondCallback(),
        MANUAL_VISIT: () => s.toManualVisit(),
        COMPLIANCE_REVIEW: () => s.toReview(),
      };
      await drive[stage]!();
      const response = await t.api.post('upstream', `/v1/policies/${s.policyId}/cancellation`, { cancelledAt: (await t.api.now()).toISOString(), reason: 'surrendered in the cooling-off period' });
      expect(response.status, response.text).toBe(200);
      const view = await s.expectStage('CANCELLED');
      expect(view.commission.status).toBe('CANCELLED');
      expect(t.system.stepFunctions.describeExecution(executionArn(s.policyId)).status).toBe('SUCCEEDED');
      const late = await t.api.post('upstream', `/v1/policies/${s.policyId}/receipt`, { returnedAt: (await t.api.now()).toISOString() });
      expect(late.status).toBe(409);
    },
  );

  it('runs the 72-hour rule set: first callback at once, a round unanswered for 72 h fails, the version is kept', async () => {
    const s = scenario();
    const response = await t.api.post('upstream', '/v1/policies', registration(s.policyId, await t.api.now(), { ruleSet: 'strict-72h' }));
    expect(response.status, response.text).toBe(201);
    let view = await s.expectStage('FIRST_CALLBACK');
    expect((view as unknown as { ruleSet: unknown }).ruleSet).toEqual({ name: 'strict-72h', version: 1 });
    await t.api.advance('PT71H');
    await s.expectStage('FIRST_CALLBACK');
    await t.api.advance('PT2H');
    view = await s.expectStage('CONTACT_UPDATE');
    expect(view.callback.rounds[0]).toMatchObject({ status: 'FAILED', endReason: 'TIMED_OUT' });
  });

  it("never passes a callback on the agent's own phone entered as the customer's", async () => {
    const s = scenario();
    await s.toFirstCallback({ policyholder: { name: '李四', phone: AGENT_PHONE } });
    expect((await s.view()).falseContactFound).toBe(true);
    const result = await s.call(1, { reached: true });
    expect(result.roundStatus).toBe('FAILED');
    const view = await s.expectStage('CONTACT_UPDATE');
    expect(view.callback.rounds[0]?.endReason).toBe('AGENT_PHONE_AS_CUSTOMER');
    const refused = await t.api.put('agent:A1001', `/v1/policies/${s.policyId}/contact`, { phone: AGENT_PHONE });
    expect(refused.status).toBe(422);
  });
});

function executionArn(policyId: string): string {
  return `arn:aws:states:us-east-1:000000000000:execution:policy-lifecycle:${policyId}`;
}
