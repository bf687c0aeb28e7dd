import { describe, expect, it } from 'vitest';
import { ruleSetByVersion } from '../../../functions/domain/rule-set.js';
import type { EventData, PolicyRecord, StoredEvent } from '../../../functions/lifecycle/events.js';
import { foldEvents, type PolicyState } from '../../../functions/lifecycle/policy-state.js';
import { planWorkflow } from '../../../functions/lifecycle/workflow-plan.js';
import { AGENT_ID, AGENT_PHONE, CLOCK_START, CUSTOMER_PHONE } from '../../support/policies.js';

// A resumed execution's first state routes on this plan (docs/architecture.md §4): each case is
// a log a crash can leave behind, and the plan must continue it where an uninterrupted run would.

const policy: PolicyRecord = {
  policyId: 'WP-1', productCode: 'LIFE-20', branchId: 'BR-SH-01', printedAt: CLOCK_START.toISOString(), effectiveAt: '2026-03-02',
  agent: { agentId: AGENT_ID, name: '王芳', phone: AGENT_PHONE }, policyholder: { name: '张三丰', phone: CUSTOMER_PHONE },
  commission: { amount: '1200.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
};
const rules = ruleSetByVersion('default', 1);
const DAY_S = 86_400;
const iso = (ms: number) => new Date(ms).toISOString();
const FIRST_OPENED = Date.parse('2026-03-02T02:30:00Z');
const FIRST_ENDED = FIRST_OPENED + rules.callbackRoundMaxDays * DAY_S * 1000;
const WINDOW_CLOSES = FIRST_ENDED + rules.contactWindowDays * DAY_S * 1000;

/** A log built by hand, each fact at its own instant (hashes play no part in the plan). */
function stateOf(...facts: [number, EventData][]): PolicyState {
  const all: [number, EventData][] = [[FIRST_OPENED, { type: 'PolicyRegistered', policy, requestHash: 'h' }], ...facts];
  const events: StoredEvent[] = all.map(([at, data], i) => ({ policyId: 'WP-1', seq: i + 1, at: iso(at), actor: { role: 'workflow' }, data, prevHash: '', hash: String(i) }));
  return foldEvents(events)!;
}

const firstRoundFailed: [number, EventData][] = [
  [FIRST_OPENED, { type: 'CallbackRoundOpened', round: 1, notBefore: iso(FIRST_OPENED), deadline: iso(FIRST_ENDED) }],
  [FIRST_ENDED, { type: 'CallbackRoundTimedOut', round: 1 }],
  [FIRST_ENDED, { type: 'ContactWindowOpened', closesAt: iso(WINDOW_CLOSES) }],
];

describe('the plan a resumed lifecycle execution routes on', () => {
  it('keeps an open contact window waiting until its recorded close, also when the clock resumed before it', () => {
    const state = stateOf(...firstRoundFailed);
    const ninetyMinutesBefore = new Date(WINDOW_CLOSES - 90 * 60_000);
    const plan = planWorkflow(state, rules, ninetyMinutesBefore);
    expect(plan.callbackStage).toBe('CONTACT_WINDOW');
    expect(plan.timeouts.contactWindow).toBe(90 * 60);
  });

  it('re-arms a contact window that fell due at the restart instant at the shortest wait', () => {
    const plan = planWorkflow(stateOf(...firstRoundFailed), rules, new Date(WINDOW_CLOSES));
    expect(plan.callbackStage).toBe('CONTACT_WINDOW');
    expect(plan.timeouts.contactWindow).toBe(1);
  });

  it.each([
    ['closed unanswered', { type: 'ContactWindowClosedUnanswered' }],
    ['answered with a new phone', { type: 'ContactUpdated', phone: '13700000001', confirmed: false, agentPhoneAsCustomer: false, requestHash: 'c' }],
    ['answered with a confirmation', { type: 'ContactUpdated', confirmed: true, agentPhoneAsCustomer: false, requestHash: 'c' }],
  ] as [string, EventData][])('opens round 2 at once, with a full round ahead, when the window %s and round 2 is not open yet', (_label, ending) => {
    const state = stateOf(...firstRoundFailed, [WINDOW_CLOSES, ending]);
    const plan = planWorkflow(state, rules, new Date(WINDOW_CLOSES));
    expect(plan.callbackStage).toBe('SECOND_ROUND');
    // Round 2's deadline is counted from its opening (now), not from a stale instant.
    expect(plan.timeouts.secondRound).toBe(rules.callbackRoundMaxDays * DAY_S);
  });

  it('continues an open round 2 with the time left until its recorded deadline', () => {
    const roundDeadline = WINDOW_CLOSES + rules.callbackRoundMaxDays * DAY_S * 1000;
    const state = stateOf(...firstRoundFailed, [WINDOW_CLOSES, { type: 'ContactWindowClosedUnanswered' }],
      [WINDOW_CLOSES, { type: 'CallbackRoundOpened', round: 2, notBefore: iso(WINDOW_CLOSES), deadline: iso(roundDeadline) }]);
    const plan = planWorkflow(state, rules, new Date(WINDOW_CLOSES + DAY_S * 1000));
    expect(plan.callbackStage).toBe('SECOND_ROUND');
    expect(plan.timeouts.secondRound).toBe((rules.callbackRoundMaxDays - 1) * DAY_S);
  });
});
