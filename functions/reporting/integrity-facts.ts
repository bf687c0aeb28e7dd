import type { AuditedEvent } from '../audit/audited-event.js';
import type { IntegrityCase } from '../domain/integrity-cases.js';
import type { IntegrityFact } from '../domain/integrity.js';
import type { EventType, StoredEvent } from '../lifecycle/events.js';
import { falseContactKindOf } from './false-contact.js';

/**
 * Which recorded facts put points on an agent's integrity file (docs/rules.md §9). The event
 * types the cases come from, besides the false-contact ones (found through their own index).
 */
export const INTEGRITY_EVENT_TYPES: readonly EventType[] = ['ReceiptNeverReturned', 'ReceiptReturned', 'ContactWindowClosedUnanswered', 'ReviewDecided'];

/** Whether the case(s) of an event depend on the rest of its policy's log (findings, earlier false contact). */
export function needsPolicyLog(event: AuditedEvent): boolean {
  return (event.data.type === 'ReviewDecided' && event.data.decision === 'UPHOLD') || falseContactKindOf(event.data) !== undefined;
}

/** Findings reported (by a callback or a manual visit) before `seq`: what an upheld review upholds. */
function findingsBefore(log: readonly StoredEvent[], seq: number): { proxySignature: boolean; misleading: boolean } {
  const found = { proxySignature: false, misleading: false };
  for (const e of log) {
    if (e.seq >= seq) break;
    const f = e.data.type === 'CallbackAttemptRecorded' ? e.data.attempt.findings : e.data.type === 'ManualVisitRecorded' ? e.data.findings : undefined;
    if (f?.proxySignature) found.proxySignature = true;
    if (f?.misleading) found.misleading = true;
  }
  return found;
}

/**
 * The cases one event records. False contact information counts once per policy, at the
 * first event that found it (a registration with the agent's phone, then the callback that
 * met it, are one offence); an upheld review counts each finding it upholds. `log` is the
 * policy's own event log, needed when `needsPolicyLog(event)`.
 */
export function integrityFactsOf(event: AuditedEvent, log: readonly StoredEvent[] = []): IntegrityFact[] {
  const fact = (c: IntegrityCase): IntegrityFact => ({ case: c, agentId: event.agentId, branchId: event.branchId, policyId: event.policyId, at: event.at });
  const d = event.data;
  const facts: IntegrityFact[] = [];
  if (d.type === 'ReceiptNeverReturned') facts.push(fact('RECEIPT_NOT_RETURNED'));
  if (d.type === 'ReceiptReturned' && d.late) facts.push(fact('RECEIPT_RETURNED_LATE'));
  if (d.type === 'ContactWindowClosedUnanswered') facts.push(fact('CONTACT_UPDATE_NOT_RETURNED'));
  if (d.type === 'ReviewDecided' && d.decision === 'UPHOLD') {
    const upheld = findingsBefore(log, event.seq);
    if (upheld.proxySignature) facts.push(fact('PROXY_SIGNATURE_UPHELD'));
    if (upheld.misleading) facts.push(fact('MISLEADING_UPHELD'));
  }
  if (falseContactKindOf(d)) {
    const first = log.find((e) => falseContactKindOf(e.data) !== undefined);
    if (!first || first.seq === event.seq) facts.push(fact('FALSE_CONTACT'));
  }
  return facts;
}
