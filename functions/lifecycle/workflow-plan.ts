import { firstCallbackDueAt, receiptGivenUpAt } from '../domain/calendar.js';
import type { RuleSet } from '../domain/rule-set.js';
import type { PolicyState } from './policy-state.js';
import { roundOf } from './stage.js';

export type CallbackTrackStage = 'AWAIT_FIRST_DATE' | 'FIRST_ROUND' | 'CONTACT_WINDOW' | 'SECOND_ROUND' | 'MANUAL_VISIT' | 'REVIEW' | 'DONE';

/** What the state machine's first state routes on (docs/architecture.md §4), with each wait's remaining time. */
export interface WorkflowPlan {
  readonly policyId: string;
  readonly callbackStage: CallbackTrackStage;
  readonly receiptStage: 'AWAITING' | 'DONE';
  readonly timeouts: {
    readonly firstCallbackDate: number;
    readonly firstRound: number;
    readonly contactWindow: number;
    readonly secondRound: number;
    readonly receipt: number;
  };
  readonly manualVisitTimeout: { readonly seconds: number };
  readonly reviewTimeout: { readonly seconds: number };
}

const DAY_SECONDS = 86_400;

/** Seconds from now until an instant; Step Functions needs at least 1. */
export function secondsUntil(instant: string | Date, now: Date): number {
  return Math.max(1, Math.ceil((new Date(instant).getTime() - now.getTime()) / 1000));
}

/** Seconds until the next reminder: the first due date, then every `everyDays` after it. */
export function secondsUntilNextEscalation(dueBy: string, everyDays: number, now: Date): number {
  const due = new Date(dueBy).getTime();
  if (now.getTime() < due) return secondsUntil(dueBy, now);
  const every = everyDays * DAY_SECONDS * 1000;
  const next = due + (Math.floor((now.getTime() - due) / every) + 1) * every;
  return secondsUntil(new Date(next), now);
}

/** How many reminders are due by `now`: the first at `dueBy`, then one every `everyDays`. */
export function remindersDueBy(dueBy: string, everyDays: number, now: Date): number {
  const due = new Date(dueBy).getTime();
  if (now.getTime() < due) return 0;
  return Math.floor((now.getTime() - due) / (everyDays * DAY_SECONDS * 1000)) + 1;
}

/**
 * Seconds until the next reminder of a wait that has had `sent` reminders: at once (the
 * shortest wait) when one due by now is missing, as after a crash at the instant it was due.
 */
function secondsUntilReminder(wait: { dueBy: string; escalations: number }, everyDays: number, now: Date): number {
  return wait.escalations < remindersDueBy(wait.dueBy, everyDays, now) ? 1 : secondsUntilNextEscalation(wait.dueBy, everyDays, now);
}

export function callbackTrackStage(state: PolicyState, rules: RuleSet, now: Date): CallbackTrackStage {
  if (state.callbackOutcome) return 'DONE';
  const first = roundOf(state, 1);
  const second = roundOf(state, 2);
  if (state.review || first?.status === 'FINDINGS' || second?.status === 'FINDINGS' || state.manualVisit?.outcome === 'FINDINGS') return 'REVIEW';
  if (state.manualVisit || second?.status === 'FAILED') return 'MANUAL_VISIT';
  if (second) return 'SECOND_ROUND';
  if (state.contactWindow) return state.contactWindow.outcome ? 'SECOND_ROUND' : 'CONTACT_WINDOW';
  if (first) return first.status === 'OPEN' ? 'FIRST_ROUND' : 'CONTACT_WINDOW';
  const due = firstCallbackDueAt(new Date(state.policy.printedAt), rules);
  return state.earlyCallbackApproved || now >= due ? 'FIRST_ROUND' : 'AWAIT_FIRST_DATE';
}

export function planWorkflow(state: PolicyState, rules: RuleSet, now: Date): WorkflowPlan {
  const first = roundOf(state, 1);
  const second = roundOf(state, 2);
  const roundSeconds = rules.callbackRoundMaxDays * DAY_SECONDS;
  const receiptDeadline = receiptGivenUpAt(state.policy.effectiveAt, state.policy.timeZone, rules);
  return {
    policyId: state.policy.policyId,
    callbackStage: callbackTrackStage(state, rules, now),
    receiptStage: state.receipt.status === 'PENDING' ? 'AWAITING' : 'DONE',
    timeouts: {
      firstCallbackDate: secondsUntil(firstCallbackDueAt(new Date(state.policy.printedAt), rules), now),
      firstRound: first ? secondsUntil(first.deadline, now) : roundSeconds,
      contactWindow: state.contactWindow ? secondsUntil(state.contactWindow.closesAt, now) : rules.contactWindowDays * DAY_SECONDS,
      secondRound: second ? secondsUntil(second.deadline, now) : roundSeconds,
      receipt: secondsUntil(receiptDeadline, now),
    },
    manualVisitTimeout: {
      seconds: state.manualVisit
        ? secondsUntilReminder(state.manualVisit, rules.manualVisit.escalateEveryDays, now)
        : rules.manualVisit.escalateAfterDays * DAY_SECONDS,
    },
    reviewTimeout: {
      seconds: state.review
        ? secondsUntilReminder(state.review, rules.review.escalateEveryDays, now)
        : rules.review.escalateAfterDays * DAY_SECONDS,
    },
  };
}
