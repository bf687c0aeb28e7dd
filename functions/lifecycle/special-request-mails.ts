import { DateTime } from 'luxon';
import type { SpecialRequestEntry } from './special-request-entry.js';

export type SpecialRequestMailTemplate = 'special-request-filed' | 'special-request-overdue';

const localTime = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');

const TYPE_TEXT = { EARLY: '提前回访', EXEMPT: '免回访' } as const;

/**
 * The branch's notice of a new special request, or reminder `reminder` of an undecided one.
 * Built from the request's inbox entry alone, so the fact's append, a replayed filing and the
 * scheduled sweep all build the same mail with the same id (`policyId#requestId#[n#]template`),
 * and the ledger sends it once. Ids and dates only: no reason text, no customer data.
 */
export function specialRequestMail(entry: SpecialRequestEntry, template: SpecialRequestMailTemplate, reminder?: number) {
  const zone = entry.timeZone;
  const id = template === 'special-request-overdue' ? `${entry.policyId}#${entry.requestId}#${reminder ?? entry.escalations}#${template}` : `${entry.policyId}#${entry.requestId}#${template}`;
  return {
    id,
    template,
    audience: ['branchManager'] as const,
    data: {
      policyId: entry.policyId,
      branchId: entry.branchId,
      agentId: entry.agentId,
      requestId: entry.requestId,
      requestTypeText: TYPE_TEXT[entry.type],
      filedAtLocal: localTime(entry.filedAt, zone),
      dueByLocal: localTime(entry.dueAt, zone),
      ...(template === 'special-request-overdue' ? { reminderNumber: String(reminder ?? entry.escalations) } : {}),
    },
  };
}
