import { describe, expect, it } from 'vitest';
import { applyEvent, type PolicyState } from '../../../functions/lifecycle/policy-state.js';
import type { StoredEvent } from '../../../functions/lifecycle/events.js';
import type { Caller } from '../../../functions/use-cases/caller.js';
import { assertDeciderIsNotFiler, assertReviewerIndependent, assertVisitorIsNotAgent } from '../../../functions/use-cases/duties.js';
import { ForbiddenError } from '../../../functions/use-cases/errors.js';
import { assertMayActOn } from '../../../functions/use-cases/guards.js';
import { assertNotHeldToBranch, branchFilterFor } from '../../../functions/use-cases/scope.js';
import { registerPolicySchema } from '../../../functions/use-cases/inputs.js';
import { CLOCK_START, registration } from '../../support/policies.js';

/** A registered BR-SH policy of agent A1001, folded from its first event. */
function shPolicy(): PolicyState {
  const policy = registerPolicySchema.parse(registration('P-1', CLOCK_START));
  const event = { policyId: 'P-1', seq: 1, at: CLOCK_START.toISOString(), actor: { role: 'upstream' }, data: { type: 'PolicyRegistered', policy: { ...policy, timeZone: 'Asia/Shanghai', ruleSet: { name: 'default', version: 1 } }, requestHash: 'h' }, prevHash: '0', hash: '1' };
  return applyEvent(undefined, event as unknown as StoredEvent);
}

/** The reason code a call refuses with; undefined when it passes. */
function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ForbiddenError) return error.code;
    throw error;
  }
}

describe('branch scope (one guard for every policy-scoped use case)', () => {
  const state = shPolicy();
  it.each<[string, Caller, string | undefined]>([
    ['branch staff of the branch', { role: 'branch', subject: 'B1', branchId: 'BR-SH' }, undefined],
    ['branch staff of another branch', { role: 'branch', subject: 'B2', branchId: 'BR-BJ' }, 'OUT_OF_BRANCH_SCOPE'],
    ["another branch's manager", { role: 'manager', subject: 'M2', branchId: 'BR-BJ' }, 'OUT_OF_BRANCH_SCOPE'],
    ['head office (a manager without a branch)', { role: 'manager', subject: 'HQ' }, undefined],
    ['role-only branch (local scripts)', { role: 'branch' }, undefined],
    ['compliance', { role: 'compliance', subject: 'C1' }, undefined],
    ['the owning agent', { role: 'agent', subject: 'A1001' }, undefined],
    ['another agent', { role: 'agent', subject: 'A9' }, 'FORBIDDEN'],
  ])('%s → %s', (_what, caller, code) => {
    expect(refusal(() => assertMayActOn(state, caller))).toBe(code);
  });

  it('narrows lists to the caller’s branch and refuses asking for another', () => {
    expect(branchFilterFor({ role: 'manager', branchId: 'BR-SH' }, undefined, 'x')).toBe('BR-SH');
    expect(branchFilterFor({ role: 'manager', branchId: 'BR-SH' }, 'BR-SH', 'x')).toBe('BR-SH');
    expect(refusal(() => branchFilterFor({ role: 'manager', branchId: 'BR-SH' }, 'BR-BJ', 'x'))).toBe('OUT_OF_BRANCH_SCOPE');
    expect(branchFilterFor({ role: 'manager' }, 'BR-BJ', 'x')).toBe('BR-BJ');
    expect(branchFilterFor({ role: 'auditor' }, undefined, 'x')).toBeUndefined();
    expect(refusal(() => assertNotHeldToBranch({ role: 'manager', branchId: 'BR-SH' }, 'a settlement'))).toBe('OUT_OF_BRANCH_SCOPE');
    expect(refusal(() => assertNotHeldToBranch({ role: 'manager' }, 'a settlement'))).toBeUndefined();
  });
});

describe('incompatible duties', () => {
  it('VISITOR_IS_AGENT: the policy’s agent may neither be its visitor nor report the visit', () => {
    const coordinator = { role: 'branch', subject: 'B1' } as const;
    expect(refusal(() => assertVisitorIsNotAgent(shPolicy(), 'A1001', coordinator))).toBe('VISITOR_IS_AGENT');
    expect(refusal(() => assertVisitorIsNotAgent(shPolicy(), 'V1', { role: 'branch', subject: 'A1001' }))).toBe('VISITOR_IS_AGENT');
    expect(refusal(() => assertVisitorIsNotAgent(shPolicy(), 'V1', coordinator))).toBeUndefined();
    expect(refusal(() => assertVisitorIsNotAgent(shPolicy(), 'V1', { role: 'branch' }))).toBeUndefined();
  });

  it('REVIEWER_CONFLICT: neither the agent nor the manual visitor reviews', () => {
    const state = shPolicy();
    state.manualVisit = { orderedAt: CLOCK_START.toISOString(), dueBy: CLOCK_START.toISOString(), escalations: 0, visitorId: 'V1' };
    expect(refusal(() => assertReviewerIndependent(state, { role: 'compliance', subject: 'A1001' }))).toBe('REVIEWER_CONFLICT');
    expect(refusal(() => assertReviewerIndependent(state, { role: 'compliance', subject: 'V1' }))).toBe('REVIEWER_CONFLICT');
    expect(refusal(() => assertReviewerIndependent(state, { role: 'compliance', subject: 'C1' }))).toBeUndefined();
    expect(refusal(() => assertReviewerIndependent(state, { role: 'compliance' }))).toBeUndefined();
  });

  it('DECIDER_IS_FILER: whoever filed a request does not decide it', () => {
    const request = { requestId: 'SR-1', type: 'EARLY' as const, reason: 'r', filedAt: '', requestHash: 'h', filedBy: 'A1001', status: 'PENDING' as const };
    expect(refusal(() => assertDeciderIsNotFiler(request, { role: 'branch', subject: 'A1001' }))).toBe('DECIDER_IS_FILER');
    expect(refusal(() => assertDeciderIsNotFiler(request, { role: 'branch', subject: 'B1' }))).toBeUndefined();
    expect(refusal(() => assertDeciderIsNotFiler({ ...request, filedBy: undefined }, { role: 'branch' }))).toBeUndefined();
  });

  it('the filer and the visitor are remembered from the log’s facts', () => {
    let state = shPolicy();
    const event = (seq: number, actor: { role: string; subject?: string }, data: Record<string, unknown>) =>
      ({ policyId: 'P-1', seq, at: CLOCK_START.toISOString(), actor, data, prevHash: '', hash: '' }) as unknown as StoredEvent;
    state = applyEvent(state, event(2, { role: 'agent', subject: 'A1001' }, { type: 'SpecialRequestFiled', requestId: 'SR-1', requestType: 'EARLY', reason: 'r', requestHash: 'h' }));
    expect(state.specialRequests[0]?.filedBy).toBe('A1001');
  });
});
