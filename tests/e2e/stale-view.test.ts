import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependenciesFromEnv } from '../../functions/adapters/dependencies-from-env.js';
import { planAppend } from '../../functions/lifecycle/event-append.js';
import type { EventData } from '../../functions/lifecycle/events.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { dueEntry } from './e2e-helpers.js';
import { lineOf, statementOf } from './settlement-helpers.js';

/**
 * A crash between an append and its projection, made by hand: the event is written to the
 * table (as the adapter would) and the view, the signal and everything after it are not. The
 * readers that decide from views (the settlement, the dialling queue) must not decide on it.
 */
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

/** Appends `data` to the policy's log and dies before the view write. */
async function appendOnly(policyId: string, actor: { role: string; subject?: string }, data: EventData): Promise<number> {
  const { repository, clock } = dependenciesFromEnv();
  const loaded = await repository.load(policyId);
  if (!loaded) throw new Error(`no policy ${policyId}`);
  const plan = planAppend(policyId, loaded.state, { at: clock.now().toISOString(), actor, data });
  await repository.appendEvent(plan.event, plan.owner);
  return plan.event.seq;
}

const viewVersion = async (policyId: string) => (await dependenciesFromEnv().repository.load(policyId))?.viewVersion;

describe('a view behind its log', () => {
  it('is not settled on: a review upheld before the cutoff forfeits, as in an uninterrupted run', async () => {
    // Both to compliance review on day 10 (2026-03-12); the review's reminders start on day 20, after the settlement.
    const crashed = new Scenario(t.api, newPolicyId('STS'));
    const reference = new Scenario(t.api, newPolicyId('STR'));
    await crashed.register();
    await reference.register();
    await t.api.advance('P10D');
    for (const sc of [crashed, reference]) {
      expect((await sc.call(1, { reached: true, findings: { proxySignature: true, misleading: false } })).roundStatus).toBe('FINDINGS');
    }
    await t.api.advanceTo(new Date('2026-03-19T04:00:00Z')); // 12:00 on the 19th in Shanghai, before the cutoff (this test runs first)
    const decided = await t.api.post('compliance', `/v1/policies/${reference.policyId}/review`, { decision: 'UPHOLD', note: 'proxy signature confirmed' });
    expect(decided.status, decided.text).toBe(200);
    const seq = await appendOnly(crashed.policyId, { role: 'compliance' }, { type: 'ReviewDecided', decision: 'UPHOLD', note: 'proxy signature confirmed', requestHash: 'direct' });
    expect(await viewVersion(crashed.policyId)).toBe(seq - 1);

    await t.api.advanceTo(new Date('2026-03-20T02:00:00Z')); // the March settlement has run at 09:00 Shanghai
    const march = await statementOf(t.api, '2026-03');
    expect(march.status).toBe('COMPLETED');
    const expected = lineOf(march, reference.policyId);
    expect(expected).toMatchObject({ decision: 'FORFEIT', reason: 'CALLBACK_FORFEITED' });
    expect({ ...lineOf(march, crashed.policyId), policyId: reference.policyId }).toEqual(expected);
    const view = await crashed.view();
    expect(view.commission.status).toBe('FORFEITED');
  });

  it('is not dialled: the queue rebuilds it from the log, read-only, and leaves out a round that already passed', async () => {
    const sc = new Scenario(t.api, newPolicyId('STQ'));
    await sc.toFirstCallback();
    expect(await dueEntry(t.api, sc.policyId)).toBeDefined();
    const now = (await t.api.now()).toISOString();
    const seq = await appendOnly(sc.policyId, { role: 'callcentre', subject: 'OP7' }, {
      type: 'CallbackAttemptRecorded',
      attempt: { attemptId: 'AT-direct', round: 1, calledAt: now, reached: true, operatorId: 'OP7' },
      requestHash: 'direct',
      roundStatus: 'PASSED',
    });
    expect(await viewVersion(sc.policyId)).toBe(seq - 1);
    expect(await dueEntry(t.api, sc.policyId)).toBeUndefined();
    // A GET writes nothing (its Lambda may only read): the view waits for the next writer to heal it.
    expect(await viewVersion(sc.policyId)).toBe(seq - 1);
  });
});
