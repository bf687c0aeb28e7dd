import { isWithinCallingHours } from '../../domain/calendar.js';
import { customerDataAccess, shownCustomer } from '../../domain/customer-privacy.js';
import { ruleSetByVersion } from '../../domain/rule-set.js';
import { relationOfWorkItem } from '../../lifecycle/customer-access.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import { projectionOf } from '../../lifecycle/projection.js';
import type { QueuedWork, WorkBucket, WorkItem } from '../../ports/policy-repository.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { assertMayActOn, policyNotFound } from '../guards.js';
import { branchFilterFor } from '../scope.js';

export async function getPolicy(deps: Dependencies, policyId: string, caller: Caller): Promise<PolicyView> {
  const loaded = await deps.repository.load(policyId);
  if (!loaded) throw policyNotFound(policyId, caller);
  assertMayActOn(loaded.state, caller);
  return policyView(loaded.state, caller, deps.clock.now());
}

/**
 * A page of a queue as the logs stand: an entry whose view is behind its log (a crash between
 * an append and its projection) is rebuilt from the log for display — not rewritten: lists are
 * read-only; the next command, workflow step or settlement heals the view — and kept only if it
 * still belongs to the queue (and is due by `dueBy`). One existence read per page proves the others current.
 */
async function currentWork(deps: Dependencies, bucket: WorkBucket, page: readonly QueuedWork[], dueBy?: string): Promise<WorkItem[]> {
  const behind = await deps.repository.logsAhead(page.map((q) => ({ policyId: q.item.policyId, version: q.version })));
  if (behind.size === 0) return page.map((q) => q.item);
  const items: WorkItem[] = [];
  for (const { item } of page) {
    if (!behind.has(item.policyId)) {
      items.push(item);
      continue;
    }
    const loaded = await deps.repository.load(item.policyId);
    if (!loaded) continue;
    const projection = projectionOf(loaded.state);
    if (projection.work?.bucket === bucket && (dueBy === undefined || projection.work.dueAt <= dueBy)) items.push(projection.work);
  }
  return items.sort((a, b) => (a.dueAt === b.dueAt ? a.policyId.localeCompare(b.policyId) : a.dueAt < b.dueAt ? -1 : 1));
}

/** Due items read at most per call, so a queue that is mostly outside calling hours still answers quickly. */
const MAX_DUE_SCANNED = 10_000;

/** The customer of a queue entry as the caller may see it; nothing when the entry carries none. */
function customerOf(item: WorkItem, caller: Caller) {
  return item.customer ? shownCustomer(item.customer, customerDataAccess(caller, relationOfWorkItem(item))) : undefined;
}

/** The dialling queue: open rounds whose next call may be made now, in the customer's calling hours. */
export async function listDueCallbacks(deps: Dependencies, caller: Caller, limit: number) {
  const now = deps.clock.now();
  const callable: WorkItem[] = [];
  const pageSize = limit * 2;
  let after: WorkItem | undefined;
  // Items whose customers are outside calling hours are skipped, so read on until the page is full.
  for (let scanned = 0; callable.length < limit && scanned < MAX_DUE_SCANNED; scanned += pageSize) {
    const page = await deps.repository.listWork('DIAL', now.toISOString(), pageSize, after);
    const current = await currentWork(deps, 'DIAL', page, now.toISOString());
    callable.push(...current.filter((item) => isWithinCallingHours(now, item.timeZone, ruleSetByVersion(item.ruleSet.name, item.ruleSet.version))));
    if (page.length < pageSize) break;
    after = page.at(-1)?.item;
  }
  return callable.slice(0, limit).map((item) => {
    const customer = customerOf(item, caller);
    return { policyId: item.policyId, round: item.round, attemptsSoFar: item.attemptsSoFar, phone: customer?.phone, name: customer?.name, notBefore: item.dueAt };
  });
}

/** Manual visits (with the customer to visit) or compliance reviews waiting, oldest due first, optionally for one branch. */
export async function listOpenWork(deps: Dependencies, caller: Caller, bucket: Extract<WorkBucket, 'VISIT' | 'REVIEW'>, limit: number, requestedBranch?: string) {
  const branchId = branchFilterFor(caller, requestedBranch, bucket === 'VISIT' ? 'the manual visits' : 'the reviews');
  const items = await currentWork(deps, bucket, await deps.repository.listWork(bucket, undefined, 5000));
  return items
    .filter((item) => !branchId || item.branchId === branchId)
    .slice(0, limit)
    .map((item) => {
      const customer = customerOf(item, caller);
      return {
        policyId: item.policyId, branchId: item.branchId, agentId: item.agentId, dueBy: item.dueAt, overdue: new Date(item.dueAt) < deps.clock.now(),
        ...(customer ? { policyholder: customer } : {}),
      };
    });
}
