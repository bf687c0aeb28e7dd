import { expect } from 'vitest';
import type { LocalApi } from './local-api.js';
import { newPolicyId } from './policies.js';
import { Scenario } from './scenario.js';

export interface JourneyPolicies {
  /** First round open: for the call centre to call. */
  readonly toCall: Scenario;
  /** Contact-update window open: for the agent. */
  readonly toConfirm: Scenario;
  /** Manual visit ordered: for the branch. */
  readonly toVisit: Scenario;
  /** Compliance review open (proxy signature found). */
  readonly toReview: Scenario;
  /** First round open under rule set `art15`: a reached call must carry the seven points and the recording. */
  readonly toAsk: Scenario;
}

/** One policy waiting for each role, through the API (the clock moves 10 days: register at 09:00 Shanghai for calling hours). */
export async function seedJourneys(api: LocalApi): Promise<JourneyPolicies> {
  const [toCall, toConfirm, toVisit, toReview] = ['CC', 'AG', 'BR', 'CO'].map((prefix) => new Scenario(api, newPolicyId(prefix))) as [Scenario, Scenario, Scenario, Scenario];
  for (const s of [toCall, toConfirm, toVisit, toReview]) await s.register();
  const toAsk = new Scenario(api, newPolicyId('RG'));
  await toAsk.register({ ruleSet: 'art15' });
  await api.advance('P10D');
  await toConfirm.call(1, { reached: false, reason: 'WRONG_NUMBER' });
  await toVisit.call(1, { reached: false, reason: 'WRONG_NUMBER' });
  expect((await api.put('agent:A1001', `/v1/policies/${toVisit.policyId}/contact`, { phone: '13787654321' })).status).toBe(200);
  await toVisit.call(2, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
  await toVisit.expectStage('MANUAL_VISIT');
  await toReview.call(1, { reached: true, findings: { proxySignature: true, misleading: false } });
  await toReview.expectStage('COMPLIANCE_REVIEW');
  return { toCall, toConfirm, toVisit, toReview, toAsk };
}

/**
 * A few months of work for the manager's charts: each month some policies pass their call,
 * some fail on a number (and run on by the clock: window, second round, visit due), some show
 * findings; receipts come back for most.
 */
export async function seedMonths(api: LocalApi, months: number): Promise<void> {
  for (let month = 0; month < months; month++) {
    const batch = Array.from({ length: 4 + month }, (_, i) => ({ s: new Scenario(api, newPolicyId(`M${month}`)), i }));
    for (const { s, i } of batch) await s.register({ agent: { agentId: i % 2 ? 'A1002' : 'A1001', name: i % 2 ? '李强' : '王芳', phone: i % 2 ? '13900000002' : '13900000001' } });
    await api.advance('P10D');
    for (const { s, i } of batch) {
      if (i % 4 === 3) await s.call(1, { reached: true, findings: { proxySignature: false, misleading: true } });
      else if (i % 3 === 1) await s.call(1, { reached: false, reason: 'EMPTY_NUMBER' });
      else await s.call(1, { reached: true });
      if (i % 5 !== 4) await s.returnReceipt();
    }
    await api.advance('P20D');
  }
}
