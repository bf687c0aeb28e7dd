import { parseQuarter } from '../../domain/reporting-period.js';
import { WORK_BUCKETS, type WorkItem } from '../../lifecycle/work-item.js';
import type { PagePosition } from '../../ports/audit-store.js';
import { coolingOffAtRisk } from '../../reporting/cooling-off-at-risk.js';
import { evidenceTally, type RegulatoryEvidenceReport } from '../../reporting/regulatory-evidence.js';
import { recordAccess } from '../audit/access-log.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ValidationError } from '../errors.js';
import { projectionOf } from '../../lifecycle/projection.js';
import type { QueuedWork } from '../../ports/policy-repository.js';
import { branchScopeOf } from '../scope.js';

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
  const branchId = branchScopeOf(caller);
  const search = { from: quarter.from.toISOString(), to: quarter.to.toISOString(), type: 'CallbackAttemptRecorded', ...(branchId ? { branchId } : {}) };
  let position: PagePosition | undefined;
  do {
    const page = await deps.audit.searchEvents(search, PAGE, position);
    for (const event of page.items) tally.add(event);
    position = page.next;
  } while (position);
  return tally.result();
}

/**
 * A page of a queue as the logs stand, read-only (the report heals nothing): an entry whose
 * view is behind its log (a crash between an append and its projection) is taken from a fresh
 * fold of the log instead.
 */
async function currentItems(deps: Dependencies, page: readonly QueuedWork[]): Promise<WorkItem[]> {
  const behind = await deps.repository.logsAhead(page.map((q) => ({ policyId: q.item.policyId, version: q.version })));
  const items: WorkItem[] = [];
  for (const { item } of page) {
    // Outside WAITING the callback is unresolved, so an entry without the period's end was
    // projected before it was kept: fold the log once for it too.
    const legacy = item.bucket !== 'WAITING' && item.coolingOffEndsAt === undefined;
    if (!behind.has(item.policyId) && !legacy) {
      items.push(item);
      continue;
    }
    const loaded = await deps.repository.load(item.policyId);
    const work = loaded ? projectionOf(loaded.state).work : undefined;
    if (work) items.push(work);
  }
  return items;
}

/** Every open lifecycle's queue entry, page by page. */
async function allWork(deps: Dependencies): Promise<WorkItem[]> {
  // By policy: a view behind its log may stand in one queue while its fresh fold names another.
  const items = new Map<string, WorkItem>();
  for (const bucket of WORK_BUCKETS) {
    let after: WorkItem | undefined;
    for (;;) {
      const page = await deps.repository.listWork(bucket, undefined, PAGE, after);
      for (const item of await currentItems(deps, page)) items.set(item.policyId, item);
      if (page.length < PAGE) break;
      after = page.at(-1)?.item;
    }
  }
  return [...items.values()];
}

/**
 * `GET /v1/reports/cooling-off-at-risk?withinDays=`: policies whose callback has not passed and
 * whose cooling-off period ends within the next `withinDays` days (docs/rules.md §8). Ids only.
 */
export async function getCoolingOffAtRisk(deps: Dependencies, caller: Caller, withinDays: number) {
  await recordAccess(deps, caller, 'report:cooling-off-at-risk', { filters: { withinDays: String(withinDays) } });
  const now = deps.clock.now();
  const branchId = branchScopeOf(caller);
  const work = (await allWork(deps)).filter((item) => branchId === undefined || item.branchId === branchId);
  const policies = coolingOffAtRisk(work, now, withinDays);
  return { asOf: now.toISOString(), withinDays, count: policies.length, policies };
}
