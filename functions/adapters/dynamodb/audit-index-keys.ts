import { quarterOf, utcMonthOf } from '../../domain/reporting-period.js';
import { eventAuditKey } from '../../audit/audit-position.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { EventOwner } from '../../ports/policy-repository.js';
import { falseContactKindOf } from '../../reporting/false-contact.js';

/**
 * The audit indexes over the event items: every event carries their keys, so an append
 * updates them with no extra write request. Partitions are (agent, month), (branch, month),
 * (type, month) and (month); all sort on `<at>#<policyId>#<seq>`. The sparse `falseContact`
 * index holds only the events that found false contact data, by reporting quarter.
 */
export const AUDIT_SORT_KEY = 'auditSk';

export const AUDIT_INDEXES = {
  month: { name: 'audit', pk: 'auditPk', value: (month: string) => `M#${month}` },
  agent: { name: 'auditAgent', pk: 'agentPk', value: (agentId: string, month: string) => `A#${agentId}#${month}` },
  branch: { name: 'auditBranch', pk: 'branchPk', value: (branchId: string, month: string) => `B#${branchId}#${month}` },
  type: { name: 'auditType', pk: 'typePk', value: (type: string, month: string) => `T#${type}#${month}` },
  falseContact: { name: 'falseContact', pk: 'falseContactPk', value: (quarter: string) => `FC#${quarter}` },
} as const;

/** Attributes an event item carries for the audit indexes (and the agent/branch the search returns). */
export function auditAttributesOf(event: StoredEvent, owner: EventOwner): Record<string, string> {
  const month = utcMonthOf(event.at);
  const { agentId, branchId } = owner;
  const attributes: Record<string, string> = {
    agentId,
    branchId,
    [AUDIT_SORT_KEY]: eventAuditKey(event.at, event.policyId, event.seq),
    [AUDIT_INDEXES.month.pk]: AUDIT_INDEXES.month.value(month),
    [AUDIT_INDEXES.agent.pk]: AUDIT_INDEXES.agent.value(agentId, month),
    [AUDIT_INDEXES.branch.pk]: AUDIT_INDEXES.branch.value(branchId, month),
    [AUDIT_INDEXES.type.pk]: AUDIT_INDEXES.type.value(event.data.type, month),
  };
  if (falseContactKindOf(event.data)) attributes[AUDIT_INDEXES.falseContact.pk] = AUDIT_INDEXES.falseContact.value(quarterOf(new Date(event.at)).label);
  return attributes;
}
