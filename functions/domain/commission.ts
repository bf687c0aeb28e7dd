/** Commission deductions and net payable (docs/rules.md §3.6, §4, §5). */
import { Money } from './money.js';
import type { RuleSet } from './rule-set.js';

export type DeductionCode = 'WRONG_PHONE' | 'LATE_RECEIPT';
export type Deduction = { code: DeductionCode; amount: Money };

/** Amount comes from the rule set, so a policy keeps the amounts of the version it started under. */
export function deductionFor(code: DeductionCode, rules: RuleSet): Deduction {
  switch (code) {
    case 'WRONG_PHONE':
      return { code, amount: Money.parse(rules.deductions.wrongPhone) };
    case 'LATE_RECEIPT':
      return { code, amount: Money.parse(rules.deductions.lateReceipt) };
  }
}

export function totalDeductions(deductions: readonly Deduction[]): Money {
  return Money.sum(deductions.map((d) => d.amount));
}

/**
 * Gross minus all deductions (they add up, docs/rules.md §5). Clamped at 0.00: a deduction is
 * withheld from this policy's commission, it never turns into a debt the agent owes.
 */
export function netCommission(gross: Money, deductions: readonly Deduction[]): Money {
  const net = gross.subtract(totalDeductions(deductions));
  return net.isNegative() ? Money.ZERO : net;
}
