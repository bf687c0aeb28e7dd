import { DateTime } from 'luxon';
import { customerDataAccess, EMAIL_READER, shownName, shownPhone } from '../domain/customer-privacy.js';
import type { EventData, EventType, StoredEvent } from './events.js';
import { foldEvents, type PolicyState } from './policy-state.js';
import { requestEntryOf } from './special-request-entry.js';
import { specialRequestMail, type SpecialRequestMailTemplate } from './special-request-mails.js';

/** The e-mails a policy's own facts imply (docs/rules.md §2). */
export type PolicyMailTemplate =
  | 'contact-update-required'
  | 'commission-held-manual-visit'
  | 'manual-visit-overdue'
  | 'findings-review'
  | 'review-overdue'
  | SpecialRequestMailTemplate;

export type Audience = 'agent' | 'branchManager' | 'compliance';

/** One e-mail a recorded fact implies: who it is for and what it says, before addresses are looked up. */
export interface PolicyMail {
  /** Deterministic: the same fact always yields the same id, which dedupes resends. */
  readonly id: string;
  readonly template: PolicyMailTemplate;
  readonly audience: readonly Audience[];
  readonly data: Readonly<Record<string, string>>;
}

/** A fact as recorded: its position in the log, what it says, and the policy right after it. */
export interface RecordedFact {
  readonly seq: number;
  readonly data: EventData;
  readonly after: PolicyState;
}

export const MAIL_EVENT_TYPES: readonly EventType[] = ['ContactWindowOpened', 'ManualVisitOrdered', 'ManualVisitEscalated', 'ReviewOpened', 'ReviewEscalated'];

export function localTime(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
}

function findingsText(s: PolicyState): string {
  const reported = s.rounds.flatMap((r) => r.attempts.map((a) => a.findings));
  const proxy = reported.some((f) => f?.proxySignature);
  const misleading = reported.some((f) => f?.misleading);
  return [proxy ? '代签名' : '', misleading ? '误导销售' : ''].filter(Boolean).join('、') || '异常情况';
}

/**
 * The e-mails a recorded fact implies, each with the id `policyId#seq#template`. E-mail grants
 * no customer data (domain/customer-privacy.ts); everything is read from the policy as it stood right after the
 * fact, so a resend after a crash says exactly what the first send said.
 */
export function mailsOf(fact: RecordedFact): PolicyMail[] {
  const s = fact.after;
  const zone = s.policy.timeZone;
  const shown = customerDataAccess(EMAIL_READER, {});
  const mail = (template: PolicyMailTemplate, audience: readonly Audience[], extra: Record<string, string>): PolicyMail[] => [{
    id: `${s.policy.policyId}#${fact.seq}#${template}`,
    template,
    audience,
    data: {
      policyId: s.policy.policyId,
      branchId: s.policy.branchId,
      agentId: s.policy.agent.agentId,
      agentName: s.policy.agent.name,
      customerName: shownName(s.policy.policyholder.name, shown),
      customerPhone: shownPhone(s.contact.phone, shown),
      timeZone: zone,
      ...extra,
    },
  }];
  const d = fact.data;
  switch (d.type) {
    case 'ContactWindowOpened':
      return mail('contact-update-required', ['agent'], { closesAtLocal: localTime(d.closesAt, zone) });
    case 'ManualVisitOrdered':
      return mail('commission-held-manual-visit', ['branchManager'], { dueByLocal: localTime(d.dueBy, zone) });
    case 'ReviewOpened':
      return mail('findings-review', ['branchManager', 'compliance'], { dueByLocal: localTime(d.dueBy, zone), findingsText: findingsText(s) });
    case 'ManualVisitEscalated':
      return s.manualVisit
        ? mail('manual-visit-overdue', ['branchManager'], { dueByLocal: localTime(s.manualVisit.dueBy, zone), reminderNumber: String(s.manualVisit.escalations) })
        : [];
    case 'ReviewEscalated':
      return s.review
        ? mail('review-overdue', ['branchManager', 'compliance'], { dueByLocal: localTime(s.review.dueBy, zone), reminderNumber: String(s.review.escalations) })
        : [];
    case 'SpecialRequestFiled':
    case 'SpecialRequestEscalated': {
      const request = s.specialRequests.find((r) => r.requestId === d.requestId);
      if (!request) return [];
      const entry = requestEntryOf(s, request);
      return [d.type === 'SpecialRequestFiled' ? specialRequestMail(entry, 'special-request-filed') : specialRequestMail(entry, 'special-request-overdue', d.reminder)];
    }
    default:
      return [];
  }
}

/** The last fact of one of `types` in a log, with the policy folded up to it; none when absent. */
export function lastFactOf(events: readonly StoredEvent[], types: readonly EventType[]): RecordedFact | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (!types.includes(event.data.type)) continue;
    const after = foldEvents(events.slice(0, i + 1));
    return after && { seq: event.seq, data: event.data, after };
  }
  return undefined;
}
