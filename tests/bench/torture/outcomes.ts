import type { Snapshot } from './snapshot.js';
import type { Path, PlannedPolicy } from './workload.js';

const PASSED: readonly Path[] = ['passFirst', 'retryThenPass', 'updateThenPass', 'confirmThenPass', 'windowThenPass', 'early', 'exemptRejected', 'findingsDismiss'];

type View = {
  stage?: string;
  callback?: { status?: string };
  commission?: { status?: string; deductions?: { code: string }[] };
  receipt?: { late?: boolean };
};

/** Where each policy must end in the uninterrupted run, by its path and receipt (docs/rules.md §3–§5). */
function expectedOf(p: PlannedPolicy) {
  const cancelled = p.path.startsWith('cancel');
  const forfeited = p.path === 'visitFailure' || p.path === 'findingsUphold';
  const wrongPhone = p.path === 'visitWrongPhone' || (p.path === 'visitLate' && p.index % 2 === 0);
  return {
    stage: cancelled ? 'CANCELLED' : 'COMPLETED',
    callback: PASSED.includes(p.path) ? 'PASSED' : p.path === 'exempt' ? 'EXEMPT' : p.path === 'findingsUphold' ? 'FINDINGS' : undefined,
    // Every receipt but a never-returned one is back before June's settlement, which pays it.
    commission: cancelled ? 'CANCELLED' : forfeited ? 'FORFEITED' : p.receipt === 'never' ? undefined : 'PAID',
    deductions: cancelled || forfeited ? undefined : [...(wrongPhone ? ['WRONG_PHONE'] : []), ...(p.receipt === 'late' ? ['LATE_RECEIPT'] : [])].sort().join(','),
  };
}

/**
 * Checks that the workload did drive each policy down its path: a mismatch in the
 * uninterrupted run is a wrong workload (or a rule broken without any crash), not a crash effect.
 */
export function workloadMismatches(policies: readonly PlannedPolicy[], snapshot: Snapshot): string[] {
  const out: string[] = [];
  for (const p of policies) {
    const view = snapshot.views[p.policyId]?.body as View | undefined;
    const want = expectedOf(p);
    const got = {
      stage: view?.stage,
      callback: want.callback === undefined ? undefined : view?.callback?.status,
      commission: want.commission === undefined ? undefined : view?.commission?.status,
      deductions: want.deductions === undefined ? undefined : (view?.commission?.deductions ?? []).map((d) => d.code).sort().join(','),
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${p.policyId} (${p.path}, receipt ${p.receipt}): expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  return out;
}
