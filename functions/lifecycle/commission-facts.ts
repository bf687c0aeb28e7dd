import type { CommissionFacts } from '../domain/settlement-decision.js';
import type { PolicyState } from './policy-state.js';

/** Unpaid until a settlement paid, forfeited or deferred it for good: the set each month settles. */
export function isCommissionUnpaid(state: PolicyState): boolean {
  return state.settlement === undefined;
}

/** When the commission was first held (manual visit ordered or review opened). */
function heldSince(state: PolicyState): string | undefined {
  const times = [state.manualVisit?.orderedAt, state.review?.openedAt].filter((t): t is string => t !== undefined);
  return times.sort()[0];
}

/**
 * The timestamped facts a settlement decides on, projected from the fold. Stored on the
 * policy's view item while unpaid, so a settlement run reads them from one index page
 * instead of loading every policy's log.
 */
export function commissionFactsOf(state: PolicyState): CommissionFacts {
  const { policy } = state;
  const held = heldSince(state);
  return {
    policyId: policy.policyId,
    agentId: policy.agent.agentId,
    branchId: policy.branchId,
    gross: policy.commission.amount,
    ruleSet: policy.ruleSet,
    registeredAt: state.registeredAt,
    callback: {
      ...(state.callbackOutcome ? { outcome: state.callbackOutcome, outcomeAt: state.callbackOutcomeAt } : {}),
      ...(held ? { heldSince: held } : {}),
    },
    receipt: {
      ...(state.receipt.returnedAt ? { returnedAt: state.receipt.returnedAt, recordedAt: state.receipt.recordedAt } : {}),
      ...(state.receipt.givenUpAt ? { givenUpAt: state.receipt.givenUpAt } : {}),
    },
    ...(state.cancelled ? { cancelledAt: state.cancelled.recordedAt } : {}),
    deductions: state.deductions.map((d) => ({ code: d.code, at: d.at })),
  };
}
