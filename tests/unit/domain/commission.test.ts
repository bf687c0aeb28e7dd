import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { deductionFor, netCommission, totalDeductions, type Deduction } from '../../../functions/domain/commission.js';
import { Money } from '../../../functions/domain/money.js';
import { resolveRuleSet } from '../../../functions/domain/rule-set.js';

const rules = resolveRuleSet();

describe('deductions', () => {
  it('takes the amounts from the rule set', () => {
    expect(deductionFor('WRONG_PHONE', rules).amount.toString()).toBe('40.00');
    expect(deductionFor('LATE_RECEIPT', rules).amount.toString()).toBe('20.00');
    const custom = { ...rules, deductions: { wrongPhone: '35.5', lateReceipt: '0' } };
    expect(deductionFor('WRONG_PHONE', custom)).toEqual({ code: 'WRONG_PHONE', amount: Money.parse('35.50') });
  });

  it('add up: 1200 - 40 - 20 = 1140', () => {
    const ds = [deductionFor('WRONG_PHONE', rules), deductionFor('LATE_RECEIPT', rules)];
    expect(totalDeductions(ds).toString()).toBe('60.00');
    expect(netCommission(Money.parse('1200.00'), ds).toString()).toBe('1140.00');
    expect(netCommission(Money.parse('1200.00'), []).toString()).toBe('1200.00');
  });

  it('never go below zero', () => {
    const ds = [deductionFor('WRONG_PHONE', rules), deductionFor('LATE_RECEIPT', rules)];
    expect(netCommission(Money.parse('59.99'), ds).toString()).toBe('0.00');
    expect(netCommission(Money.parse('60.00'), ds).toString()).toBe('0.00');
    expect(netCommission(Money.parse('60.01'), ds).toString()).toBe('0.01');
  });

  it('property: net is max(0, gross - sum) and never exceeds gross', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 10n }).map((f) => Money.fromFen(f));
    const deduction = fc.record({ code: fc.constantFrom('WRONG_PHONE' as const, 'LATE_RECEIPT' as const), amount });
    fc.assert(
      fc.property(amount, fc.array(deduction, { maxLength: 5 }), (gross, ds: Deduction[]) => {
        const net = netCommission(gross, ds);
        expect(net.isNegative()).toBe(false);
        expect(net.compare(gross)).toBeLessThanOrEqual(0);
        const raw = gross.subtract(totalDeductions(ds));
        expect(net.equals(raw.isNegative() ? Money.ZERO : raw)).toBe(true);
      }),
    );
  });
});
