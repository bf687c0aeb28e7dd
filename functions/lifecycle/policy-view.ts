import { firstCallbackDueAt, receiptGivenUpAt } from '../domain/calendar.js';
import { deductionFor, netCommission } from '../domain/commission.js';
import { scrubText, shownCustomer, type Reader } from '../domain/customer-privacy.js';
import { Money } from '../domain/money.js';
import { ruleSetByVersion } from '../domain/rule-set.js';
import { accessTo, knownValuesOf } from './customer-access.js';
import type { PolicyState } from './policy-state.js';
import { callbackStatusOf, commissionStatusOf, stageOf } from './stage.js';
import { coolingOffOf } from './cooling-off-state.js';
import { mandatoryPoints, paymentPlanOf } from '../domain/regulatory-callback.js';

/** Who is looking: customer data is shown as domain/customer-privacy.ts decides. */
export type Viewer = Reader;

export function commissionOf(state: PolicyState) {
  const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
  const gross = Money.parse(state.policy.commission.amount);
  const deductions = state.deductions.map((d) => deductionFor(d.code, rules));
  const settled = state.settlement;
  const status = commissionStatusOf(state);
  // What the agent gets: the amount paid once paid, nothing once it can never be paid,
  // else what it would pay now (the settlement statement's lines agree).
  const net = status === 'PAID' && settled ? Money.parse(settled.net)
    : status === 'FORFEITED' || status === 'CANCELLED' || status === 'DEFERRED_FOR_GOOD' ? Money.ZERO
    : netCommission(gross, deductions);
  return {
    amount: gross.toString(),
    status,
    deductions: deductions.map((d) => ({ code: d.code, amount: d.amount.toString() })),
    net: net.toString(),
    ...(settled ? { settlement: { month: settled.month, decision: settled.decision, ...(settled.reason ? { reason: settled.reason } : {}), net: settled.net, settledAt: settled.settledAt } } : {}),
  };
}

/** Idempotency fingerprints are bookkeeping, not part of the view. */
function withoutRequestHash<T extends { requestHash?: string }>(value: T): Omit<T, 'requestHash'> {
  const { requestHash: _hash, ...rest } = value;
  return rest;
}

/**
 * The read view of docs/api.md `GET /v1/policies/{id}`, masked for the viewer. `now` dates the
 * cooling-off flags; a command's answer shows them as of its own fact.
 */
export function policyView(state: PolicyState, viewer: Viewer, now: Date = new Date(state.lastAt)) {
  const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
  const access = accessTo(state, viewer);
  const known = knownValuesOf(state);
  const text = (value: string) => scrubText(value, access, known);
  const openRound = state.rounds.find((r) => r.status === 'OPEN');
  // An exemption or a cancellation ends the callback track's waits: no deadline stays on show.
  const callbackOpen = !state.callbackOutcome && !state.cancelled;
  return {
    policyId: state.policy.policyId,
    productCode: state.policy.productCode,
    branchId: state.policy.branchId,
    agentId: state.policy.agent.agentId,
    printedAt: state.policy.printedAt,
    effectiveAt: state.policy.effectiveAt,
    timeZone: state.policy.timeZone,
    stage: stageOf(state),
    policyholder: shownCustomer({ name: state.policy.policyholder.name, phone: state.contact.phone, address: state.contact.address }, access),
    callback: {
      status: callbackStatusOf(state),
      ...(state.callbackOutcome ? { outcome: state.callbackOutcome } : {}),
      rounds: state.rounds.map((r) => ({
        round: r.round,
        status: r.status,
        openedAt: r.openedAt,
        notBefore: r.notBefore,
        deadline: r.deadline,
        ...(r.endReason ? { endReason: r.endReason } : {}),
        ...(r.nextAttemptNotBefore && r.status === 'OPEN' ? { nextAttemptNotBefore: r.nextAttemptNotBefore } : {}),
        attempts: r.attempts.map(({ attemptId, calledAt, reached, reason, findings, operatorId, confirmations, recordingRef, durationSeconds }) => ({
          attemptId, calledAt, reached, reason, findings, operatorId, confirmations, recordingRef, durationSeconds,
        })),
      })),
      ...(state.contactWindow ? { contactWindow: withoutRequestHash(state.contactWindow) } : {}),
      // The visitor and the filer are kept for the incompatible-duty checks, not shown (the view is unchanged).
      ...(state.manualVisit ? { manualVisit: withoutRequestHash((({ visitorId: _visitor, ...visit }) => visit)(state.manualVisit)) } : {}),
      ...(state.review ? { review: withoutRequestHash(state.review) } : {}),
      agentPhoneAsCustomer: state.contact.agentPhoneAsCustomer,
    },
    specialRequests: state.specialRequests.map(({ requestHash: _hash, reason, note, filedBy: _by, escalations: _reminders, ...request }) => ({
      ...request, reason: text(reason), ...(note !== undefined ? { note: text(note) } : {}),
    })),
    paymentPlan: paymentPlanOf(rules, state.policy.productCode, state.policy.paymentPlan),
    // What a reached call must confirm, so the call form can say so before it is sent.
    confirmationRules: {
      enforced: rules.confirmations.enforced,
      mandatory: mandatoryPoints(rules, state.policy.productCode, paymentPlanOf(rules, state.policy.productCode, state.policy.paymentPlan)),
    },
    coolingOff: coolingOffOf(state, now),
    receipt: {
      status: state.receipt.status === 'RETURNED' ? ('RETURNED' as const) : ('PENDING' as const),
      ...(state.receipt.returnedAt ? { returnedAt: state.receipt.returnedAt } : {}),
      ...(state.receipt.signedAt ? { signedAt: state.receipt.signedAt } : {}),
      late: state.receipt.late,
      givenUp: state.receipt.status === 'NEVER_RETURNED',
    },
    commission: commissionOf(state),
    ruleSet: state.policy.ruleSet,
    deadlines: {
      firstCallbackDueAt: firstCallbackDueAt(new Date(state.policy.printedAt), rules).toISOString(),
      ...(openRound ? { roundDeadline: openRound.deadline } : {}),
      ...(callbackOpen && state.contactWindow && !state.contactWindow.outcome ? { contactWindowClosesAt: state.contactWindow.closesAt } : {}),
      ...(callbackOpen && state.manualVisit && !state.manualVisit.outcome ? { manualVisitDueBy: state.manualVisit.dueBy } : {}),
      ...(callbackOpen && state.review && !state.review.decision ? { reviewDueBy: state.review.dueBy } : {}),
      ...(state.receipt.status === 'PENDING' && !state.cancelled ? { receiptGivenUpAt: receiptGivenUpAt(state.policy.effectiveAt, state.policy.timeZone, rules).toISOString() } : {}),
    },
    falseContactFound: state.falseContactFound,
    ...(state.cancelled ? { cancelled: { cancelledAt: state.cancelled.cancelledAt, reason: text(state.cancelled.reason) } } : {}),
    version: state.version,
  };
}

export type PolicyView = ReturnType<typeof policyView>;
