import type { AuditedEvent } from '../audit/audited-event.js';
import type { Quarter } from '../domain/reporting-period.js';

/** A reached call that lacks regulatory evidence (docs/rules.md §8): ids, times and the missing items only. */
export interface EvidenceGap {
  readonly policyId: string;
  readonly agentId: string;
  readonly branchId: string;
  readonly attemptId: string;
  readonly round: number;
  readonly calledAt: string;
  readonly operatorId: string;
  /** `confirmations.<point>`, `recordingRef`, `durationSeconds`. */
  readonly missing: readonly string[];
}

export interface RegulatoryEvidenceReport {
  readonly quarter: string;
  readonly from: string;
  readonly to: string;
  readonly closed: boolean;
  /** Reached calls recorded in the quarter, and how many lack evidence. */
  readonly totals: { readonly reachedCalls: number; readonly lacking: number };
  readonly calls: readonly EvidenceGap[];
}

/** Folds the quarter's recorded attempts, oldest first; a gap is decided when the call was recorded (its `missingEvidence`). */
export function evidenceTally(quarter: Quarter, now: Date) {
  const calls: EvidenceGap[] = [];
  let reachedCalls = 0;
  return {
    add(event: AuditedEvent): void {
      const data = event.data;
      if (data.type !== 'CallbackAttemptRecorded' || !data.attempt.reached) return;
      reachedCalls++;
      if (!data.missingEvidence || data.missingEvidence.length === 0) return;
      const { attemptId, round, calledAt, operatorId } = data.attempt;
      calls.push({ policyId: event.policyId, agentId: event.agentId, branchId: event.branchId, attemptId, round, calledAt, operatorId, missing: data.missingEvidence });
    },
    result(): RegulatoryEvidenceReport {
      return {
        quarter: quarter.label,
        from: quarter.from.toISOString(),
        to: quarter.to.toISOString(),
        closed: now >= quarter.to,
        totals: { reachedCalls, lacking: calls.length },
        calls,
      };
    },
  };
}
