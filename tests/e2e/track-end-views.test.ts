import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { attempt, CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';
import { lineOf, statementOf } from './settlement-helpers.js';

/**
 * The view tells where a policy stands, and the same thing a command answers and the next GET
 * shows: a round the callback track left behind (exemption, cancellation) is closed, not open
 * with a deadline; a contact answer shows the second callback at once; a commission that will
 * never be paid shows net 0.00 and a final status.
 */
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

type Round = { round: number; status: string; endReason?: string };
type FullView = {
  stage: string;
  callback: { status: string; rounds: Round[] };
  commission: { status: string; net: string; settlement?: { decision: string; reason?: string } };
  receipt: { givenUp: boolean };
  deadlines: Record<string, string>;
};
const scenario = () => new Scenario(t.api, newPolicyId('TE'));
const viewOf = async (s: Scenario) => (await t.api.get<FullView>('auditor', `/v1/policies/${s.policyId}`)).body;

async function exempt(s: Scenario): Promise<void> {
  const filed = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${s.policyId}/special-requests`, { type: 'EXEMPT', reason: 'signed confirmation', signedConfirmationRef: 'DOC-77' });
  expect(filed.status, filed.text).toBe(201);
  const decided = await t.api.post('branch', `/v1/special-requests/${filed.body.requestId}/decision`, { approve: true });
  expect(decided.status, decided.text).toBe(200);
}

/** The month whose settlement (the 20th, Shanghai) first sees a fact recorded at `at`. */
function settlementMonthOf(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return local.getUTCDate() < 20 ? local.toISOString().slice(0, 7) : monthAfter(local.toISOString().slice(0, 7));
}
const monthAfter = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);

async function dueIds(): Promise<string[]> {
  return (await t.api.get<{ policyId: string }[]>('callcentre', '/v1/callbacks/due?limit=1000')).body.map((d) => d.policyId);
}

describe('a round ends with the callback track', () => {
  it.each([1, 2])('an exemption approved during round %i closes it: CLOSED/EXEMPTED, no deadline, for good', async (n) => {
    const s = scenario();
    if (n === 1) await s.toFirstCallback();
    else await s.toSecondCallback();
    expect((await viewOf(s)).deadlines.roundDeadline).toBeDefined();
    await exempt(s);
    const view = await viewOf(s);
    expect(view.stage).toBe('COMPLETED');
    expect(view.callback.status).toBe('EXEMPT');
    expect(view.callback.rounds.find((r) => r.round === n)).toMatchObject({ status: 'CLOSED', endReason: 'EXEMPTED' });
    expect(view.callback.rounds.filter((r) => r.status === 'OPEN')).toEqual([]);
    expect(view.deadlines.roundDeadline).toBeUndefined();
    expect(view.deadlines.contactWindowClosesAt).toBeUndefined();
    expect(await dueIds()).not.toContain(s.policyId);
    const late = await t.api.post('callcentre', `/v1/policies/${s.policyId}/callback-attempts`, attempt(n, await t.api.now(), { reached: true }));
    expectError(late, 409, 'NO_OPEN_ROUND');
    // Weeks later, past the round's deadline: still closed, nothing more recorded.
    await t.api.advance('P21D');
    const later = await viewOf(s);
    expect(later.callback.rounds.find((r) => r.round === n)).toMatchObject({ status: 'CLOSED', endReason: 'EXEMPTED' });
    expect(later.deadlines.roundDeadline).toBeUndefined();
  });

  it('a cancellation during round 1 closes it: CLOSED/CANCELLED, no deadline left but the first callback date', async () => {
    const s = scenario();
    await s.toFirstCallback();
    const cancelled = await t.api.post<FullView>('upstream', `/v1/policies/${s.policyId}/cancellation`, { cancelledAt: (await t.api.now()).toISOString(), reason: 'surrender' });
    expect(cancelled.status, cancelled.text).toBe(200);
    const view = await viewOf(s);
    expect(cancelled.body.callback.rounds).toEqual(view.callback.rounds);
    expect(view.callback.rounds).toEqual([expect.objectContaining({ round: 1, status: 'CLOSED', endReason: 'CANCELLED' })]);
    expect(Object.keys(view.deadlines)).toEqual(['firstCallbackDueAt']);
    expect(await dueIds()).not.toContain(s.policyId);
  });
});

describe('the contact answer', () => {
  it.each([{ phone: '13787654321' }, { confirm: true }])('PUT %o answers the stage the next GET shows: SECOND_CALLBACK', async (body) => {
    const s = scenario();
    await s.toContactUpdate();
    const answered = await t.api.put<FullView>('agent:A1001', `/v1/policies/${s.policyId}/contact`, body);
    expect(answered.status, answered.text).toBe(200);
    expect(answered.body.stage).toBe('SECOND_CALLBACK');
    const next = await viewOf(s);
    expect(next.stage).toBe('SECOND_CALLBACK');
    expect(next.callback.status).toBe(answered.body.callback.status);
    expect(next.commission).toEqual(answered.body.commission);
    // The replay answers the same.
    expect((await t.api.put<FullView>('agent:A1001', `/v1/policies/${s.policyId}/contact`, body)).body.stage).toBe('SECOND_CALLBACK');
  });
});

describe('a commission that will never be paid', () => {
  it('forfeited after a failed manual visit: net 0.00, as on its statement line', async () => {
    const s = scenario();
    await s.toManualVisit();
    const visit = await t.api.post('branch', `/v1/policies/${s.policyId}/manual-visit`, { visitedAt: (await t.api.now()).toISOString(), success: false, phoneWrongOrOutOfUse: false, visitorId: 'V1' });
    expect(visit.status, visit.text).toBe(200);
    expect((await viewOf(s)).commission).toMatchObject({ status: 'FORFEITED', net: '0.00' });
  });

  it('cancelled: net 0.00', async () => {
    const s = scenario();
    await s.register();
    const cancelled = await t.api.post<FullView>('upstream', `/v1/policies/${s.policyId}/cancellation`, { cancelledAt: (await t.api.now()).toISOString(), reason: 'surrender' });
    expect(cancelled.body.commission).toMatchObject({ status: 'CANCELLED', net: '0.00' });
    expect((await viewOf(s)).commission).toMatchObject({ status: 'CANCELLED', net: '0.00' });
  });

  it('receipt never returned: DEFERRED_FOR_GOOD with net 0.00, before and after the settlement defers it for good', async () => {
    const s = scenario();
    // Effective 13 months ago: the receipt is given up at once.
    const registeredAt = await t.api.now();
    await s.register({ effectiveAt: '2025-02-01' });
    await t.api.advance('P10D');
    expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
    let view = await viewOf(s);
    expect(view.receipt.givenUp).toBe(true);
    expect(view.commission).toMatchObject({ status: 'DEFERRED_FOR_GOOD', net: '0.00' });
    // The first settlement after it defers it for good (it may have run during the 10 days), the next no longer sees it.
    const first = settlementMonthOf(registeredAt); // given up as it was registered
    await t.api.advance('P62D');
    const line = lineOf(await statementOf(t.api, first), s.policyId);
    expect(line).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_NEVER_RETURNED', net: '0.00' });
    expect(lineOf(await statementOf(t.api, monthAfter(first)), s.policyId)).toBeUndefined();
    view = await viewOf(s);
    expect(view.commission).toMatchObject({ status: 'DEFERRED_FOR_GOOD', net: '0.00', settlement: { decision: 'DEFER', reason: 'RECEIPT_NEVER_RETURNED' } });
  });
});
