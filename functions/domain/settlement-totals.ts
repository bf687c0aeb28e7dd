/** Exact totals of settlement lines (bigint fen), accumulated line by line so no statement is held whole. */
import { Money } from './money.js';
import type { SettlementDecisionKind } from './settlement-decision.js';

export interface TalliedLine {
  readonly policyId: string;
  readonly agentId: string;
  readonly decision: SettlementDecisionKind;
  readonly reason?: string;
  readonly gross: string;
  readonly deductions: readonly { readonly amount: string }[];
  readonly net: string;
}

/** What a deferred line would pay once released: gross minus its deductions, never below zero. */
export function deferredAmountOf(line: TalliedLine): Money {
  const rest = Money.parse(line.gross).subtract(Money.sum(line.deductions.map((d) => Money.parse(d.amount))));
  return rest.isNegative() ? Money.ZERO : rest;
}

interface Bucket {
  count: number;
  amount: Money;
}

export class SettlementTally {
  private lines = 0;
  private readonly buckets: Record<SettlementDecisionKind, Bucket> = {
    PAY: { count: 0, amount: Money.ZERO },
    DEFER: { count: 0, amount: Money.ZERO },
    FORFEIT: { count: 0, amount: Money.ZERO },
  };

  add(line: TalliedLine): void {
    this.lines++;
    const bucket = this.buckets[line.decision];
    bucket.count++;
    const amount = line.decision === 'PAY' ? Money.parse(line.net) : line.decision === 'DEFER' ? deferredAmountOf(line) : Money.parse(line.gross);
    bucket.amount = bucket.amount.add(amount);
  }

  totals() {
    const out = (b: Bucket) => ({ count: b.count, amount: b.amount.toString() });
    return { lines: this.lines, paid: out(this.buckets.PAY), deferred: out(this.buckets.DEFER), forfeited: out(this.buckets.FORFEIT) };
  }
}

/** The `size` largest deferrals seen, largest first (ties by policy id, so reruns agree). */
export class LargestDeferrals {
  private readonly top: { line: TalliedLine; amount: Money }[] = [];

  constructor(private readonly size: number) {}

  add(line: TalliedLine): void {
    if (line.decision !== 'DEFER') return;
    this.top.push({ line, amount: deferredAmountOf(line) });
    this.top.sort((a, b) => b.amount.compare(a.amount) || (a.line.policyId < b.line.policyId ? -1 : 1));
    if (this.top.length > this.size) this.top.pop();
  }

  list() {
    return this.top.map(({ line, amount }) => ({ policyId: line.policyId, agentId: line.agentId, amount: amount.toString(), reason: line.reason ?? '' }));
  }
}
