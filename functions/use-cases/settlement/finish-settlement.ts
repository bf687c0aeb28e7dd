import { LargestDeferrals, SettlementTally } from '../../domain/settlement-totals.js';
import type { BranchSummary, SettlementTotals } from '../../ports/settlement-store.js';
import type { Dependencies } from '../dependencies.js';
import { dispatchMail } from '../notifications/dispatch-mail.js';
import { NotFoundError } from '../errors.js';
import { advanceSettlements, settlementRules } from './start-settlement.js';

const LARGEST_DEFERRALS = 5;

const REASON_TEXT: Readonly<Record<string, string>> = {
  HELD: '佣金缓发（人工回访或合规复核未结）',
  CALLBACK_PENDING: '回访未完成',
  RECEIPT_MISSING: '回执未回收',
  RECEIPT_NEVER_RETURNED: '回执逾期未回收（永久缓发）',
};

function deferralsText(summary: BranchSummary): string {
  if (summary.largestDeferrals.length === 0) return '  （无）';
  return summary.largestDeferrals
    .map((d, i) => `  ${i + 1}. 保单 ${d.policyId}（业务员 ${d.agentId}）${d.amount} 元，${REASON_TEXT[d.reason] ?? d.reason}`)
    .join('\n');
}

/** One e-mail per branch and month, its id the month's and the branch's: a rerun finds it sent. */
async function mailBranchManager(deps: Dependencies, summary: BranchSummary): Promise<void> {
  if ((await deps.settlements.getBranchSummary(summary.month, summary.branchId))?.emailedAt) return;
  const to = deps.recipients.branchManagers(summary.branchId);
  const { totals } = summary;
  const day = `${summary.month}-${String(settlementRules(deps).settlement.dayOfMonth).padStart(2, '0')}`;
  if (to.length > 0) {
    await dispatchMail(deps, {
      id: `settlement-branch-summary#${summary.month}#${summary.branchId}`,
      to,
      template: 'settlement-branch-summary',
      data: {
        month: summary.month,
        branchId: summary.branchId,
        settlementDay: day,
        paidCount: String(totals.paid.count),
        paidAmount: totals.paid.amount,
        deferredCount: String(totals.deferred.count),
        deferredAmount: totals.deferred.amount,
        forfeitedCount: String(totals.forfeited.count),
        forfeitedAmount: totals.forfeited.amount,
        largestDeferrals: deferralsText(summary),
      },
    });
  }
  await deps.settlements.markBranchSummaryEmailed(summary.month, summary.branchId, deps.clock.now().toISOString());
}

/**
 * Last step of a run. Primary course: 1. read the month's stored lines once, page by page,
 * totalling per branch (memory: one tally per branch); 2. store each branch summary and
 * e-mail it to the branch manager once; 3. mark the run COMPLETED with its totals; 4. start
 * the next month queued behind it (a rerun of this step starts it too, if a crash came
 * between). Everything is derived from the stored lines, so a rerun writes the same summaries.
 */
export async function finishSettlement(deps: Dependencies, month: string): Promise<{ month: string; totals: SettlementTotals }> {
  const run = await deps.settlements.getRun(month);
  if (!run) throw new NotFoundError(`no settlement run for ${month}`);
  if (run.status === 'COMPLETED' && run.totals) {
    await advanceSettlements(deps);
    return { month, totals: run.totals };
  }
  const all = new SettlementTally();
  const branches = new Map<string, { tally: SettlementTally; largest: LargestDeferrals }>();
  for await (const page of deps.settlements.readLines(month)) {
    for (const line of page) {
      all.add(line);
      let branch = branches.get(line.branchId);
      if (!branch) branches.set(line.branchId, (branch = { tally: new SettlementTally(), largest: new LargestDeferrals(LARGEST_DEFERRALS) }));
      branch.tally.add(line);
      branch.largest.add(line);
    }
  }
  for (const branchId of [...branches.keys()].sort()) {
    const branch = branches.get(branchId)!;
    const summary: BranchSummary = { month, branchId, totals: branch.tally.totals(), largestDeferrals: branch.largest.list() };
    await deps.settlements.putBranchSummary(summary);
    await mailBranchManager(deps, summary);
  }
  const totals = all.totals();
  await deps.settlements.completeRun(month, totals, deps.clock.now().toISOString());
  await advanceSettlements(deps);
  return { month, totals };
}
