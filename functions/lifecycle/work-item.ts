import { nextDialTime, type RoundSnapshot } from '../domain/callback-round.js';
import { ruleSetByVersion } from '../domain/rule-set.js';
import type { Customer } from '../domain/customer-privacy.js';
import type { PolicyState, RoundState } from './policy-state.js';
import { isLifecycleOpen } from './stage.js';
import { coolingOffDeadlineOf } from './cooling-off-state.js';


/** The work queues (docs/architecture.md §3); every open lifecycle is in exactly one. */
export const WORK_BUCKETS = ['WAITING', 'DIAL', 'CONTACT', 'VISIT', 'REVIEW'] as const;
export type WorkBucket = (typeof WORK_BUCKETS)[number];

export interface WorkItem {
  readonly policyId: string;
  readonly bucket: WorkBucket;
  /** When the item is due (ISO); the queue is ordered by it. */
  readonly dueAt: string;
  readonly branchId: string;
  readonly agentId: string;
  readonly timeZone: string;
  readonly ruleSet: { readonly name: string; readonly version: number };
  readonly round?: number;
  readonly attemptsSoFar?: number;
  /** When the waited-for work began (the round opened, the visit was ordered, the review opened); the inboxes show it. */
  readonly openedAt?: string;
  /** DIAL: the round's deadline (the call centre's inbox orders by it). */
  readonly deadline?: string;
  /** Who to dial (DIAL: name and phone) or visit (VISIT: name, phone and address); shown masked as the reader's access says. */
  readonly customer?: Customer;
  /** While the callback has not passed: when the cooling-off period ends (docs/rules.md §8). */
  readonly coolingOffEndsAt?: string;
}

/** A round's attempts for the domain's decisions; a round closed by an exemption or a cancellation takes none. */
export function roundSnapshot(round: RoundState): RoundSnapshot {
  if (round.status === 'CLOSED') throw new Error(`round ${round.round} was closed (${round.endReason ?? 'no reason'})`);
  return {
    round: round.round,
    openedAt: new Date(round.openedAt),
    notBefore: new Date(round.notBefore),
    status: round.status,
    attempts: round.attempts.map((a) => ({ ...a, calledAt: new Date(a.calledAt) })),
  };
}

/** Which work queue an open lifecycle sits in, and since when it is due. */
export function workItemOf(state: PolicyState): WorkItem | undefined {
  if (!isLifecycleOpen(state)) return undefined;
  const coolingOffEndsAt = coolingOffDeadlineOf(state);
  const base = {
    policyId: state.policy.policyId, branchId: state.policy.branchId, agentId: state.policy.agent.agentId, timeZone: state.policy.timeZone, ruleSet: state.policy.ruleSet,
    ...(coolingOffEndsAt ? { coolingOffEndsAt } : {}),
  };
  const open = state.callbackOutcome ? undefined : state.rounds.find((r) => r.status === 'OPEN');
  if (open) {
    const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
    const ctx = { timeZone: state.policy.timeZone, rules, customerPhoneIsAgentOrBranchPhone: state.contact.agentPhoneAsCustomer };
    const snapshot = roundSnapshot(open);
    const dueAt = nextDialTime(snapshot, snapshot.notBefore, ctx).toISOString();
    const customer = { name: state.policy.policyholder.name, phone: state.contact.phone };
    return { ...base, bucket: 'DIAL', dueAt, round: open.round, attemptsSoFar: open.attempts.length, customer, openedAt: open.openedAt, deadline: open.deadline };
  }
  if (!state.callbackOutcome && state.review && !state.review.decision) return { ...base, bucket: 'REVIEW', dueAt: state.review.dueBy, openedAt: state.review.openedAt };
  if (!state.callbackOutcome && state.manualVisit && !state.manualVisit.outcome) {
    const customer = { name: state.policy.policyholder.name, phone: state.contact.phone, ...(state.contact.address !== undefined ? { address: state.contact.address } : {}) };
    return { ...base, bucket: 'VISIT', dueAt: state.manualVisit.dueBy, customer, openedAt: state.manualVisit.orderedAt };
  }
  if (!state.callbackOutcome && state.contactWindow && !state.contactWindow.outcome) return { ...base, bucket: 'CONTACT', dueAt: state.contactWindow.closesAt };
  return { ...base, bucket: 'WAITING', dueAt: state.registeredAt };
}
