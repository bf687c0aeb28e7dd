/**
 * The monthly settlement decision for one commission (docs/rules.md §4, §5): PAY, DEFER (with
 * its reasons) or FORFEIT. Pure: it reads the timestamped facts of a policy and applies
 * the month's cutoff itself, so deciding from today's facts equals deciding from the facts
 * as they stood at the cutoff, and a late or repeated run decides the same.
 */
import { settlementCutoff } from './calendar.js';
import { type Deduction, type DeductionCode, deductionFor, netCommission } from './commission.js';
import { Money } from './money.js';
import type { RuleSet } from './rule-set.js';

/** What a settlement needs to know about a commission; every time is when the fact was recorded. */
export interface CommissionFacts {
  readonly policyId: string;
  readonly agentId: string;
  readonly branchId: string;
  readonly gross: string;
  readonly ruleSet: { readonly name: string; readonly version: number };
  readonly registeredAt: string;
  readonly callback: {
    readonly outcome?: 'PASSED' | 'EXEMPT' | 'RELEASED' | 'FORFEITED';
    readonly outcomeAt?: string;
    /** A manual visit was ordered or a compliance review opened (commission held). */
    readonly heldSince?: string;
  };
  readonly receipt: {
    /** The business date the receipt reached the branch, and when that was recorded. */
    readonly returnedAt?: string;
    readonly recordedAt?: string;
    /** When the receipt was recorded as never returned. */
    readonly givenUpAt?: string;
  };
  readonly cancelledAt?: string;
  readonly deductions: readonly { readonly code: DeductionCode; readonly at: string }[];
}

export type SettlementDecisionKind = 'PAY' | 'DEFER' | 'FORFEIT';
export type DeferReason = 'HELD' | 'CALLBACK_PENDING' | 'RECEIPT_MISSING' | 'RECEIPT_NEVER_RETURNED';
export type ForfeitReason = 'CANCELLED' | 'CALLBACK_FORFEITED';

export interface SettlementDecision {
  readonly decision: SettlementDecisionKind;
  /** The main reason of a DEFER or FORFEIT. */
  readonly reason?: DeferReason | ForfeitReason;
  /** Every reason of a DEFER (callback side first, then receipt side). */
  readonly reasons?: readonly DeferReason[];
  readonly gross: Money;
  readonly deductions: readonly Deduction[];
  /** Paid in this settlement: gross minus deductions for PAY, zero otherwise. */
  readonly net: Money;
  /** The commission leaves the unpaid set for good (PAY, FORFEIT, receipt never returned). */
  readonly final: boolean;
}

// One settlement decides thousands of commissions against a handful of (month, rule set) cutoffs.
const cutoffs = new Map<string, number>();
function cutoffOf(month: string, rules: RuleSet): number {
  const key = `${month}|${rules.settlement.dayOfMonth}|${rules.settlement.timeZone}`;
  let cutoff = cutoffs.get(key);
  if (cutoff === undefined) {
    cutoff = settlementCutoff(month, rules).getTime();
    if (cutoffs.size > 1000) cutoffs.clear();
    cutoffs.set(key, cutoff);
  }
  return cutoff;
}

/**
 * Decides one commission for `month`. Undefined when the policy was registered on or after
 * the month's cutoff (it is not part of that settlement). Every fact counts only when it was
 * recorded before the cutoff ("before the 20th, exclusive"), except a cancellation: a
 * cancelled policy is never paid, whenever the cancellation arrived before the decision.
 */
export function decideSettlement(facts: CommissionFacts, month: string, rules: RuleSet): SettlementDecision | undefined {
  const cutoff = cutoffOf(month, rules);
  const known = (at: string | undefined): boolean => at !== undefined && Date.parse(at) < cutoff;
  if (!known(facts.registeredAt)) return undefined;
  const gross = Money.parse(facts.gross);
  const nothing = { gross, deductions: [], net: Money.ZERO, final: true } as const;
  if (facts.cancelledAt !== undefined) return { decision: 'FORFEIT', reason: 'CANCELLED', ...nothing };
  const { outcome, outcomeAt, heldSince } = facts.callback;
  const callbackSettled = known(outcomeAt);
  if (callbackSettled && outcome === 'FORFEITED') return { decision: 'FORFEIT', reason: 'CALLBACK_FORFEITED', ...nothing };
  const callbackMet = callbackSettled && outcome !== undefined && outcome !== 'FORFEITED';
  // The business date and the recording both before the cutoff: a receipt dated the 19th but
  // reported on the 21st was not there when the month was settled.
  const receiptIn = known(facts.receipt.recordedAt) && known(facts.receipt.returnedAt);
  const deductions = facts.deductions.filter((d) => known(d.at)).map((d) => deductionFor(d.code, rules));
  if (callbackMet && receiptIn) {
    return { decision: 'PAY', gross, deductions, net: netCommission(gross, deductions), final: true };
  }
  const reasons: DeferReason[] = [];
  if (!callbackMet) reasons.push(known(heldSince) ? 'HELD' : 'CALLBACK_PENDING');
  const givenUp = !receiptIn && known(facts.receipt.givenUpAt);
  if (!receiptIn) reasons.push(givenUp ? 'RECEIPT_NEVER_RETURNED' : 'RECEIPT_MISSING');
  return {
    decision: 'DEFER',
    // Deferred for good outranks a wait that may still end.
    reason: givenUp ? 'RECEIPT_NEVER_RETURNED' : reasons[0],
    reasons,
    gross,
    // Known so far, so a deferral shows what it would pay; nothing is paid now.
    deductions,
    net: Money.ZERO,
    final: givenUp,
  };
}
