import { reminderAt, specialRequestDueAt, specialRequestEscalatesAt } from '../domain/inbox-sla.js';
import { ruleSetByVersion, specialRequestSlaOf } from '../domain/rule-set.js';
import type { SpecialRequestType } from './events.js';
import type { PolicyState, SpecialRequestState } from './policy-state.js';
import { roundOf } from './stage.js';

/**
 * A special request's entry in the branch inbox, projected from the policy's log like the
 * view (docs/architecture.md §3): it carries the log version it was derived at, so a reader
 * proves it current (no event `version + 1`) or re-derives it. No free text, no customer data.
 */
export interface SpecialRequestEntry {
  readonly requestId: string;
  readonly policyId: string;
  readonly branchId: string;
  readonly agentId: string;
  readonly type: SpecialRequestType;
  readonly filedBy?: string;
  readonly filedAt: string;
  /** When it should be decided (the SLA's decideWithinDays). */
  readonly dueAt: string;
  /** Reminders recorded so far, and when the next one falls due. */
  readonly escalations: number;
  readonly nextReminderAt: string;
  readonly ruleSet: { readonly name: string; readonly version: number };
  /** The policy's zone: mails show its local times. */
  readonly timeZone: string;
  /** Still waiting for a decision that can matter; a closed entry leaves the inbox. */
  readonly open: boolean;
  /** The log version this entry was derived at. */
  readonly version: number;
}

/**
 * Whether a pending request can still be decided to any effect: not once the policy is
 * cancelled, an early callback not once the first callback has started, an exemption not once
 * the callback track has ended.
 */
export function isRequestOpen(state: PolicyState, request: SpecialRequestState): boolean {
  if (request.status !== 'PENDING' || state.cancelled) return false;
  return request.type === 'EARLY' ? roundOf(state, 1) === undefined : state.callbackOutcome === undefined;
}

export function requestEntryOf(state: PolicyState, request: SpecialRequestState): SpecialRequestEntry {
  const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
  const escalations = request.escalations ?? 0;
  return {
    requestId: request.requestId,
    policyId: state.policy.policyId,
    branchId: state.policy.branchId,
    agentId: state.policy.agent.agentId,
    type: request.type,
    ...(request.filedBy !== undefined ? { filedBy: request.filedBy } : {}),
    filedAt: request.filedAt,
    dueAt: specialRequestDueAt(request.filedAt, rules),
    escalations,
    nextReminderAt: reminderAt(specialRequestEscalatesAt(request.filedAt, rules), specialRequestSlaOf(rules).escalateEveryDays, escalations + 1),
    ruleSet: state.policy.ruleSet,
    timeZone: state.policy.timeZone,
    open: isRequestOpen(state, request),
    version: state.version,
  };
}

/** Every special request of the policy as an inbox entry (open or not). */
export function requestEntriesOf(state: PolicyState): SpecialRequestEntry[] {
  return state.specialRequests.map((request) => requestEntryOf(state, request));
}

/** The entries an event changed (a new request, a decision, a reminder, a request made moot): only these are rewritten. */
export function changedRequestEntries(before: PolicyState | undefined, after: PolicyState): SpecialRequestEntry[] {
  const previous = new Map((before ? requestEntriesOf(before) : []).map((e) => [e.requestId, e]));
  return requestEntriesOf(after).filter((entry) => {
    const was = previous.get(entry.requestId);
    return !was || was.open !== entry.open || was.escalations !== entry.escalations;
  });
}
