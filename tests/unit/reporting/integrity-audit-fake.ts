import type { AuditedEvent } from '../../../functions/audit/audited-event.js';
import { quarterOf } from '../../../functions/domain/reporting-period.js';
import type { EventData } from '../../../functions/lifecycle/events.js';
import type { AuditStore } from '../../../functions/ports/audit-store.js';
import { falseContactKindOf } from '../../../functions/reporting/false-contact.js';

/** Builds audited events by hand: one log per policy, numbered in the order given. */
export function eventLog() {
  const events: AuditedEvent[] = [];
  const seqs = new Map<string, number>();
  return {
    events,
    add(policyId: string, agentId: string, branchId: string, at: string, data: EventData): AuditedEvent {
      const seq = (seqs.get(policyId) ?? 0) + 1;
      seqs.set(policyId, seq);
      const event: AuditedEvent = { policyId, seq, at, actor: { role: 'workflow' }, data, prevHash: '', hash: `${policyId}#${seq}`, agentId, branchId };
      events.push(event);
      return event;
    },
  };
}

/** The reads the integrity report makes, over an array of events (the DynamoDB adapter answers them through indexes). */
export function auditOver(events: readonly AuditedEvent[]): AuditStore {
  const within = (e: AuditedEvent, from: string, to: string) => e.at >= from && e.at < to;
  const unused = () => { throw new Error('not used by the integrity report'); };
  return {
    loadHistory: async (policyId) => ({ events: events.filter((e) => e.policyId === policyId), steps: [] }),
    searchEvents: async (search) => ({ items: events.filter((e) => within(e, search.from, search.to) && (!search.type || e.data.type === search.type) && (!search.branchId || e.branchId === search.branchId)) }),
    falseContactEvents: async (quarter) => events.filter((e) => falseContactKindOf(e.data) && quarterOf(new Date(e.at)).label === quarter),
    branchEvents: async function* (branchId, from, to) { yield* events.filter((e) => e.branchId === branchId && within(e, from, to)); },
    recordAccess: async () => undefined,
    lastWorkflowStep: unused,
    putWorkflowSteps: unused,
    listAccess: unused,
  };
}
