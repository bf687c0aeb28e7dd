import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import {
  advanceToShanghai,
  attemptBody,
  dueEntry,
  expectError,
  shanghaiDate,
  shanghaiTime,
  type PolicyViewBody,
} from './e2e-helpers.js';

/**
 * docs/rules.md §3 "Call attempts inside one callback round", through HTTP on the virtual clock.
 * The clock is shared by every test of this file and only moves forward, so each test plans
 * its own wall-clock times with advanceToShanghai (Asia/Shanghai, the policies' zone).
 */
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

/** Policies of the test that just ran: cancelled afterwards so their timers do not slow later tests. */
const created: string[] = [];
afterEach(async () => {
  const now = (await t.api.now()).toISOString();
  for (const policyId of created.splice(0)) {
    const response = await t.api.post('upstream', `/v1/policies/${policyId}/cancellation`, { cancelledAt: now, reason: 'test cleanup' });
    expect(response.status, response.text).toBe(200);
  }
});

function track(s: Scenario): Scenario {
  created.push(s.policyId);
  return s;
}

const HOUR = 3_600_000;

type AttemptResult = { roundStatus: string; nextAttemptNotBefore?: string };

async function report(policyId: string, round: number, calledAt: Date, outcome: Record<string, unknown>) {
  return t.api.post<AttemptResult>('callcentre', `/v1/policies/${policyId}/callback-attempts`, attemptBody(round, calledAt, outcome));
}

