import type { WorkItem } from '../lifecycle/work-item.js';

/** A policy whose callback has not passed and whose cooling-off period ends soon (docs/rules.md §8). No customer data. */
export interface CoolingOffAtRisk {
  readonly policyId: string;
  readonly agentId: string;
  readonly branchId: string;
  /** The work queue it waits in: WAITING (first callback not due yet), DIAL, CONTACT, VISIT or REVIEW. */
  readonly waitingIn: WorkItem['bucket'];
  readonly coolingOffEndsAt: string;
  readonly hoursLeft: number;
}

/** The entries of open lifecycles whose period ends in (now, now + withinDays], soonest first. */
export function coolingOffAtRisk(items: Iterable<WorkItem>, now: Date, withinDays: number): CoolingOffAtRisk[] {
  const from = now.getTime();
  const until = from + withinDays * 86_400_000;
  const out: CoolingOffAtRisk[] = [];
  for (const item of items) {
    if (!item.coolingOffEndsAt) continue;
    const ends = new Date(item.coolingOffEndsAt).getTime();
    if (ends <= from || ends > until) continue;
    out.push({
      policyId: item.policyId, agentId: item.agentId, branchId: item.branchId, waitingIn: item.bucket,
      coolingOffEndsAt: item.coolingOffEndsAt, hoursLeft: Math.floor((ends - from) / 3_600_000),
    });
  }
  return out.sort((a, b) => (a.coolingOffEndsAt < b.coolingOffEndsAt ? -1 : a.coolingOffEndsAt > b.coolingOffEndsAt ? 1 : a.policyId < b.policyId ? -1 : 1));
}
