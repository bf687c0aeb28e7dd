import { receiptGivenUpAt, receiptLateFrom, settlementCutoff, settlementMonthFor } from '../domain/calendar.js';
import { specialRequestDueAt } from '../domain/inbox-sla.js';
import { ruleSetByVersion } from '../domain/rule-set.js';
import type { SpecialRequestType } from './events.js';
import { type InboxItem, withSla } from './inbox-item.js';
import type { PolicyState } from './policy-state.js';
import { isRequestOpen } from './special-request-entry.js';
import { isLifecycleOpen } from './stage.js';

/** One thing the owning agent has to do on a policy: ids, codes and dates only, never customer data or free text. */
export type AgentTask =
  | { readonly kind: 'CONTACT_WINDOW'; readonly openedAt: string; readonly dueAt: string }
  | { readonly kind: 'RECEIPT_MISSING'; readonly openedAt: string; readonly dueAt: string; readonly givenUpAt: string }
  | {
    readonly kind: 'SPECIAL_REQUEST'; readonly requestId: string; readonly type: SpecialRequestType;
    readonly openedAt: string; readonly dueAt: string; readonly escalations: number;
  };

/**
 * What the owning agent has to do on one policy (docs/api.md, Work inboxes), projected with
 * the view by the one append plan (docs/architecture.md §3), so the view item carries it into
 * the agent's partition of the `auditAgent` index while there is something to do.
 */
export interface AgentWork {
  readonly policyId: string;
  readonly agentId: string;
  readonly branchId: string;
  readonly ruleSet: { readonly name: string; readonly version: number };
  readonly tasks: readonly AgentTask[];
  /** The earliest due task: orders the policy in the agent's partition. */
  readonly dueAt: string;
}

/**
 * The owning agent's open tasks: a contact window not yet answered; a signed receipt not yet
 * back, due when it turns late (docs/rules.md §4: −20 CNY after three calendar months; until
 * then each settlement only defers the commission); the special requests the agent filed that
 * still wait for a decision. Nothing once the lifecycle is closed.
 */
export function agentWorkOf(state: PolicyState): AgentWork | undefined {
  if (!isLifecycleOpen(state)) return undefined;
  const { policy } = state;
  const rules = ruleSetByVersion(policy.ruleSet.name, policy.ruleSet.version);
  const tasks: AgentTask[] = [];
  const window = state.contactWindow;
  if (!state.callbackOutcome && window && !window.outcome) tasks.push({ kind: 'CONTACT_WINDOW', openedAt: window.openedAt, dueAt: window.closesAt });
  if (state.receipt.status === 'PENDING') {
    tasks.push({
      kind: 'RECEIPT_MISSING',
      openedAt: state.registeredAt,
      dueAt: receiptLateFrom(policy.effectiveAt, policy.timeZone, rules).toISOString(),
      givenUpAt: receiptGivenUpAt(policy.effectiveAt, policy.timeZone, rules).toISOString(),
    });
  }
  for (const request of state.specialRequests) {
    if (request.filedBy !== policy.agent.agentId || !isRequestOpen(state, request)) continue;
    tasks.push({
      kind: 'SPECIAL_REQUEST', requestId: request.requestId, type: request.type, openedAt: request.filedAt,
      dueAt: specialRequestDueAt(request.filedAt, rules), escalations: request.escalations ?? 0,
    });
  }
  if (tasks.length === 0) return undefined;
  const dueAt = tasks.map((task) => task.dueAt).sort()[0] as string;
  return { policyId: policy.policyId, agentId: policy.agent.agentId, branchId: policy.branchId, ruleSet: policy.ruleSet, tasks, dueAt };
}

/** A policy's tasks as inbox items, with where each stands against its due date `now`. */
export function agentInboxItems(work: AgentWork, now: Date): InboxItem[] {
  const base = { policyId: work.policyId, branchId: work.branchId, agentId: work.agentId };
  return work.tasks.map((task): InboxItem => {
    const common = { ...base, openedAt: task.openedAt, dueAt: task.dueAt, ...withSla(task.dueAt, work.ruleSet, now) };
    switch (task.kind) {
      case 'CONTACT_WINDOW':
        return { ...common, kind: task.kind, itemId: work.policyId, summary: 'Contact window open: update or confirm the contact before the second callback' };
      case 'RECEIPT_MISSING': {
        const rules = ruleSetByVersion(work.ruleSet.name, work.ruleSet.version);
        return {
          ...common, kind: task.kind, itemId: work.policyId, summary: 'Signed receipt not returned: late from the due date (-20 CNY)',
          givenUpAt: task.givenUpAt, nextSettlementCutoff: settlementCutoff(settlementMonthFor(now, rules), rules).toISOString(),
        };
      }
      case 'SPECIAL_REQUEST': {
        const reminders = task.escalations > 0 ? `, reminder ${task.escalations} sent` : '';
        return {
          ...common, kind: task.kind, itemId: task.requestId, summary: `${task.type} special request filed by ${work.agentId}${reminders}`,
          type: task.type, filedBy: work.agentId, filedAt: task.openedAt, escalations: task.escalations,
        };
      }
    }
  });
}
