import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId, registration } from '../support/policies.js';

/** SCHEDULED_JOBS=off (local mode): the clock starts no settlement and sends no quarterly report; on demand still works. */
let t: TestSystem;

beforeAll(async () => {
  process.env.SCHEDULED_JOBS = 'off';
  t = await startTestSystem(CLOCK_START);
});
afterAll(async () => {
  delete process.env.SCHEDULED_JOBS;
  await t.stop();
});

describe('local mode with the scheduled jobs off', () => {
  it('lets the 20th and a quarter close pass without running them, and still settles on demand', async () => {
    const policyId = newPolicyId('SCHD');
    expect((await t.api.post('upstream', '/v1/policies', registration(policyId, await t.api.now()))).status).toBe(201);
    // Past March's 20th at 09:00 Shanghai and past the close of the first quarter.
    await t.api.advanceTo(new Date('2026-04-02T09:00:00+08:00'));
    expect((await t.api.get('manager', '/v1/settlements/2026-03')).status).toBe(404);
    expect((await t.api.emails()).filter((m) => m.subject.includes('2026-Q1'))).toEqual([]);
    const run = await t.api.post<{ status: string; totals: { lines: number } }>('manager', '/v1/settlements', { month: '2026-03' });
    expect([200, 202]).toContain(run.status);
    const statement = await t.api.get<{ status: string; totals: { lines: number } }>('manager', '/v1/settlements/2026-03');
    expect(statement.body).toMatchObject({ status: 'COMPLETED', totals: { lines: 1 } });
  });
});
