import { customerDataAccess } from '../domain/customer-privacy.js';
import { knownValuesInLog } from '../lifecycle/customer-access.js';
import { parseEventAuditKey } from '../lifecycle/audit-position.js';
import { maskEventData } from '../lifecycle/event-masking.js';
import { recordAccess } from './access-log.js';
import { decodeCursor, encodeCursor, filtersFingerprint } from './audit-cursor.js';
import type { Caller } from './caller.js';
import type { Dependencies } from './dependencies.js';
import { monthsOfPeriod, type Period } from './period.js';

export interface AuditSearchQuery extends Period {
  readonly agentId?: string;
  readonly branchId?: string;
  readonly type?: string;
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * `GET /v1/audit/events`: events across policies in [from, to), oldest first, through the
 * audit indexes (never a table scan), with a stable cursor. Events appended while a client
 * pages are stamped "now" and sort after what it has read, or into their own instant.
 */
export async function searchAuditEvents(deps: Dependencies, caller: Caller, query: AuditSearchQuery) {
  const period = monthsOfPeriod(query);
  const filters = { from: period.from, to: period.to, agentId: query.agentId, branchId: query.branchId, type: query.type };
  const fingerprint = filtersFingerprint('events', filters);
  const position = query.cursor ? decodeCursor(query.cursor, fingerprint, period, (key) => parseEventAuditKey(key)?.at) : undefined;
  await recordAccess(deps, caller, 'event-search', { filters });
  const page = await deps.audit.searchEvents(filters, query.limit, position);
  return {
    events: page.items.map((e) => ({
      policyId: e.policyId,
      seq: e.seq,
      at: e.at,
      type: e.data.type,
      actor: e.actor,
      agentId: e.agentId,
      branchId: e.branchId,
      data: maskEventData(e.data, customerDataAccess(caller, { ownerAgentId: e.agentId, branchId: e.branchId }), knownValuesInLog([e])),
      hash: e.hash,
    })),
    ...(page.next ? { nextCursor: encodeCursor(page.next, fingerprint) } : {}),
  };
}
