import { afterAll, describe, expect, it } from 'vitest';
import { ChildSystems } from '../support/child-system.js';
import type { LocalApi } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';
import { type SettlementStatement, statementOf, totalsAddUp } from './settlement-helpers.js';

/** 2026-03-20 08:00 Shanghai: March's cutoff has passed, its 09:00 run has not fired yet. */
const AFTER_CUTOFF = new Date('2026-03-20T00:00:00Z');
const POLICIES = Array.from({ length: 24 }, (_, i) => `SR-${String(i + 1).padStart(2, '0')}`);
// Pages of two commissions: the run takes many steps, so the kill lands in the middle of it.
const systems = new ChildSystems(CLOCK_START, { SETTLEMENT_PAGE_SIZE: '2' });
const boot = (dataDir: string) => systems.boot(dataDir);

afterAll(() => systems.cleanup());

/** Every policy registered; on day 10 the callbacks pass; three in four receipts come back, two agents. */
async function prepare(api: LocalApi): Promise<void> {
  for (const [i, id] of POLICIES.entries()) {
    const agent = i % 2 === 0 ? {} : { agent: { agentId: 'A2002', name: '李雷', phone: '13900000002' } };
    expect((await api.post('upstream', '/v1/policies', registration(id, await api.now(), agent))).status).toBe(201);
  }
  await api.advance('P10D');
  for (const [i, id] of POLICIES.entries()) {
    const attempt = await api.post('callcentre', `/v1/policies/${id}/callback-attempts`, { attemptId: `a-${id}`, round: 1, calledAt: (await api.now()).toISOString(), reached: true, operatorId: 'OP1' });
    expect(attempt.status, attempt.text).toBe(200);
    if (i % 4 !== 3) expect((await api.post('upstream', `/v1/policies/${id}/receipt`, { returnedAt: (await api.now()).toISOString() })).status).toBe(200);
  }
  await api.advanceTo(AFTER_CUTOFF);
}

async function views(api: LocalApi): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const id of POLICIES) out[id] = (await api.get('auditor', `/v1/policies/${id}`)).body;
  return out;
}

const statementLines = (s: SettlementStatement) => ({ agents: s.agents, totals: s.totals, totalNet: s.totalNet });

describe('no settlement line lost or doubled on restart', () => {
  it('kill -9 in the middle of a settlement run, restart: the run resumes and ends exactly as an uninterrupted one', async () => {
    const referenceDir = await systems.dataDir('qc-settle-reference-');
    const crashDir = await systems.dataDir('qc-settle-crash-');

    const reference = await boot(referenceDir);
    await prepare(reference.api);
    expect((await reference.api.post('manager', '/v1/settlements', { month: '2026-03' })).status).toBe(202);
    const expected = await statementOf(reference.api, '2026-03');
    expect(expected.status).toBe('COMPLETED');
    expect(expected.totals.paid.count).toBe(18);
    const expectedViews = await views(reference.api);
    await reference.child.stop();

    const first = await boot(crashDir);
    await prepare(first.api);
    const running = first.api.post('manager', '/v1/settlements', { month: '2026-03' }).catch(() => undefined);
    // Wait until part of the month is settled, then kill the process mid-run.
    let partial: SettlementStatement | undefined;
    for (let tries = 0; tries < 2000 && !partial; tries++) {
      const response = await first.api.get<SettlementStatement>('manager', '/v1/settlements/2026-03');
      if (response.status === 200 && response.body.status === 'RUNNING' && response.body.totals.lines > 0) partial = response.body;
    }
    await first.child.kill9();
    await running;
    expect(partial, 'the run was caught in the middle').toBeDefined();
    expect(partial!.totals.lines).toBeLessThan(POLICIES.length);

    const second = await boot(crashDir);
    expect(second.child.output()).toMatch(/resumed:.*settlement 2026-03/);
    const actual = await statementOf(second.api, '2026-03');
    expect(actual.status).toBe('COMPLETED');
    expect(actual.attempt).toBe(2);
    expect(statementLines(actual)).toEqual(statementLines(expected));
    totalsAddUp(actual);
    // Each policy's log got its settlement exactly once: views (versions included) as in the reference.
    expect(await views(second.api)).toEqual(expectedViews);
    // Running it again changes nothing, and the branch summary went out once after the restart.
    expect((await second.api.post('manager', '/v1/settlements', { month: '2026-03' })).status).toBe(200);
    expect(statementLines(await statementOf(second.api, '2026-03'))).toEqual(statementLines(expected));
    expect((await second.api.emails()).filter((m) => m.subject.includes('佣金结算'))).toHaveLength(1);
    await second.child.stop();
  }, 180_000);
});
