import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, CUSTOMER_PHONE, registration } from '../support/policies.js';
import { attemptBody, expectError } from './e2e-helpers.js';

/** docs/rules.md §8: the art. 15 confirmations, the rule set art15, the cooling-off period and its reports. */
let t: TestSystem;

type Attempt = { attemptId: string; reached: boolean; reason?: string; findings?: { proxySignature: boolean; misleading: boolean }; confirmations?: Record<string, string>; recordingRef?: string; durationSeconds?: number };
type CoolingOff = { startsAt: string; endsAt: string; basis: string; days: number; callbackPassedAt?: string; callbackPassedWithin: boolean | null; atRisk: boolean };
type View = { stage: string; paymentPlan: string; coolingOff: CoolingOff; callback: { rounds: { round: number; status: string; attempts: Attempt[] }[] } };
type AtRisk = { asOf: string; withinDays: number; count: number; policies: { policyId: string; waitingIn: string; coolingOffEndsAt: string; hoursLeft: number }[] };
type Evidence = { quarter: string; closed: boolean; totals: { reachedCalls: number; lacking: number }; calls: { policyId: string; attemptId: string; missing: string[] }[] };

const ALL_YES = { identity: 'YES', purchasedAndSigned: 'YES', readAndUnderstood: 'YES', coverAndExclusions: 'YES', surrenderLoss: 'YES', coolingOff: 'YES' };
const RECORDING = { recordingRef: 'rec/2026/03/0001', durationSeconds: 412 };
const ART15 = ['R-art', 'R-inst', 'R-id', 'R-no'];
const DEFAULT = ['R-def', 'R-late', 'R-sig'];

