import type { DeductionCode } from '../domain/commission.js';
import type { DeferReason, ForfeitReason, SettlementDecisionKind } from '../domain/settlement-decision.js';
import type { Projection, UnpaidCommission } from '../lifecycle/projection.js';

/** One commission's line in a month's statement: stored once per (month, policy). Money as decimal strings. */
export interface SettlementLine {
  readonly month: string;
  readonly policyId: string;
  readonly agentId: string;
  readonly branchId: string;
  readonly decision: SettlementDecisionKind;
  readonly reason?: DeferReason | ForfeitReason;
  readonly reasons?: readonly DeferReason[];
  readonly gross: string;
  readonly deductions: readonly { readonly code: DeductionCode; readonly amount: string }[];
  readonly net: string;
  /** PAY, FORFEIT, or a deferral for good: the policy's log records it too. */
  readonly final: boolean;
}

export interface CountAndAmount {
  readonly count: number;
  readonly amount: string;
}

/** Paid = net paid; deferred = what the deferred lines would pay; forfeited = their gross. */
export interface SettlementTotals {
  readonly lines: number;
  readonly paid: CountAndAmount;
  readonly deferred: CountAndAmount;
  readonly forfeited: CountAndAmount;
}

export interface SettlementRun {
  readonly month: string;
  /** QUEUED: waits for the months before it (caught up in order), attempt 0 until it starts. */
  readonly status: 'QUEUED' | 'RUNNING' | 'COMPLETED';
  /** Each (re)start after a failure or a restart is a new attempt with its own execution name. */
  readonly attempt: number;
  readonly startedAt: string;
  readonly trigger: string;
  readonly completedAt?: string;
  readonly totals?: SettlementTotals;
}

export interface BranchSummary {
  readonly month: string;
  readonly branchId: string;
  readonly totals: SettlementTotals;
  readonly largestDeferrals: readonly { readonly policyId: string; readonly agentId: string; readonly amount: string; readonly reason: string }[];
  /** Set once the branch manager's e-mail went out, so a rerun does not send it again. */
  readonly emailedAt?: string;
}

/** Runs, statement lines and branch summaries of the monthly settlement. */
export interface SettlementStore {
  getRun(month: string): Promise<SettlementRun | undefined>;
  /** Every run, oldest month first (one item a month). */
  listRuns(): Promise<SettlementRun[]>;
  /** Creates the run unless one exists for the month; false when it did. */
  createRun(run: SettlementRun): Promise<boolean>;
  /** A QUEUED run becomes RUNNING at attempt 1; false when someone else started it. */
  startQueuedRun(month: string, startedAt: string): Promise<boolean>;
  /** A new attempt of a RUNNING run, if it is still at `fromAttempt`; false when someone else moved it. */
  restartRun(month: string, fromAttempt: number): Promise<boolean>;
  completeRun(month: string, totals: SettlementTotals, completedAt: string): Promise<void>;
  /** The lines already stored for these policies of the month, by policy id. */
  findLines(month: string, keys: readonly { readonly agentId: string; readonly policyId: string }[]): Promise<Map<string, SettlementLine>>;
  /** Stores lines (batched); callers pass only lines not stored yet, or a correction. */
  putLines(lines: readonly SettlementLine[]): Promise<void>;
  /** The month's lines ordered by agent, then policy, a page at a time. */
  readLines(month: string, agentId?: string): AsyncIterable<readonly SettlementLine[]>;
  getBranchSummary(month: string, branchId: string): Promise<BranchSummary | undefined>;
  /** Writes the summary, keeping an `emailedAt` already recorded. */
  putBranchSummary(summary: BranchSummary): Promise<void>;
  markBranchSummaryEmailed(month: string, branchId: string, at: string): Promise<void>;
}

export type { UnpaidCommission } from '../lifecycle/projection.js';

export interface UnpaidCommissions {
  /** The unpaid set is split into this many shards (0 .. shards - 1), settled side by side. */
  readonly shards: number;
  /** A page of one shard of the unpaid set; `cursor` "" starts, an absent returned cursor means the shard's end. */
  list(shard: number, cursor: string, limit: number): Promise<{ items: UnpaidCommission[]; cursor?: string }>;
  /** The earliest registration time in the unpaid set (before any settlement ran, every commission is in it). */
  earliestRegistration(): Promise<string | undefined>;
  /** Writes the views of settled commissions (closed lifecycles only) at their new head, out of the index. */
  retire(settled: readonly Projection[]): Promise<void>;
}
