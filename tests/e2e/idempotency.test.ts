import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId, registration } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { advanceToShanghai, attemptBody, expectError, type PolicyViewBody } from './e2e-helpers.js';

/** docs/api.md idempotency: replays answer the same and change nothing; a reused id with another body is 409. */
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

const HOUR = 3_600_000;

type AttemptResult = { roundStatus: string; nextAttemptNotBefore?: string };

function executionsOf(policyId: string) {
  return t.system.stepFunctions.listExecutions().filter((e) => e.name === policyId || e.executionArn.endsWith(`:${policyId}`));
}

async function view(policyId: string): Promise<PolicyViewBody> {
  const response = await t.api.get<PolicyViewBody>('auditor', `/v1/policies/${policyId}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** A policy with its first round open, at 10:00 Shanghai (inside calling hours). */
async function inFirstCallback(): Promise<Scenario> {
  await advanceToShanghai(t.api, '10:00');
  const s = new Scenario(t.api, newPolicyId('ID'));
  await s.toFirstCallback();
  return s;
}

const attemptsPath = (policyId: string) => `/v1/policies/${policyId}/callback-attempts`;

describe('registration', () => {
  it('answers 201 then 200 with the same view for the same body, and never starts a second lifecycle', async () => {
    const policyId = newPolicyId('ID');
    const body = registration(policyId, await t.api.now());
    const first = await t.api.post<PolicyViewBody>('upstream', '/v1/policies', body);
    expect(first.status, first.text).toBe(201);
    const versionAfterFirst = (await view(policyId)).version;

    const second = await t.api.post<PolicyViewBody>('upstream', '/v1/policies', body);
    expect(second.status, second.text).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.body.policyId).toBe(policyId);

    const after = await view(policyId);
    expect(after.version).toBe(versionAfterFirst);
    expect(after.stage).toBe('WAITING_FIRST_CALLBACK');
    const executions = executionsOf(policyId);
    expect(executions).toHaveLength(1);
    expect(executions[0]!.status).toBe('RUNNING');

    // Key order of the JSON body does not make it a different request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const third = await t.api.post<PolicyViewBody>('upstream', '/v1/policies', reordered);
    expect(third.status, third.text).toBe(200);
    expect(third.body).toEqual(first.body);
  });

  it('answers 409 IDEMPOTENCY_CONFLICT for the same policyId with a different body, changing nothing', async () => {
    const policyId = newPolicyId('ID');
    const body = registration(policyId, await t.api.now());
    expect((await t.api.post('upstream', '/v1/policies', body)).status).toBe(201);
    const before = await view(policyId);
    for (const changed of [
      { ...body, commission: { amount: '1300.00' } },
      { ...body, policyholder: { name: '张三', phone: '13812345679' } },
      { ...body, ruleSet: 'strict-72h' },
    ]) {
      expectError(await t.api.post('upstream', '/v1/policies', changed), 409, 'IDEMPOTENCY_CONFLICT');
    }
    const after = await view(policyId);
    expect(after).toEqual(before);
    expect(executionsOf(policyId)).toHaveLength(1);
  });

  it('resolves 5 concurrent identical registrations to one 201, four 200 and one lifecycle', async () => {
    const policyId = newPolicyId('ID');
    const body = registration(policyId, await t.api.now());
    const responses = await Promise.all(Array.from({ length: 5 }, () => t.api.post<PolicyViewBody>('upstream', '/v1/policies', body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const r of responses) expect(r.body).toEqual(responses[0]!.body);
    expect(executionsOf(policyId)).toHaveLength(1);
    const after = await view(policyId);
    expect(after.version).toBe(responses[0]!.body.version);
    expect(after.stage).toBe('WAITING_FIRST_CALLBACK');
  });
});

describe('callback attempts (idempotent on attemptId)', () => {
  it('records the same attemptId once and answers the replay the same', async () => {
    const s = await inFirstCallback();
    const body = attemptBody(1, await t.api.now(), { reached: false, reason: 'NO_ANSWER' });
    const first = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), body);
    expect(first.status, first.text).toBe(200);
    expect(first.body.roundStatus).toBe('OPEN');
    const versionAfterFirst = (await view(s.policyId)).version;

    const replay = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), body);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toEqual(first.body);
    const after = await view(s.policyId);
    expect(after.callback.rounds[0]!.attempts).toHaveLength(1);
    expect(after.version).toBe(versionAfterFirst);

    // Replayed later, even after the 6-hour gap has passed, it is still the same one call.
    await t.api.advance('PT7H');
    const late = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), body);
    expect(late.status, late.text).toBe(200);
    expect(late.body).toEqual(first.body);
    expect((await view(s.policyId)).callback.rounds[0]!.attempts).toHaveLength(1);
  });

  it('answers a replay with the result recorded for that attempt, also after later attempts', async () => {
    const s = await inFirstCallback();
    const firstBody = attemptBody(1, await t.api.now(), { reached: false, reason: 'NO_ANSWER' });
    const first = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), firstBody);
    expect(first.status, first.text).toBe(200);
    await t.api.advance('PT6H');
    const second = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), attemptBody(1, await t.api.now(), { reached: false, reason: 'BUSY' }));
    expect(second.status, second.text).toBe(200);
    expect(second.body.nextAttemptNotBefore).not.toBe(first.body.nextAttemptNotBefore);

    const replay = await t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), firstBody);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect((await view(s.policyId)).callback.rounds[0]!.attempts).toHaveLength(2);
  });

  it('answers 409 IDEMPOTENCY_CONFLICT for the same attemptId with a different body', async () => {
    const s = await inFirstCallback();
    const body = attemptBody(1, await t.api.now(), { reached: false, reason: 'NO_ANSWER' });
    expect((await t.api.post('callcentre', attemptsPath(s.policyId), body)).status).toBe(200);
    expectError(await t.api.post('callcentre', attemptsPath(s.policyId), { ...body, reason: 'BUSY' }), 409, 'IDEMPOTENCY_CONFLICT');
    expectError(await t.api.post('callcentre', attemptsPath(s.policyId), { ...body, operatorId: 'OP8' }), 409, 'IDEMPOTENCY_CONFLICT');
    // Even a body that would otherwise be a valid, different call is not recorded under a used id.
    await t.api.advance('PT6H');
    expectError(await t.api.post('callcentre', attemptsPath(s.policyId), { ...body, calledAt: (await t.api.now()).toISOString(), reached: true, reason: undefined }), 409, 'IDEMPOTENCY_CONFLICT');
    const round = (await view(s.policyId)).callback.rounds[0]!;
    expect(round.attempts).toHaveLength(1);
    expect(round.attempts[0]).toMatchObject({ attemptId: body.attemptId, reason: 'NO_ANSWER' });
  });

  it('resolves 10 concurrent identical attempt reports to one recorded attempt and one answer', async () => {
    const s = await inFirstCallback();
    const body = attemptBody(1, await t.api.now(), { reached: false, reason: 'NO_ANSWER' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), body)));
    expect(responses.map((r) => r.status), responses.map((r) => r.text).join('\n')).toEqual(Array(10).fill(200));
    for (const r of responses) expect(r.body).toEqual(responses[0]!.body);
    expect(responses[0]!.body.roundStatus).toBe('OPEN');
    const round = (await view(s.policyId)).callback.rounds[0]!;
    expect(round.attempts).toHaveLength(1);
    expect(round.attempts[0]!.attemptId).toBe(body.attemptId);
  });

  it('records exactly one of 10 concurrent different failed calls at the same calledAt (the 6-hour gap)', async () => {
    const s = await inFirstCallback();
    const calledAt = await t.api.now();
    const bodies = Array.from({ length: 10 }, () => attemptBody(1, calledAt, { reached: false, reason: 'NO_ANSWER' }));
    const responses = await Promise.all(bodies.map((b) => t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), b)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((x) => x === 200), responses.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 200)) {
      expectError(r, 422, 'TOO_SOON_AFTER_FAILED_CALL');
    }
    const round = (await view(s.policyId)).callback.rounds[0]!;
    expect(round.attempts).toHaveLength(1);
    const accepted = bodies[statuses.indexOf(200)]!;
    expect(round.attempts[0]!.attemptId).toBe(accepted.attemptId);
    expect(round).toMatchObject({ status: 'OPEN', nextAttemptNotBefore: new Date(calledAt.getTime() + 6 * HOUR).toISOString() });
  });

  it('records exactly one of 10 concurrent different successful calls: one passes, the rest find the round closed', async () => {
    const s = await inFirstCallback();
    const calledAt = await t.api.now();
    const responses = await Promise.all(Array.from({ length: 10 }, () => t.api.post<AttemptResult>('callcentre', attemptsPath(s.policyId), attemptBody(1, calledAt, { reached: true }))));
    expect(responses.filter((r) => r.status === 200), responses.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 200)) expectError(r, 409, 'NO_OPEN_ROUND');
    const after = await view(s.policyId);
    expect(after.callback.rounds[0]!.attempts).toHaveLength(1);
    expect(after.stage).toBe('COMPLETED');
  });
});

describe('cancellation and receipt replays', () => {
  it('answers a replayed cancellation 200 with the same view; a different one is 409', async () => {
    const s = new Scenario(t.api, newPolicyId('ID'));
    await s.register();
    const body = { cancelledAt: (await t.api.now()).toISOString(), reason: 'surrendered in the cooling-off period' };
    const first = await t.api.post<PolicyViewBody>('upstream', `/v1/policies/${s.policyId}/cancellation`, body);
    expect(first.status, first.text).toBe(200);
    expect(first.body.stage).toBe('CANCELLED');
    const replay = await t.api.post<PolicyViewBody>('upstream', `/v1/policies/${s.policyId}/cancellation`, body);
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toEqual(first.body);
    expectError(await t.api.post('upstream', `/v1/policies/${s.policyId}/cancellation`, { ...body, reason: 'another reason' }), 409, 'IDEMPOTENCY_CONFLICT');
    expect((await view(s.policyId)).version).toBe(first.body.version);
  });

  it('answers a replayed receipt 200 with the same view; a different returnedAt is 409', async () => {
    const s = new Scenario(t.api, newPolicyId('ID'));
    await s.register();
    await t.api.advance('P1D');
    const returnedAt = await t.api.now();
    const first = await t.api.post<PolicyViewBody>('upstream', `/v1/policies/${s.policyId}/receipt`, { returnedAt: returnedAt.toISOString() });
    expect(first.status, first.text).toBe(200);
    expect(first.body.receipt).toMatchObject({ status: 'RETURNED', returnedAt: returnedAt.toISOString() });
    const replay = await t.api.post<PolicyViewBody>('upstream', `/v1/policies/${s.policyId}/receipt`, { returnedAt: returnedAt.toISOString() });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.body).toEqual(first.body);
    const other = new Date(returnedAt.getTime() - HOUR).toISOString();
    expectError(await t.api.post('upstream', `/v1/policies/${s.policyId}/receipt`, { returnedAt: other }), 409, 'IDEMPOTENCY_CONFLICT');
    const after = await view(s.policyId);
    expect(after.receipt.returnedAt).toBe(returnedAt.toISOString());
    expect(after.version).toBe(first.body.version);
  });
});