async function fail(policyId: string, reason = 'NO_ANSWER', round = 1): Promise<AttemptResult> {
  const response = await report(policyId, round, await t.api.now(), { reached: false, reason });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function view(policyId: string): Promise<PolicyViewBody> {
  const response = await t.api.get<PolicyViewBody>('auditor', `/v1/policies/${policyId}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Registers at 10:00 Shanghai and opens the first round on day 10, 10:00 (inside calling hours). */
async function firstCallbackAt10(): Promise<Scenario> {
  await advanceToShanghai(t.api, '10:00');
  const s = track(new Scenario(t.api, newPolicyId('AR')));
  await s.toFirstCallback();
  expect(shanghaiTime(await t.api.now())).toBe('10:00');
  return s;
}

describe('calling hours (09:00-21:00 customer-local)', () => {
  it('rejects calls at 21:00 and at 08:59 naming the rule, accepts 20:59 and 09:00', async () => {
    const s = await firstCallbackAt10();
    const at21 = await advanceToShanghai(t.api, '21:00');
    const late = expectError(await report(s.policyId, 1, at21, { reached: false, reason: 'NO_ANSWER' }), 422, 'OUTSIDE_CALLING_HOURS');
    expect(late.error.details[0]).toMatchObject({ rule: 'OUTSIDE_CALLING_HOURS', timeZone: 'Asia/Shanghai', start: '09:00', end: '21:00' });
    expect(shanghaiTime(late.error.details[0]!.notBefore as string)).toBe('09:00');

    const at0859 = await advanceToShanghai(t.api, '08:59');
    expectError(await report(s.policyId, 1, at0859, { reached: false, reason: 'NO_ANSWER' }), 422, 'OUTSIDE_CALLING_HOURS');
    expect((await view(s.policyId)).callback.rounds[0]!.attempts).toHaveLength(0);

    // A call reported afterwards with the (past) in-hours time of 20:59 the evening before is fine.
    const at2059 = new Date(at21.getTime() - 60_000);
    const accepted = await report(s.policyId, 1, at2059, { reached: false, reason: 'NO_ANSWER' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.roundStatus).toBe('OPEN');
    // 6 h after 20:59 is 02:59, outside calling hours: the next call is at 09:00.
    expect(shanghaiTime(accepted.body.nextAttemptNotBefore!)).toBe('09:00');
    expect(shanghaiDate(accepted.body.nextAttemptNotBefore!)).toBe(shanghaiDate(at0859));

    const at0900 = await advanceToShanghai(t.api, '09:00');
    const onTheHour = await report(s.policyId, 1, at0900, { reached: true });
    expect(onTheHour.status, onTheHour.text).toBe(200);
    expect(onTheHour.body.roundStatus).toBe('PASSED');
  });
});

describe('the 6-hour gap after an unsuccessful call', () => {
  it('rejects a call 5h59 after a failed call and accepts one exactly 6 h after', async () => {
    const s = await firstCallbackAt10();
    const first = await t.api.now();
    const opened = await fail(s.policyId);
    expect(opened).toEqual({ roundStatus: 'OPEN', nextAttemptNotBefore: new Date(first.getTime() + 6 * HOUR).toISOString() });

    const tooSoon = await t.api.advance('PT5H59M');
    const rejected = expectError(await report(s.policyId, 1, tooSoon, { reached: false, reason: 'BUSY' }), 422, 'TOO_SOON_AFTER_FAILED_CALL');
    expect(rejected.error.details[0]).toMatchObject({
      rule: 'TOO_SOON_AFTER_FAILED_CALL',
      notBefore: new Date(first.getTime() + 6 * HOUR).toISOString(),
      lastFailedAt: first.toISOString(),
    });
    // A reached customer is still a call: the gap applies to it as well.
    expectError(await report(s.policyId, 1, tooSoon, { reached: true }), 422, 'TOO_SOON_AFTER_FAILED_CALL');

    const exactly = await t.api.advance('PT1M');
    expect(exactly.getTime() - first.getTime()).toBe(6 * HOUR);
    const accepted = await report(s.policyId, 1, exactly, { reached: false, reason: 'BUSY' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.roundStatus).toBe('OPEN');
    expect((await view(s.policyId)).callback.rounds[0]!.attempts.map((a) => a.reason)).toEqual(['NO_ANSWER', 'BUSY']);
  });
});

describe('when a round ends', () => {
  it('keeps the round OPEN after the failed attempts one local day allows, next attempt on the next day', async () => {
    // With a 6 h gap and calls in [09:00, 21:00) a local day holds at most two failed calls
    // (09:00, 15:00; 21:00 is outside): the round stays open and moves to the next day.
    const s = await firstCallbackAt10();
    const day1 = await advanceToShanghai(t.api, '09:00');
    await fail(s.policyId, 'NO_ANSWER');
    await advanceToShanghai(t.api, '15:00');
    const second = await fail(s.policyId, 'POWERED_OFF');
    expect(second.roundStatus).toBe('OPEN');
    expect(shanghaiDate(second.nextAttemptNotBefore!)).not.toBe(shanghaiDate(day1));
    expect(second.nextAttemptNotBefore).toBe(new Date(day1.getTime() + 24 * HOUR).toISOString());

    // No third call fits into the same local day.
    const at2059 = await advanceToShanghai(t.api, '20:59');
    expect(shanghaiDate(at2059)).toBe(shanghaiDate(day1));
    expectError(await report(s.policyId, 1, at2059, { reached: false, reason: 'NO_ANSWER' }), 422, 'TOO_SOON_AFTER_FAILED_CALL');
    const at21 = await advanceToShanghai(t.api, '21:00');
    expectError(await report(s.policyId, 1, at21, { reached: false, reason: 'NO_ANSWER' }), 422, 'OUTSIDE_CALLING_HOURS');

    const round = (await view(s.policyId)).callback.rounds[0]!;
    expect(round).toMatchObject({ status: 'OPEN', nextAttemptNotBefore: second.nextAttemptNotBefore });
    expect(round.attempts).toHaveLength(2);
    expect(new Set(round.attempts.map((a) => shanghaiDate(a.calledAt))).size).toBe(1);
    expect((await view(s.policyId)).stage).toBe('FIRST_CALLBACK');
  });

  it('fails the round after 3 unsuccessful attempts spanning 2 local days: stage CONTACT_UPDATE', async () => {
    const s = await firstCallbackAt10();
    await fail(s.policyId, 'NO_ANSWER');
    await advanceToShanghai(t.api, '16:00');
    expect((await fail(s.policyId, 'NOT_PRESENT')).roundStatus).toBe('OPEN');
    await advanceToShanghai(t.api, '09:00');
    expect(await fail(s.policyId, 'HUNG_UP')).toEqual({ roundStatus: 'FAILED' });
    const after = await view(s.policyId);
    expect(after.stage).toBe('CONTACT_UPDATE');
    expect(after.callback.rounds[0]).toMatchObject({ status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' });
    expect(new Set(after.callback.rounds[0]!.attempts.map((a) => shanghaiDate(a.calledAt))).size).toBe(2);
    // The round is closed: a further call for it is a conflict, not a new attempt.
    await advanceToShanghai(t.api, '15:00');
    expectError(await report(s.policyId, 1, await t.api.now(), { reached: true }), 409, 'NO_OPEN_ROUND');
  });

  it('counts failures by local days: one on day 1 and two on day 2 fail the round too', async () => {
    const s = await firstCallbackAt10();
    await fail(s.policyId, 'NO_ANSWER');
    await advanceToShanghai(t.api, '09:30');
    expect((await fail(s.policyId, 'INCONVENIENT')).roundStatus).toBe('OPEN');
    await t.api.advance('PT6H');
    expect((await fail(s.policyId, 'CALL_REFUSED')).roundStatus).toBe('FAILED');
    expect((await view(s.policyId)).stage).toBe('CONTACT_UPDATE');
  });

  it.each([
    ['EMPTY_NUMBER', 'FAILED', 'NUMBER_PROBLEM', 'CONTACT_UPDATE'],
    ['WRONG_NUMBER', 'FAILED', 'NUMBER_PROBLEM', 'CONTACT_UPDATE'],
    ['SUSPENDED', 'FAILED', 'NUMBER_PROBLEM', 'CONTACT_UPDATE'],
    ['FAMILY_REFUSED', 'FAILED', 'REFUSED', 'CONTACT_UPDATE'],
    ['POLICYHOLDER_REFUSED', 'FAILED', 'REFUSED', 'CONTACT_UPDATE'],
    ['NO_ANSWER', 'OPEN', undefined, 'FIRST_CALLBACK'],
    ['BUSY', 'OPEN', undefined, 'FIRST_CALLBACK'],
    ['SPECIAL_REASON', 'OPEN', undefined, 'FIRST_CALLBACK'],
    ['OTHER', 'OPEN', undefined, 'FIRST_CALLBACK'],
  ])('a first failed call with %s leaves the round %s', async (reason, roundStatus, endReason, stage) => {
    const s = await firstCallbackAt10();
    const result = await fail(s.policyId, reason);
    expect(result.roundStatus).toBe(roundStatus);
    if (roundStatus === 'OPEN') expect(result.nextAttemptNotBefore).toBeDefined();
    else expect(result.nextAttemptNotBefore).toBeUndefined();
    const after = await view(s.policyId);
    expect(after.stage).toBe(stage);
    expect(after.callback.rounds[0]!.status).toBe(roundStatus);
    expect(after.callback.rounds[0]!.endReason).toBe(endReason);
  });
});

describe('attempts that cannot be recorded', () => {
  it('rejects a calledAt in the future with 400 naming calledAt', async () => {
    const s = await firstCallbackAt10();
    const inAnHour = new Date((await t.api.now()).getTime() + HOUR);
    const body = expectError(await report(s.policyId, 1, inAnHour, { reached: true }), 400, 'VALIDATION_FAILED');
    expect(body.error.details).toEqual([expect.objectContaining({ field: 'calledAt', rule: 'not_in_future' })]);
    expect((await view(s.policyId)).callback.rounds[0]!.attempts).toHaveLength(0);
  });

  it('rejects a call before the round opened (422) and one earlier than the previous call (422)', async () => {
    const s = await firstCallbackAt10();
    const opened = await t.api.now();
    expectError(await report(s.policyId, 1, new Date(opened.getTime() - HOUR), { reached: true }), 422, 'BEFORE_ROUND_START');
    await t.api.advance('PT2H');
    await report(s.policyId, 1, await t.api.now(), { reached: false, reason: 'NO_ANSWER' });
    expectError(await report(s.policyId, 1, new Date(opened.getTime() + HOUR), { reached: true }), 422, 'NOT_AFTER_PREVIOUS_ATTEMPT');
  });

  it('answers 409 for round 2 while round 1 is open', async () => {
    const s = await firstCallbackAt10();
    expectError(await report(s.policyId, 2, await t.api.now(), { reached: true }), 409, 'NO_OPEN_ROUND');
    const after = await view(s.policyId);
    expect(after.callback.rounds).toHaveLength(1);
    expect(after.callback.rounds[0]).toMatchObject({ round: 1, status: 'OPEN', attempts: [] });
  });

  it('answers 409 for a policy still waiting for day 10', async () => {
    await advanceToShanghai(t.api, '10:00');
    const s = track(new Scenario(t.api, newPolicyId('AR')));
    await s.register();
    await t.api.advance('P9D');
    expectError(await report(s.policyId, 1, await t.api.now(), { reached: true }), 409, 'NO_OPEN_ROUND');
    const after = await s.expectStage('WAITING_FIRST_CALLBACK');
    expect(after.callback.rounds).toHaveLength(0);
  });
});

describe('the dialling queue GET /v1/callbacks/due', () => {
  it('lists a policy only when its next attempt may be made now', async () => {
    const s = await firstCallbackAt10();
    const opened = await t.api.now();
    expect(await dueEntry(t.api, s.policyId)).toEqual({ policyId: s.policyId, round: 1, attemptsSoFar: 0, phone: '13812345678', name: '张三', notBefore: opened.toISOString() });

    const failedAt = await t.api.now();
    await fail(s.policyId);
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    await t.api.advance('PT5H59M');
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    await t.api.advance('PT1M');
    expect(await dueEntry(t.api, s.policyId)).toMatchObject({ attemptsSoFar: 1, notBefore: new Date(failedAt.getTime() + 6 * HOUR).toISOString() });

    // Still due, but outside calling hours nobody may dial it.
    await advanceToShanghai(t.api, '20:59');
    expect(await dueEntry(t.api, s.policyId)).toBeDefined();
    await advanceToShanghai(t.api, '22:00');
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    await advanceToShanghai(t.api, '08:59');
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    await advanceToShanghai(t.api, '09:00');
    expect(await dueEntry(t.api, s.policyId)).toMatchObject({ round: 1, attemptsSoFar: 1 });

    // A closed round leaves the queue.
    expect((await fail(s.policyId, 'EMPTY_NUMBER')).roundStatus).toBe('FAILED');
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
  });

  it('moves a round to the next day in the queue once the day cannot hold another failed call', async () => {
    const s = await firstCallbackAt10();
    await fail(s.policyId);
    await advanceToShanghai(t.api, '16:00');
    await fail(s.policyId);
    await advanceToShanghai(t.api, '20:59');
    expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    const next = await advanceToShanghai(t.api, '09:00');
    expect(await dueEntry(t.api, s.policyId)).toMatchObject({ attemptsSoFar: 2, notBefore: next.toISOString() });
  });

  it('reads past due customers who are outside their calling hours to fill the page', async () => {
    await advanceToShanghai(t.api, '10:00');
    const newYork = ['NY1', 'NY2', 'NY3'].map(() => track(new Scenario(t.api, newPolicyId('AR'))));
    for (const s of newYork) await s.register({ timeZone: 'America/New_York' });
    await advanceToShanghai(t.api, '23:00');
    const shanghai = track(new Scenario(t.api, newPolicyId('AR')));
    await shanghai.register();
    await t.api.advance('P10D');
    // New York's rounds came due at 09:00 there, before Shanghai's at 09:00 here; at 09:30 in
    // Shanghai it is 21:30 in New York: they head the queue, but nobody may dial them now.
    await advanceToShanghai(t.api, '09:30');
    for (const s of newYork) expect(await dueEntry(t.api, s.policyId)).toBeUndefined();
    const page = await t.api.get<{ policyId: string }[]>('callcentre', '/v1/callbacks/due?limit=1');
    expect(page.status, page.text).toBe(200);
    expect(page.body.map((item) => item.policyId)).toEqual([shanghai.policyId]);
  });

  it('is for the call centre only and validates limit', async () => {
    expectError(await t.api.get('agent:A1001', '/v1/callbacks/due'), 403, 'FORBIDDEN');
    const bad = expectError(await t.api.get('callcentre', '/v1/callbacks/due?limit=0'), 400, 'VALIDATION_FAILED');
    expect(bad.error.details[0]).toMatchObject({ field: 'query.limit' });
  });
});
