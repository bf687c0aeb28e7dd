import { describe, expect, it } from 'vitest';
import { coolingOffPeriod, coolingOffStatus } from '../../../functions/domain/cooling-off.js';
import {
  completeConfirmations, findingsOf, mandatoryPoints, missingEvidence, paymentPlanOf, type Confirmations,
} from '../../../functions/domain/regulatory-callback.js';
import { resolveRuleSet, ruleSetSchema, type RuleSet } from '../../../functions/domain/rule-set.js';
import type { PolicyRecord } from '../../../functions/lifecycle/events.js';
import { regulatoryAttempt } from '../../../functions/use-cases/callbacks/regulatory-attempt.js';
import { ValidationError } from '../../../functions/use-cases/errors.js';
import { callbackAttemptSchema, type CallbackAttemptInput } from '../../../functions/use-cases/inputs.js';

const SIX = ['identity', 'purchasedAndSigned', 'readAndUnderstood', 'coverAndExclusions', 'surrenderLoss', 'coolingOff'];
const ALL_YES: Confirmations = completeConfirmations({
  identity: 'YES', purchasedAndSigned: 'YES', readAndUnderstood: 'YES', coverAndExclusions: 'YES', surrenderLoss: 'YES', coolingOff: 'YES', paymentTerms: 'YES',
});

/** A rule set with product data: an instalment product, and a product that asks only two points. */
function withProducts(base: RuleSet): RuleSet {
  return ruleSetSchema.parse({
    ...structuredClone(base),
    confirmations: { ...base.confirmations, byProduct: { SHORT1: ['identity', 'purchasedAndSigned'] } },
    paymentPlans: { default: 'SINGLE', byProduct: { INST10: 'INSTALMENT' } },
    coolingOff: { days: 15, byProduct: { LIFE10D: 10 } },
  });
}

describe('mandatory points per product and payment plan', () => {
  const rules = withProducts(resolveRuleSet('art15'));
  it('asks points 1-6 of a single-premium product, and 7 too on an instalment plan', () => {
    expect(mandatoryPoints(rules, 'LIFE20', paymentPlanOf(rules, 'LIFE20'))).toEqual(SIX);
    expect(mandatoryPoints(rules, 'LIFE20', paymentPlanOf(rules, 'LIFE20', 'INSTALMENT'))).toEqual([...SIX, 'paymentTerms']);
  });
  it("takes the product's plan unless the policy registered one", () => {
    expect(paymentPlanOf(rules, 'INST10')).toBe('INSTALMENT');
    expect(paymentPlanOf(rules, 'INST10', 'SINGLE')).toBe('SINGLE');
    expect(mandatoryPoints(rules, 'INST10', paymentPlanOf(rules, 'INST10'))).toContain('paymentTerms');
  });
  it('replaces the list for a product that names its own', () => {
    expect(mandatoryPoints(rules, 'SHORT1', 'SINGLE')).toEqual(['identity', 'purchasedAndSigned']);
  });
  it('ships art15 enforced and default not, with the same points', () => {
    expect(resolveRuleSet('art15').confirmations.enforced).toBe(true);
    expect(resolveRuleSet('default').confirmations.enforced).toBe(false);
    expect(resolveRuleSet('default').confirmations.mandatory).toEqual(SIX);
    expect(resolveRuleSet('art15').coolingOff.days).toBe(15);
    expect(resolveRuleSet('art15').firstCallbackAfterHours).toBe(resolveRuleSet('default').firstCallbackAfterHours);
  });
  it('lists what a call lacks, recording included', () => {
    const answers = completeConfirmations({ identity: 'YES', coolingOff: 'NO' });
    expect(missingEvidence(answers, SIX as never, { recordingRef: 'REC-1' })).toEqual([
      'confirmations.purchasedAndSigned', 'confirmations.readAndUnderstood', 'confirmations.coverAndExclusions', 'confirmations.surrenderLoss', 'durationSeconds',
    ]);
  });
});

