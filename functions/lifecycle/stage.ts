import type { PolicyState, RoundState } from './policy-state.js';

export const STAGES = [
  'WAITING_FIRST_CALLBACK', 'FIRST_CALLBACK', 'CONTACT_UPDATE', 'SECOND_CALLBACK',
  'MANUAL_VISIT', 'COMPLIANCE_REVIEW', 'COMPLETED', 'CANCELLED',
] as const;
export type Stage = (typeof STAGES)[number];

export function roundOf(state: PolicyState, round: number): RoundState | undefined {
  return state.rounds.find((r) => r.round === round);
}

/** The stage of docs/api.md: where the callback track stands. */
export function stageOf(state: PolicyState): Stage {
  if (state.cancelled) return 'CANCELLED';
  if (state.callbackOutcome) return 'COMPLETED';
  if (state.review) return 'COMPLIANCE_REVIEW';
  if (state.manualVisit) return 'MANUAL_VISIT';
  // An answered or lapsed contact window means the second callback, even before the workflow
  // has opened its round: a PUT's answer and the next GET show the same stage.
  if (roundOf(state, 2) || state.contactWindow?.outcome) return 'SECOND_CALLBACK';
  if (state.contactWindow) return 'CONTACT_UPDATE';
  if (roundOf(state, 1)) return 'FIRST_CALLBACK';
  return 'WAITING_FIRST_CALLBACK';
}

export type CallbackStatus = 'PENDING' | 'PASSED' | 'EXEMPT' | 'FAILED' | 'FINDINGS';

export function callbackStatusOf(state: PolicyState): CallbackStatus {
  switch (state.callbackOutcome) {
    case 'PASSED': return 'PASSED';
    case 'EXEMPT': return 'EXEMPT';
    case 'RELEASED': return 'FAILED';
    case 'FORFEITED': return state.review?.decision === 'UPHOLD' ? 'FINDINGS' : 'FAILED';
  }
  if (state.review || state.rounds.some((r) => r.status === 'FINDINGS')) return 'FINDINGS';
  if (state.manualVisit || roundOf(state, 2)?.status === 'FAILED') return 'FAILED';
  return 'PENDING';
}

/** Callback condition of docs/rules.md §5: pass, exemption, or a successful manual visit. */
export function callbackConditionMet(state: PolicyState): boolean {
  return state.callbackOutcome === 'PASSED' || state.callbackOutcome === 'EXEMPT' || state.callbackOutcome === 'RELEASED';
}

/**
 * PENDING, HELD and PAYABLE are on the way; PAID, FORFEITED, CANCELLED and DEFERRED_FOR_GOOD
 * are final. DEFERRED_FOR_GOOD: the signed receipt was given up as never returned, so no
 * settlement will ever pay it (each one defers it for good, RECEIPT_NEVER_RETURNED).
 */
export type CommissionStatus = 'PENDING' | 'HELD' | 'PAYABLE' | 'PAID' | 'FORFEITED' | 'CANCELLED' | 'DEFERRED_FOR_GOOD';

export function commissionStatusOf(state: PolicyState): CommissionStatus {
  // Paid is paid: a later cancellation does not undo a payment already made.
  if (state.settlement?.decision === 'PAY') return 'PAID';
  if (state.cancelled) return 'CANCELLED';
  if (state.callbackOutcome === 'FORFEITED') return 'FORFEITED';
  if (state.receipt.status === 'NEVER_RETURNED' || state.settlement?.decision === 'DEFER') return 'DEFERRED_FOR_GOOD';
  if (!state.callbackOutcome && (state.review || state.manualVisit)) return 'HELD';
  if (callbackConditionMet(state) && state.receipt.status === 'RETURNED') return 'PAYABLE';
  return 'PENDING';
}

/** A lifecycle is open while either track still waits for something. */
export function isLifecycleOpen(state: PolicyState): boolean {
  if (state.cancelled) return false;
  return !state.callbackOutcome || state.receipt.status === 'PENDING';
}
