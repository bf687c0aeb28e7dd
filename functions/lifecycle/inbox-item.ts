import { type ClaimableInboxKind, type InboxKind, slaStatus } from '../domain/inbox-sla.js';
import { ruleSetByVersion } from '../domain/rule-set.js';
import type { PolicyState } from './policy-state.js';
import { isRequestOpen, type SpecialRequestEntry } from './special-request-entry.js';
import { roundOf } from './stage.js';
import type { WorkItem } from './work-item.js';

/**
 * One item of a work inbox (docs/api.md, Work inboxes): what is waiting, for whom, since when
 * and by when. `summary` is a short text of codes and numbers: never customer data, never a
 * reason or note written by a person.
 */
export interface InboxItem {
  readonly kind: InboxKind;
  readonly itemId: string;
  readonly policyId: string;
  readonly branchId: string;
  readonly agentId: string;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly dueSoon: boolean;
  readonly overdue: boolean;
  readonly summary: string;
  /** SPECIAL_REQUEST: the request's type, who filed it and when. */
  readonly type?: 'EARLY' | 'EXEMPT';
  readonly filedBy?: string;
  readonly filedAt?: string;
  /** CALLBACK_ROUND: the round and the calls made in it so far. */
  readonly round?: number;
  readonly attemptsSoFar?: number;
  /** SPECIAL_REQUEST: reminders sent so far. */
  readonly escalations?: number;
  /** RECEIPT_MISSING: when the receipt counts as never returned, and the next settlement it would be deferred at. */
  readonly givenUpAt?: string;
  readonly nextSettlementCutoff?: string;
}

/** A callback round's item id: the policy and the round (`P-1001-R2`). */
export const roundItemId = (policyId: string, round: number): string => `${policyId}-R${round}`;

export function parseRoundItemId(itemId: string): { policyId: string; round: number } | undefined {
  const match = /^(.+)-R([12])$/.exec(itemId);
  return match ? { policyId: match[1] as string, round: Number(match[2]) } : undefined;
}

export const withSla = (dueAt: string, ruleSet: { name: string; version: number }, now: Date) => slaStatus(dueAt, now, ruleSetByVersion(ruleSet.name, ruleSet.version));

export function requestInboxItem(entry: SpecialRequestEntry, now: Date): InboxItem {
  const reminders = entry.escalations > 0 ? `, reminder ${entry.escalations} sent` : '';
  return {
    kind: 'SPECIAL_REQUEST',
    itemId: entry.requestId,
    policyId: entry.policyId,
    branchId: entry.branchId,
    agentId: entry.agentId,
    openedAt: entry.filedAt,
    dueAt: entry.dueAt,
    ...withSla(entry.dueAt, entry.ruleSet, now),
    summary: `${entry.type} special request filed by ${entry.filedBy ?? `agent ${entry.agentId}`}${reminders}`,
    type: entry.type,
    ...(entry.filedBy !== undefined ? { filedBy: entry.filedBy } : {}),
    filedAt: entry.filedAt,
    escalations: entry.escalations,
  };
}

/**
 * A queue entry as an inbox item: a manual visit or review is due by its escalation date, a
 * callback round by its deadline. Undefined for an entry projected before the inbox existed
 * (no `openedAt`): the reader re-projects it from its log.
 */
export function workInboxItem(item: WorkItem, now: Date): InboxItem | undefined {
  if (item.openedAt === undefined) return undefined;
  const base = { policyId: item.policyId, branchId: item.branchId, agentId: item.agentId, openedAt: item.openedAt };
  switch (item.bucket) {
    case 'VISIT':
      return { ...base, kind: 'MANUAL_VISIT', itemId: item.policyId, dueAt: item.dueAt, ...withSla(item.dueAt, item.ruleSet, now), summary: 'Manual visit after a failed second callback; commission held' };
    case 'REVIEW':
      return { ...base, kind: 'REVIEW', itemId: item.policyId, dueAt: item.dueAt, ...withSla(item.dueAt, item.ruleSet, now), summary: 'Compliance review of callback findings; commission held' };
    case 'DIAL': {
      if (item.deadline === undefined || item.round === undefined) return undefined;
      const attempts = item.attemptsSoFar ?? 0;
      return {
        ...base, kind: 'CALLBACK_ROUND', itemId: roundItemId(item.policyId, item.round), dueAt: item.deadline, ...withSla(item.deadline, item.ruleSet, now),
        summary: `Callback round ${item.round}, ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} so far`, round: item.round, attemptsSoFar: attempts,
      };
    }
    default:
      return undefined;
  }
}

/** Whether an inbox item exists in this policy's log, and whether it is still open (its work not yet done). */
export function inboxItemStatus(state: PolicyState, kind: ClaimableInboxKind, itemId: string): 'open' | 'closed' | 'absent' {
  const ended = state.cancelled !== undefined || state.callbackOutcome !== undefined;
  switch (kind) {
    case 'SPECIAL_REQUEST': {
      const request = state.specialRequests.find((r) => r.requestId === itemId);
      if (!request) return 'absent';
      return isRequestOpen(state, request) ? 'open' : 'closed';
    }
    case 'MANUAL_VISIT':
      if (!state.manualVisit) return 'absent';
      return state.manualVisit.outcome || ended ? 'closed' : 'open';
    case 'REVIEW':
      if (!state.review) return 'absent';
      return state.review.decision || ended ? 'closed' : 'open';
    case 'CALLBACK_ROUND': {
      const round = parseRoundItemId(itemId);
      const found = round && roundOf(state, round.round);
      if (!found) return 'absent';
      return found.status === 'OPEN' && !ended ? 'open' : 'closed';
    }
  }
}

/** The policy an item id belongs to (a special request's is looked up by the caller). */
export function policyIdOfItem(kind: Exclude<ClaimableInboxKind, 'SPECIAL_REQUEST'>, itemId: string): string | undefined {
  return kind === 'CALLBACK_ROUND' ? parseRoundItemId(itemId)?.policyId : itemId;
}