describe('answers to findings', () => {
  it('a NO on point 2 is a proxy signature, on 3-7 a misleading sale', () => {
    expect(findingsOf({ ...ALL_YES, purchasedAndSigned: 'NO' })).toEqual({ proxySignature: true, misleading: false });
    for (const p of ['readAndUnderstood', 'coverAndExclusions', 'surrenderLoss', 'coolingOff', 'paymentTerms'] as const) {
      expect(findingsOf({ ...ALL_YES, [p]: 'NO' })).toEqual({ proxySignature: false, misleading: true });
    }
    expect(findingsOf(ALL_YES)).toEqual({ proxySignature: false, misleading: false });
    expect(findingsOf(completeConfirmations(undefined))).toEqual({ proxySignature: false, misleading: false });
  });
  it('unites the answers with the flags the operator set', () => {
    expect(findingsOf({ ...ALL_YES, coolingOff: 'NO' }, { proxySignature: true, misleading: false })).toEqual({ proxySignature: true, misleading: true });
  });
});

describe('one call under a rule set', () => {
  const policy = (ruleSet: string, overrides: Partial<PolicyRecord> = {}): PolicyRecord => ({
    policyId: 'P1', productCode: 'LIFE20', branchId: 'BR', printedAt: '2026-03-02T01:00:00.000Z', effectiveAt: '2026-03-02',
    agent: { agentId: 'A1', name: 'a', phone: '13900000001' }, policyholder: { name: 'b', phone: '13800000000' },
    commission: { amount: '1.00' }, ruleSet: { name: ruleSet, version: 1 }, timeZone: 'Asia/Shanghai', ...overrides,
  });
  const call = (extra: Record<string, unknown>): CallbackAttemptInput =>
    callbackAttemptSchema.parse({ attemptId: 'AT1', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: true, operatorId: 'OP', ...extra });
  const art15 = resolveRuleSet('art15');
  const full = { confirmations: { ...ALL_YES, paymentTerms: 'NOT_ASKED' }, recordingRef: 'REC-1', durationSeconds: 300 };

  it('art15 refuses a reached call missing a mandatory point, naming each', () => {
    const { coolingOff: _c, ...five } = full.confirmations;
    try {
      regulatoryAttempt(call({ ...full, confirmations: five }), policy('art15'), art15);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).details).toEqual([expect.objectContaining({ field: 'confirmations.coolingOff', rule: 'required_by_rule_set' })]);
    }
  });
  it('art15 wants paymentTerms only on an instalment plan', () => {
    expect(regulatoryAttempt(call(full), policy('art15'), art15).missing).toEqual([]);
    expect(() => regulatoryAttempt(call(full), policy('art15', { paymentPlan: 'INSTALMENT' }), art15)).toThrow(/confirmations.paymentTerms/);
  });
  it('art15 wants the recording of a reached call', () => {
    expect(() => regulatoryAttempt(call({ confirmations: full.confirmations }), policy('art15'), art15)).toThrow(/recordingRef, durationSeconds/);
  });
  it('default accepts a v1 call, recording every point NOT_ASKED and what is missing', () => {
    const out = regulatoryAttempt(call({}), policy('default'), resolveRuleSet('default'));
    expect(out.reached).toBe(true);
    expect(out.confirmations).toEqual(completeConfirmations(undefined));
    expect(out.missing).toEqual([...SIX.map((p) => `confirmations.${p}`), 'recordingRef', 'durationSeconds']);
    expect(out.findings).toBeUndefined();
  });
  it('identity NO is a failed attempt (NOT_PRESENT) with no findings, even under art15 without the other points', () => {
    const out = regulatoryAttempt(call({ confirmations: { identity: 'NO', surrenderLoss: 'NO' }, recordingRef: 'R', durationSeconds: 20 }), policy('art15'), art15);
    expect(out).toMatchObject({ reached: false, reason: 'NOT_PRESENT', missing: [] });
    expect(out.findings).toBeUndefined();
  });
  it('a NO becomes a finding of the reached call', () => {
    const out = regulatoryAttempt(call({ ...full, confirmations: { ...full.confirmations, purchasedAndSigned: 'NO' } }), policy('art15'), art15);
    expect(out.findings).toEqual({ proxySignature: true, misleading: false });
  });
  it('refuses points confirmed on an unreached call, and findings with identity NO', () => {
    expect(callbackAttemptSchema.safeParse({ attemptId: 'A', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: false, reason: 'NO_ANSWER', operatorId: 'O', confirmations: { coolingOff: 'YES' } }).success).toBe(false);
    expect(callbackAttemptSchema.safeParse({ attemptId: 'A', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: false, reason: 'NOT_PRESENT', operatorId: 'O', confirmations: { identity: 'NO' } }).success).toBe(true);
    expect(callbackAttemptSchema.safeParse({ attemptId: 'A', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: true, operatorId: 'O', confirmations: { identity: 'NO' }, findings: { proxySignature: true, misleading: false } }).success).toBe(false);
    expect(callbackAttemptSchema.safeParse({ attemptId: 'A', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: true, operatorId: 'O', recordingRef: 'call with 张三' }).success).toBe(false);
    expect(callbackAttemptSchema.safeParse({ attemptId: 'A', round: 1, calledAt: '2026-03-12T02:00:00Z', reached: true, operatorId: 'O', durationSeconds: -1 }).success).toBe(false);
  });
});

