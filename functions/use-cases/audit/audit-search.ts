import { customerDataAccess, type KnownCustomerValues } from '../../domain/customer-privacy.js';
import { parseEventAuditKey } from '../../audit/audit-position.js';
import type { AuditedEvent } from '../../audit/audited-event.js';
import { knownValuesInLog } from '../../lifecycle/customer-access.js';
import { carriesFreeText, maskEventData } from '../../audit/event-masking.js';
import { recordAccess } from './access-log.js';
import { decodeCursor, encodeCursor, filtersFingerprint } from './audit-cursor.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { monthsOfPeriod, type Period } from '../period.js';
import { branchFilterFor } from '../scope.js';

export interface AuditSearchQuery extends Period {
  readonly agentId?: string;
  readonly branchId?: string;
  readonly type?: string;
  readonly limit: number;
  readonly cursor?: string;
}

const LOADS_AT_ONCE = 25;

/**
 * The name and addresses of each policy whose free text is on the page, so that a reason or
 * note quoting them is masked too: one policy read per such policy (free text is rare).
 */
async function knownValuesByPolicy(deps: Dependencies, events: readonly AuditedEvent[]): Promise<Map<string, KnownCustomerValues>> {
  const ids = [...new Set(events.filter((e) => carriesFreeText(e.data)).map((e) => e.policyId))];
  const known = new Map<string, KnownCustomerValues>();
  for (let i = 0; i < ids.length; i += LOADS_AT_ONCE) {
    await Promise.all(ids.slice(i, i + LOADS_AT_ONCE).map(async (policyId) => {
      // The raw log, not its fold: a tampered log still answers the auditor.
      const history = await deps.audit.loadHistory(policyId);
      if (history) known.set(policyId, knownValuesInLog(history.events));
    }));
  }
  return known;
}

/**
 * `GET /v1/audit/events`: events across policies in [from, to), oldest first, through the
 * audit indexes (never a table scan), with a stable cursor. Events appended while a client
 * pages are stamped "now" and sort after what it has read, or into their own instant.
 */
export async function searchAuditEvents(deps: Dependencies, caller: Caller, query: AuditSearchQuery) {
  const period = monthsOfPeriod(query);
  const branchId = branchFilterFor(caller, query.branchId, 'the events');
  const filters = { from: period.from, to: period.to, agentId: query.agentId, branchId, type: query.type };
  const fingerprint = filtersFingerprint('events', filters);
  const position = query.cursor ? decodeCursor(query.cursor, fingerprint, period, (key) => parseEventAuditKey(key)?.at) : undefined;
  await recordAccess(deps, caller, 'event-search', { filters });
  const page = await deps.audit.searchEvents(filters, query.limit, position);
  const known = await knownValuesByPolicy(deps, page.items);
  return {
    events: page.items.map((e) => ({
      policyId: e.policyId,
      seq: e.seq,
      at: e.at,
      type: e.data.type,
      actor: e.actor,
      agentId: e.agentId,
      branchId: e.branchId,
      data: maskEventData(e.data, customerDataAccess(caller, { ownerAgentId: e.agentId, branchId: e.branchId }), known.get(e.policyId) ?? knownValuesInLog([e])),
      hash: e.hash,
    })),
    ...(page.next ? { nextCursor: encodeCursor(page.next, fingerprint) } : {}),
  };
}
