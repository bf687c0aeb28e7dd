import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';
import { lineOf, statementOf, totalsAddUp } from './settlement-helpers.js';

/**
 * Months are never lost: with the schedule off, nothing runs until June's settlement is
 * requested; the months before it that never ran are settled first, in order, each with its
 * own statement; a settled month asked again answers 200 unchanged, whatever ran since.
 */
let t: TestSystem;
let s: Record<'march' | 'april' | 'may', Scenario>;

beforeAll(async () => {
  process.env.SCHEDULED_JOBS = 'off';
  t = await startTestSystem(CLOCK_START);
  s = { march: new Scenario(t.api, newPolicyId('MAR')), april: new Scenario(t.api, newPolicyId('APR')), may: new Scenario(t.api, newPolicyId('MAY')) };
});
afterAll(async () => {
  delete process.env.SCHEDULED_JOBS;
  await t.stop();
});

const shanghai = (local: string) => new Date(`${local}+08:00`);
type RunBody = { month: string; status: string; started: boolean; catchUp?: string[] };
const run = (month: string) => t.api.post<RunBody>('manager', '/v1/settlements', { month });

/** Registered now, first callback passed on day 10, receipt returned: payable from then on. */
async function payable(sc: Scenario): Promise<void> {
  await sc.register();
  await t.api.advance('P10D');
  expect((await sc.call(1, { reached: true })).roundStatus).toBe('PASSED');
  await sc.returnReceipt();
}

describe('settlement months: caught up in order, never lost', () => {
  it('a June run with March to May never run settles March, April, May, then June, each its own statement', async () => {
    await payable(s.march); // registered 2026-03-02: March is the first month any commission could settle
    await t.api.advanceTo(shanghai('2026-04-02T09:00:00'));
    await payable(s.april);
    await t.api.advanceTo(shanghai('2026-05-04T09:00:00'));
    await s.may.register(); // never called back: deferred each month
    await t.api.advanceTo(shanghai('2026-06-22T09:00:00'));
    for (const month of ['2026-03', '2026-04', '2026-05', '2026-06']) expect((await t.api.get('manager', `/v1/settlements/${month}`)).status).toBe(404);

    const june = await run('2026-06');
    expect(june.status, june.text).toBe(202);
    expect(june.body).toMatchObject({ month: '2026-06', started: true, catchUp: ['2026-03', '2026-04', '2026-05'] });

    const march = await statementOf(t.api, '2026-03');
    const april = await statementOf(t.api, '2026-04');
    const may = await statementOf(t.api, '2026-05');
    const juneStatement = await statementOf(t.api, '2026-06');
    for (const st of [march, april, may, juneStatement]) {
      expect(st.status).toBe('COMPLETED');
      totalsAddUp(st);
    }
    expect(march.totals.lines).toBe(1);
    expect(lineOf(march, s.march.policyId)).toMatchObject({ decision: 'PAY', net: '1200.00' });
    expect(april.totals.lines).toBe(1); // March's commission was paid in March, not again
    expect(lineOf(april, s.april.policyId)).toMatchObject({ decision: 'PAY', net: '1200.00' });
    expect(may.agents.flatMap((a) => a.lines).map((l) => [l.policyId, l.decision])).toEqual([[s.may.policyId, 'DEFER']]);
    expect(lineOf(juneStatement, s.may.policyId)).toMatchObject({ decision: 'DEFER' });
    expect((await s.march.view()).commission).toMatchObject({ status: 'PAID', settlement: { month: '2026-03' } });
    expect((await s.april.view()).commission).toMatchObject({ status: 'PAID', settlement: { month: '2026-04' } });
    // One branch summary per month, each sent once.
    const summaries = (await t.api.emails()).filter((m) => m.subject.includes('佣金结算'));
    for (const month of ['2026-03', '2026-04', '2026-05', '2026-06']) expect(summaries.filter((m) => m.subject.includes(month)), month).toHaveLength(1);
  });

  it('a completed month asked again after later months ran answers 200 with the run unchanged', async () => {
    const before = await statementOf(t.api, '2026-03');
    const again = await run('2026-03');
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ month: '2026-03', status: 'COMPLETED', started: false });
    expect(again.body.catchUp).toBeUndefined();
    expect(await statementOf(t.api, '2026-03')).toEqual(before);
    expect((await run('2026-05')).status).toBe(200);
  });

  it('a month before the first commission, never run, is refused once later months ran', async () => {
    const refused = expectError(await run('2026-02'), 409, 'SETTLEMENT_OUT_OF_ORDER');
    expect(refused.error.message).toContain('2026-06 has already run and 2026-02 never did');
  });

  it('later, the months after the latest run are caught up: August settles July first', async () => {
    await t.api.advanceTo(shanghai('2026-08-20T10:00:00'));
    const august = await run('2026-08');
    expect(august.status, august.text).toBe(202);
    expect(august.body.catchUp).toEqual(['2026-07']);
    for (const month of ['2026-07', '2026-08']) {
      const st = await statementOf(t.api, month);
      expect(st.status).toBe('COMPLETED');
      expect(lineOf(st, s.may.policyId)).toMatchObject({ decision: 'DEFER' });
    }
  });
});
