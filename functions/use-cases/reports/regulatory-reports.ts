import { parseQuarter } from '../../domain/reporting-period.js';
import { WORK_BUCKETS, type WorkItem } from '../../lifecycle/work-item.js';
import type { PagePosition } from '../../ports/audit-store.js';
import { coolingOffAtRisk } from '../../reporting/cooling-off-at-risk.js';
import { evidenceTally, type RegulatoryEvidenceReport } from '../../reporting/regulatory-evidence.js';
import { recordAccess } from '../audit/access-log.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ValidationError } from '../errors.js';
import { currentWork } from '../policies/read-policies.js';

const PAGE = 500;

/**
 * `GET /v1/reports/regulatory-evidence?quarter=`: the quarter's reached calls that lack the art. 15
 * evidence their rule set asks for (docs/rules.md §8), read through the event-type index.
 */
export async function getRegulatoryEvidenceReport(deps: Dependencies, caller: Caller, quarterLabel: string): Promise<RegulatoryEvidenceReport> {
  const quarter = parseQuarter(quarterLabel);
  if (!quarter) throw new ValidationError('quarter is invalid', [{ field: 'quarter', rule: 'format', message: 'must be YYYY-Qn, e.g. 2026-Q1' }]);
  await recordAccess(deps, caller, 'report:regulatory-evidence', { filters: { quarter: quarter.label } });
  const tally = evidenceTally(quarter, deps.clock.now());
  const search = { from: quarter.from.toISOString(), to: quarter.to.toISOString(), type: 'CallbackAttemptRecorded' };
  let position: PagePosition | undefined;
  do {
    const page = await deps.audit.searchEvents(search, PAGE, position);
    for (const event of page.items) tally.add(event);
    position = page.next;
  } while (position);
  return tally.result();
}

/** Open lifecycles are at most a few thousand per queue; read on page by page. */
async function allWork(deps: Dependencies): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (const bucket of WORK_BUCKETS) {
    let after: WorkItem | undefined;
    for (;;) {
      const page = await deps.repository.listWork(bucket, undefined, PAGE, after);
      items.push(...(await currentWork(deps, bucket, page)));
      if (page.length < PAGE) break;
      after = page.at(-1)?.item;
    }
  }
  return items;
}

/**
 * `GET /v1/reports/cooling-off-at-risk?withinDays=`: policies whose callback has not passed and
 * whose cooling-off period ends within the next `withinDays` days (docs/rules.md §8). Ids only.
 */
export async function getCoolingOffAtRisk(deps: Dependencies, caller: Caller, withinDays: number) {
  await recordAccess(deps, caller, 'report:cooling-off-at-risk', { filters: { withinDays: String(withinDays) } });
  const now = deps.clock.now();
  const policies = coolingOffAtRisk(await allWork(deps), now, withinDays);
  return { asOf: now.toISOString(), withinDays, count: policies.length, policies };
}