describe('cooling-off period', () => {
  const rules = withProducts(resolveRuleSet('default'));
  const policy = { productCode: 'LIFE20', printedAt: '2026-03-02T01:00:00.000Z', timeZone: 'Asia/Shanghai' };

  it('runs 15 local days after the day of signing, from printing until a receipt is recorded', () => {
    expect(coolingOffPeriod(rules, policy, undefined)).toEqual({ startsAt: '2026-03-02T01:00:00.000Z', endsAt: '2026-03-17T16:00:00.000Z', basis: 'PRINTED', days: 15 });
    // Signed 23:30 Shanghai on 5 March: the period ends at the end of 20 March, Shanghai time.
    expect(coolingOffPeriod(rules, policy, '2026-03-05T15:30:00.000Z')).toMatchObject({ endsAt: '2026-03-20T16:00:00.000Z', basis: 'RECEIPT_SIGNED' });
  });
  it('takes the product length from the rule set', () => {
    expect(coolingOffPeriod(rules, { ...policy, productCode: 'LIFE10D' }, undefined)).toMatchObject({ days: 10, endsAt: '2026-03-12T16:00:00.000Z' });
  });
  it('flags a pass inside, a late pass, a lapse and a running period', () => {
    const period = coolingOffPeriod(rules, policy, undefined);
    const before = new Date('2026-03-10T00:00:00Z');
    const after = new Date('2026-03-18T00:00:00Z');
    expect(coolingOffStatus(period, { passedAt: '2026-03-12T02:00:00.000Z', trackEnded: false, cancelled: false }, after)).toMatchObject({ callbackPassedWithin: true, atRisk: false });
    expect(coolingOffStatus(period, { passedAt: '2026-03-17T16:00:00.000Z', trackEnded: false, cancelled: false }, after)).toMatchObject({ callbackPassedWithin: false, atRisk: false });
    expect(coolingOffStatus(period, { trackEnded: false, cancelled: false }, after)).toMatchObject({ callbackPassedWithin: false, atRisk: false });
    expect(coolingOffStatus(period, { trackEnded: false, cancelled: false }, before)).toMatchObject({ callbackPassedWithin: null, atRisk: true });
    expect(coolingOffStatus(period, { trackEnded: true, cancelled: false }, before)).toMatchObject({ callbackPassedWithin: false, atRisk: false });
    expect(coolingOffStatus(period, { trackEnded: false, cancelled: true }, before)).toMatchObject({ callbackPassedWithin: null, atRisk: false });
  });
});
