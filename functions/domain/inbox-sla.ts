/**
 * Work-inbox service levels (docs/rules.md, Work inboxes): when a special request is due and
 * when it is escalated, when any item counts as due soon or overdue, when a callback round's
 * deadline is near, and the one order of an inbox. Pure: times in, times out.
 */
import { escalationDueAt } from './calendar.js';
import { inboxRulesOf, type RuleSet, specialRequestSlaOf } from './rule-set.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The kinds staff work, one claimer at a time. */
export const CLAIMABLE_INBOX_KINDS = ['SPECIAL_REQUEST', 'MANUAL_VISIT', 'REVIEW', 'CALLBACK_ROUND'] as const;
export type ClaimableInboxKind = (typeof CLAIMABLE_INBOX_KINDS)[number];
/** The kinds only the owning agent works (never claimed: the policy is the agent's own). */
export const AGENT_TASK_KINDS = ['CONTACT_WINDOW', 'RECEIPT_MISSING'] as const;
/** The kinds of work an inbox holds. */
export const INBOX_KINDS = [...CLAIMABLE_INBOX_KINDS, ...AGENT_TASK_KINDS] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];
export const isClaimableKind = (kind: InboxKind): kind is ClaimableInboxKind => (CLAIMABLE_INBOX_KINDS as readonly string[]).includes(kind);

/** A special request should be decided `decideWithinDays` after it was filed. */
export function specialRequestDueAt(filedAt: string, rules: RuleSet): string {
  return escalationDueAt(new Date(filedAt), specialRequestSlaOf(rules).decideWithinDays).toISOString();
}

/** The first reminder of an undecided special request: `escalateAfterDays` after it was filed. */
export function specialRequestEscalatesAt(filedAt: string, rules: RuleSet): string {
  return escalationDueAt(new Date(filedAt), specialRequestSlaOf(rules).escalateAfterDays).toISOString();
}

/** How many reminders are due by `now`: the first at `firstAt`, then one every `everyDays`. */
export function remindersDue(firstAt: string, everyDays: number, now: Date): number {
  const first = Date.parse(firstAt);
  if (now.getTime() < first) return 0;
  return Math.floor((now.getTime() - first) / (everyDays * DAY_MS)) + 1;
}

/** When reminder number `n` (1-based) falls due. */
export function reminderAt(firstAt: string, everyDays: number, n: number): string {
  return new Date(Date.parse(firstAt) + (n - 1) * everyDays * DAY_MS).toISOString();
}

/** Where an item stands against its due instant: overdue once past it, due soon within `dueSoonHours` before it. */
export function slaStatus(dueAt: string, now: Date, rules: RuleSet): { readonly dueSoon: boolean; readonly overdue: boolean } {
  const left = Date.parse(dueAt) - now.getTime();
  const overdue = left < 0;
  return { overdue, dueSoon: !overdue && left <= inboxRulesOf(rules).dueSoonHours * HOUR_MS };
}

/** An open round belongs in the call centre's inbox once its deadline is within `roundDeadlineNearHours`. */
export function roundDeadlineNear(deadline: string, now: Date, rules: RuleSet): boolean {
  return Date.parse(deadline) - now.getTime() <= inboxRulesOf(rules).roundDeadlineNearHours * HOUR_MS;
}

/** The inbox order: earliest due first, then kind, then item id, so pages are stable. */
export function compareInboxItems(a: InboxPosition, b: InboxPosition): number {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0;
}

/** What orders an inbox item (and what a page cursor records). */
export interface InboxPosition {
  readonly dueAt: string;
  readonly kind: InboxKind;
  readonly itemId: string;
}
