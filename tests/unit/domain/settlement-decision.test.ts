import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBeforeSettlementCutoff, settlementCutoff } from '../../../functions/domain/calendar.js';
import { resolveRuleSet } from '../../../functions/domain/rule-set.js';
import { type CommissionFacts, decideSettlement } from '../../../functions/domain/settlement-decision.js';

const rules = resolveRuleSet();
const sh = (local: string) => new Date(`${local}+08:00`).toISOString();

/** Registered in February, callback passed, receipt back in time: paid in March. */
const base: CommissionFacts = {
  policyId: 'P1',
  agentId: 'A1',
  branchId: 'B1',
  gross: '1200.00',
  ruleSet: { name: 'default', version: 1 },
  registeredAt: sh('2026-02-10T09:00:00'),
  callback: { outcome: 'PASSED', outcomeAt: sh('2026-02-20T10:00:00') },
  receipt: { returnedAt: sh('2026-03-01T10:00:00'), recordedAt: sh('2026-03-01T10:05:00') },
  deductions: [],
};
const decide = (facts: Partial<CommissionFacts>, month = '2026-03') => decideSettlement({ ...base, ...facts }, month, rules);

describe('the settlement decision', () => {
  it('pays gross minus deductions when the callback passed and the receipt is back before the 20th', () => {
    expect(decide({})).toMatchObject({ decision: 'PAY', final: true });
    expect(decide({})!.net.toString()).toBe('1200.00');
    const late = decide({ deductions: [{ code: 'LATE_RECEIPT', at: sh('2026-03-01T10:05:00') }] })!;
    expect(late.net.toString()).toBe('1180.00');
    const both = decide({ callback: { outcome: 'RELEASED', outcomeAt: sh('2026-02-25T10:00:00'), heldSince: sh('2026-02-22T10:00:00') }, deductions: [{ code: 'WRONG_PHONE', at: sh('2026-02-25T10:00:00') }, { code: 'LATE_RECEIPT', at: sh('2026-03-01T10:05:00') }] })!;
    expect(both.decision).toBe('PAY');
    expect(both.net.toString()).toBe('1140.00');
  });

  it('a receipt returned or recorded on the 20th itself misses the month (20th exclusive)', () => {
    expect(decide({ receipt: { returnedAt: sh('2026-03-20T00:00:00'), recordedAt: sh('2026-03-20T00:00:00') } })).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_MISSING', final: false });
    expect(decide({ receipt: { returnedAt: sh('2026-03-19T23:59:59'), recordedAt: sh('2026-03-19T23:59:59') } })).toMatchObject({ decision: 'PAY' });
    // Dated the 19th but reported on the 21st: not there when March was settled.
    expect(decide({ receipt: { returnedAt: sh('2026-03-19T10:00:00'), recordedAt: sh('2026-03-21T10:00:00') } })).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_MISSING' });
    expect(decide({ receipt: { returnedAt: sh('2026-03-20T10:00:00'), recordedAt: sh('2026-03-20T10:00:00') } }, '2026-04')).toMatchObject({ decision: 'PAY' });
  });

  it('defers with every reason: callback pending or held, receipt missing or never returned (for good)', () => {
    expect(decide({ callback: {}, receipt: {} })).toMatchObject({ decision: 'DEFER', reason: 'CALLBACK_PENDING', reasons: ['CALLBACK_PENDING', 'RECEIPT_MISSING'] });
    expect(decide({ callback: { heldSince: sh('2026-03-01T10:00:00') } })).toMatchObject({ decision: 'DEFER', reason: 'HELD', reasons: ['HELD'] });
    expect(decide({ receipt: { givenUpAt: sh('2026-03-02T00:00:00') } })).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_NEVER_RETURNED', final: true });
    const deferred = decide({ receipt: {}, deductions: [{ code: 'WRONG_PHONE', at: sh('2026-02-25T10:00:00') }] })!;
    expect(deferred.net.toString()).toBe('0.00');
    expect(deferred.deductions.map((d) => d.code)).toEqual(['WRONG_PHONE']);
  });

  it('forfeits a forfeited callback and a cancelled policy; a cancellation after the cutoff still means never paid', () => {
    expect(decide({ callback: { outcome: 'FORFEITED', outcomeAt: sh('2026-03-05T10:00:00') } })).toMatchObject({ decision: 'FORFEIT', reason: 'CALLBACK_FORFEITED', final: true });
    expect(decide({ cancelledAt: sh('2026-03-05T10:00:00') })).toMatchObject({ decision: 'FORFEIT', reason: 'CANCELLED' });
    expect(decide({ cancelledAt: sh('2026-03-20T08:00:00') })).toMatchObject({ decision: 'FORFEIT', reason: 'CANCELLED' });
    expect(decide({ cancelledAt: sh('2026-03-05T10:00:00') })!.net.toString()).toBe('0.00');
    // Forfeited after the cutoff: in March it was still held.
    expect(decide({ callback: { outcome: 'FORFEITED', outcomeAt: sh('2026-03-20T10:00:00'), heldSince: sh('2026-03-01T10:00:00') } })).toMatchObject({ decision: 'DEFER', reason: 'HELD' });
  });

  it('leaves out a policy registered on or after the cutoff', () => {
    expect(decide({ registeredAt: sh('2026-03-20T00:00:00') })).toBeUndefined();
    expect(decide({ registeredAt: sh('2026-03-19T23:59:59') })).toBeDefined();
  });

  it('property: the cutoff instant agrees with isBeforeSettlementCutoff', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }), fc.constantFrom('2026-01', '2026-03', '2026-12', '2027-02'), (at, month) => {
      expect(at < settlementCutoff(month, rules)).toBe(isBeforeSettlementCutoff(at, month, rules));
    }));
  });

  it('property: facts recorded after the cutoff (other than a cancellation) never change the month\'s decision', () => {
    const cutoff = settlementCutoff('2026-03', rules).getTime();
    const time = fc.integer({ min: cutoff - 40 * 86_400_000, max: cutoff + 40 * 86_400_000 }).map((ms) => new Date(ms).toISOString());
    const facts = fc.record({
      registeredAt: time,
      outcome: fc.constantFrom(undefined, 'PASSED', 'EXEMPT', 'RELEASED', 'FORFEITED'),
      outcomeAt: time,
      heldSince: fc.option(time, { nil: undefined }),
      returnedAt: fc.option(time, { nil: undefined }),
      recordedLag: fc.integer({ min: 0, max: 5 * 86_400_000 }),
      givenUpAt: fc.option(time, { nil: undefined }),
      deductions: fc.array(fc.record({ code: fc.constantFrom('WRONG_PHONE' as const, 'LATE_RECEIPT' as const), at: time }), { maxLength: 2 }),
    });
    fc.assert(fc.property(facts, (f) => {
      const recordedAt = f.returnedAt ? new Date(Date.parse(f.returnedAt) + f.recordedLag).toISOString() : undefined;
      const full: CommissionFacts = {
        ...base,
        registeredAt: f.registeredAt,
        callback: { ...(f.outcome ? { outcome: f.outcome as 'PASSED', outcomeAt: f.outcomeAt } : {}), ...(f.heldSince ? { heldSince: f.heldSince } : {}) },
        receipt: { ...(f.returnedAt ? { returnedAt: f.returnedAt, recordedAt } : {}), ...(f.givenUpAt ? { givenUpAt: f.givenUpAt } : {}) },
        deductions: f.deductions,
      };
      // The same commission as it stood at the cutoff: every fact recorded since dropped.
      const before = (at?: string) => at !== undefined && Date.parse(at) < cutoff;
      const atCutoff: CommissionFacts = {
        ...full,
        callback: { ...(before(full.callback.outcomeAt) ? { outcome: full.callback.outcome, outcomeAt: full.callback.outcomeAt } : {}), ...(before(full.callback.heldSince) ? { heldSince: full.callback.heldSince } : {}) },
        receipt: { ...(before(recordedAt) ? { returnedAt: f.returnedAt, recordedAt } : {}), ...(before(f.givenUpAt) ? { givenUpAt: f.givenUpAt } : {}) },
        deductions: f.deductions.filter((d) => before(d.at)),
      };
      const a = decideSettlement(full, '2026-03', rules);
      const b = decideSettlement(atCutoff, '2026-03', rules);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }), { numRuns: 500 });
  });
});