const attempts = (id: string) => `/v1/policies/${id}/callback-attempts`;
async function view(id: string, credential = 'auditor'): Promise<View> {
  const response = await t.api.get<View>(credential, `/v1/policies/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}
async function call(id: string, outcome: Record<string, unknown>, attemptId?: string) {
  return t.api.post<{ roundStatus: string; nextAttemptNotBefore?: string }>('callcentre', attempts(id), attemptBody(1, await t.api.now(), outcome, attemptId));
}
async function atRisk(withinDays: number, credential = 'compliance') {
  const response = await t.api.get<AtRisk>(credential, `/v1/reports/cooling-off-at-risk?withinDays=${withinDays}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

beforeAll(async () => {
  t = await startTestSystem(CLOCK_START); // 2026-03-02 09:00 Shanghai
  const printedAt = await t.api.now();
  for (const id of ART15) {
    const body = registration(id, printedAt, { ruleSet: 'art15', ...(id === 'R-inst' ? { paymentPlan: 'INSTALMENT' } : {}) });
    const response = await t.api.post('upstream', '/v1/policies', body);
    expect(response.status, response.text).toBe(201);
  }
  for (const id of DEFAULT) expect((await t.api.post('upstream', '/v1/policies', registration(id, printedAt))).status).toBe(201);
});
afterAll(async () => { await t.stop(); });

describe('the cooling-off period before any callback', () => {
  it('runs from printing until a receipt is recorded, 15 days after the day it starts, at risk while no call passed', async () => {
    const v = await view('R-late');
    expect(v.paymentPlan).toBe('SINGLE');
    expect(v.coolingOff).toEqual({
      startsAt: '2026-03-02T01:00:00.000Z', endsAt: '2026-03-17T16:00:00.000Z', basis: 'PRINTED', days: 15, callbackPassedWithin: null, atRisk: true,
    });
    expect((await view('R-inst')).paymentPlan).toBe('INSTALMENT');
  });
});

describe('calls on day 10', () => {
  beforeAll(async () => { await t.api.advance('P10D'); }); // 2026-03-12 09:00 Shanghai: round 1 open

  it('art15 refuses a reached call missing a mandatory point with 400 naming it, and records nothing', async () => {
    const { coolingOff: _skipped, ...five } = ALL_YES;
    const body = expectError(await call('R-art', { reached: true, confirmations: five, ...RECORDING }), 400, 'VALIDATION_FAILED');
    expect(body.error.details).toEqual([expect.objectContaining({ field: 'confirmations.coolingOff', rule: 'required_by_rule_set' })]);
    const noRecording = expectError(await call('R-art', { reached: true, confirmations: ALL_YES }), 400);
    expect(noRecording.error.details.map((d) => d.field)).toEqual(['recordingRef', 'durationSeconds']);
    const v1 = expectError(await call('R-art', { reached: true }), 400);
    expect(v1.error.details.map((d) => d.field)).toContain('confirmations.identity');
    expect((await view('R-art')).callback.rounds[0]!.attempts).toEqual([]);
  });

  it('art15 asks the payment terms of an instalment plan', async () => {
    const body = expectError(await call('R-inst', { reached: true, confirmations: ALL_YES, ...RECORDING }), 400);
    expect(body.error.details.map((d) => d.field)).toEqual(['confirmations.paymentTerms']);
    expect((await call('R-inst', { reached: true, confirmations: { ...ALL_YES, paymentTerms: 'YES' }, ...RECORDING })).body.roundStatus).toBe('PASSED');
  });

  it('art15 passes a complete call, keeps its answers and recording, and a replay answers the same', async () => {
    const attemptId = 'AT-art15-full';
    const outcome = { reached: true, confirmations: ALL_YES, ...RECORDING };
    const first = await call('R-art', outcome, attemptId);
    expect(first.status, first.text).toBe(200);
    expect(first.body.roundStatus).toBe('PASSED');
    const before = await view('R-art');
    const recorded = before.callback.rounds[0]!.attempts[0]!;
    expect(recorded).toMatchObject({ attemptId, reached: true, confirmations: { ...ALL_YES, paymentTerms: 'NOT_ASKED' }, ...RECORDING });
    expect(before.coolingOff).toMatchObject({ callbackPassedWithin: true, atRisk: false, callbackPassedAt: '2026-03-12T01:00:00.000Z' });

    const body = attemptBody(1, new Date('2026-03-12T01:00:00.000Z'), outcome, attemptId);
    const replay = await t.api.post('callcentre', attempts('R-art'), body);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect((await view('R-art')).callback.rounds[0]!.attempts).toHaveLength(1);
    const changed = { ...body, confirmations: { ...ALL_YES, surrenderLoss: 'NO' } };
    expectError(await t.api.post('callcentre', attempts('R-art'), changed), 409, 'IDEMPOTENCY_CONFLICT');
  });

  it('identity NO: someone else answered, a failed attempt (NOT_PRESENT) and the round stays open', async () => {
    const answer = await call('R-id', { reached: true, confirmations: { identity: 'NO' }, ...RECORDING });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.roundStatus).toBe('OPEN');
    const recorded = (await view('R-id')).callback.rounds[0]!.attempts[0]!;
    expect(recorded).toMatchObject({ reached: false, reason: 'NOT_PRESENT', confirmations: { identity: 'NO', coolingOff: 'NOT_ASKED' } });
    expect(recorded.findings).toBeUndefined();
  });

  it('a NO on the cooling-off point is a misleading finding: compliance review', async () => {
    const answer = await call('R-no', { reached: true, confirmations: { ...ALL_YES, coolingOff: 'NO' }, ...RECORDING, findings: { proxySignature: false, misleading: false } });
    expect(answer.body.roundStatus).toBe('FINDINGS');
    const v = await view('R-no');
    expect(v.stage).toBe('COMPLIANCE_REVIEW');
    expect(v.callback.rounds[0]!.attempts[0]!.findings).toEqual({ proxySignature: false, misleading: true });
  });

  it('default accepts a v1 call, records every point NOT_ASKED and reports it as lacking evidence', async () => {
    const answer = await call('R-def', { reached: true }, 'AT-default-v1');
    expect(answer.body.roundStatus).toBe('PASSED');
    const recorded = (await view('R-def')).callback.rounds[0]!.attempts[0]!;
    expect(Object.values(recorded.confirmations ?? {})).toEqual(Array(7).fill('NOT_ASKED'));

    const report = await t.api.get<Evidence>('compliance', '/v1/reports/regulatory-evidence?quarter=2026-Q1');
    expect(report.status, report.text).toBe(200);
    expect(report.body).toMatchObject({ quarter: '2026-Q1', closed: false, totals: { reachedCalls: 4, lacking: 1 } });
    expect(report.body.calls).toEqual([expect.objectContaining({
      policyId: 'R-def', attemptId: 'AT-default-v1',
      missing: ['confirmations.identity', 'confirmations.purchasedAndSigned', 'confirmations.readAndUnderstood', 'confirmations.coverAndExclusions',
        'confirmations.surrenderLoss', 'confirmations.coolingOff', 'recordingRef', 'durationSeconds'],
    })]);
    expect(report.text).not.toContain('张三');
    for (const role of ['manager', 'auditor']) expect((await t.api.get(role, '/v1/reports/regulatory-evidence?quarter=2026-Q1')).status).toBe(200);
    expectError(await t.api.get('callcentre', '/v1/reports/regulatory-evidence?quarter=2026-Q1'), 403);
    expectError(await t.api.get('compliance', '/v1/reports/regulatory-evidence?quarter=2026-Q5'), 400);
  });

  it('keeps the answers in the history, with no customer data added', async () => {
    const history = await t.api.get<{ timeline: { type: string; data: { attempt?: Attempt; missingEvidence?: string[] } }[] }>('auditor', '/v1/policies/R-art/history');
    expect(history.status, history.text).toBe(200);
    const event = history.body.timeline.find((e) => e.type === 'CallbackAttemptRecorded');
    expect(event?.data.attempt).toMatchObject({ confirmations: { ...ALL_YES, paymentTerms: 'NOT_ASKED' }, recordingRef: RECORDING.recordingRef });
    expect(event?.data.missingEvidence).toBeUndefined();
    const v1 = await t.api.get<{ timeline: { type: string; data: { missingEvidence?: string[] } }[] }>('auditor', '/v1/policies/R-def/history');
    expect(v1.body.timeline.find((e) => e.type === 'CallbackAttemptRecorded')?.data.missingEvidence).toContain('recordingRef');
  });

  it('reports the policies whose period ends within N days and whose callback has not passed', async () => {
    const report = await atRisk(7);
    const ids = report.policies.map((p) => p.policyId);
    expect(ids).toEqual(expect.arrayContaining(['R-late', 'R-sig', 'R-id', 'R-no']));
    for (const passed of ['R-art', 'R-def', 'R-inst']) expect(ids).not.toContain(passed);
    expect(report.policies.find((p) => p.policyId === 'R-late')).toEqual({
      policyId: 'R-late', agentId: 'A1001', branchId: 'BR-SH', waitingIn: 'DIAL', coolingOffEndsAt: '2026-03-17T16:00:00.000Z', hoursLeft: 135,
    });
    expect(report.policies.find((p) => p.policyId === 'R-no')?.waitingIn).toBe('REVIEW');
    expect((await atRisk(5)).policies.map((p) => p.policyId)).not.toContain('R-late');
    const asCallCentre = await t.api.get('callcentre', '/v1/reports/cooling-off-at-risk?withinDays=7');
    expect(asCallCentre.status).toBe(200);
    expect(asCallCentre.text).not.toContain(CUSTOMER_PHONE);
    expect(asCallCentre.text).not.toContain('张三');
    expectError(await t.api.get('agent:A1001', '/v1/reports/cooling-off-at-risk'), 403);
    expectError(await t.api.get('compliance', '/v1/reports/cooling-off-at-risk?withinDays=x'), 400);
  });

  it("starts the period at the receipt's signature once recorded", async () => {
    const response = await t.api.post<View>('upstream', '/v1/policies/R-sig/receipt', { returnedAt: (await t.api.now()).toISOString(), signedAt: '2026-03-05T10:00:00+08:00' });
    expect(response.status, response.text).toBe(200);
    expect((await view('R-sig')).coolingOff).toMatchObject({ startsAt: '2026-03-05T02:00:00.000Z', endsAt: '2026-03-20T16:00:00.000Z', basis: 'RECEIPT_SIGNED', atRisk: true });
    expect((await atRisk(7)).policies.map((p) => p.policyId)).not.toContain('R-sig'); // ends in 8.6 days now
    expect((await atRisk(9)).policies.find((p) => p.policyId === 'R-sig')?.coolingOffEndsAt).toBe('2026-03-20T16:00:00.000Z');
    const late = await t.api.post('upstream', '/v1/policies/R-late/receipt', { returnedAt: (await t.api.now()).toISOString(), signedAt: '2026-03-13T10:00:00+08:00' });
    expectError(late, 400);
  });

  it('flags a period that ended without a pass, and drops it from the at-risk report', async () => {
    await t.api.advance('P6D'); // 2026-03-18 09:00 Shanghai: R-late's period ended at its midnight
    const v = await view('R-late');
    expect(v.coolingOff).toMatchObject({ callbackPassedWithin: false, atRisk: false });
    expect((await view('R-art')).coolingOff.callbackPassedWithin).toBe(true);
    expect((await atRisk(30)).policies.map((p) => p.policyId)).not.toContain('R-late');
  });
});
