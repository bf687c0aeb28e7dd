import type { AuditedEvent } from '../../audit/audited-event.js';
import type { IntegrityFact } from '../../domain/integrity.js';
import { previousQuarter, type Quarter } from '../../domain/reporting-period.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import { falseContactKindOf } from '../../reporting/false-contact.js';
import { INTEGRITY_EVENT_TYPES, integrityFactsOf, needsPolicyLog } from '../../reporting/integrity-facts.js';
import type { Dependencies } from '../dependencies.js';

const PAGE = 1000;

/** The quarter and the `count - 1` before it, oldest first. */
export function quartersEndingWith(quarter: Quarter, count: number): Quarter[] {
  const quarters = [quarter];
  while (quarters.length < count) quarters.unshift(previousQuarter(quarters[0]!.from));
  return quarters;
}

const isCandidate = (event: AuditedEvent) => INTEGRITY_EVENT_TYPES.includes(event.data.type) || falseContactKindOf(event.data) !== undefined;

/**
 * The events of a quarter that may carry a case, through the audit indexes (never a scan):
 * a branch's events by the branch index (as the quality report reads them); across all
 * branches, the type index for the few case types and the sparse false-contact index.
 */
async function candidateEvents(deps: Dependencies, quarter: Quarter, branchId?: string): Promise<AuditedEvent[]> {
  const from = quarter.from.toISOString();
  const to = quarter.to.toISOString();
  const events: AuditedEvent[] = [];
  if (branchId !== undefined) {
    for await (const event of deps.audit.branchEvents(branchId, from, to)) if (isCandidate(event)) events.push(event);
    return events;
  }
  for (const type of INTEGRITY_EVENT_TYPES) {
    let position;
    do {
      const page = await deps.audit.searchEvents({ from, to, type }, PAGE, position);
      events.push(...page.items);
      position = page.next;
    } while (position);
  }
  events.push(...(await deps.audit.falseContactEvents(quarter.label)).filter((e) => e.at >= from && e.at < to));
  return events;
}

/**
 * The integrity facts of each quarter (docs/rules.md §9). Upheld reviews and false contact
 * read their policy's log (a handful of policies: both are rare), once per policy per call.
 */
export async function integrityFactsByQuarter(deps: Dependencies, quarters: readonly Quarter[], branchId?: string): Promise<IntegrityFact[][]> {
  const logs = new Map<string, readonly StoredEvent[]>();
  const logOf = async (policyId: string) => {
    let log = logs.get(policyId);
    if (!log) {
      log = (await deps.audit.loadHistory(policyId))?.events ?? [];
      logs.set(policyId, log);
    }
    return log;
  };
  const result: IntegrityFact[][] = [];
  for (const quarter of quarters) {
    const facts: IntegrityFact[] = [];
    for (const event of await candidateEvents(deps, quarter, branchId)) {
      facts.push(...integrityFactsOf(event, needsPolicyLog(event) ? await logOf(event.policyId) : []));
    }
    result.push(facts);
  }
  return result;
}
