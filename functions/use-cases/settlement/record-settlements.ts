import { chainEvent, eventTimeAfter } from '../../lifecycle/event-append.js';
import type { EventData } from '../../lifecycle/events.js';
import { type Projection, projectionOf, settledClosedProjection } from '../../lifecycle/projection.js';
import { ConcurrentAppendError } from '../../ports/policy-repository.js';
import type { SettlementLine, UnpaidCommission } from '../../ports/settlement-store.js';
import type { Dependencies } from '../dependencies.js';
import { runPolicyCommand } from '../policy-command.js';

/** A final line (PAY, FORFEIT, deferred for good) and the unpaid commission it settles. */
export interface FinalSettlement {
  readonly commission: UnpaidCommission;
  readonly line: SettlementLine;
}

const APPENDS_IN_FLIGHT = 32;

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function eventOf(line: SettlementLine): EventData {
  return {
    type: 'CommissionSettled',
    month: line.month,
    decision: line.decision,
    ...(line.reason ? { reason: line.reason } : {}),
    gross: line.gross,
    deductions: line.deductions.map((d) => ({ code: d.code, amount: d.amount })),
    net: line.net,
  };
}

/**
 * Writes each final line into its policy's hash-chained log (`CommissionSettled`, so the view
 * shows PAID and the commission leaves the unpaid set), once: the line is stored first, so a
 * crash in between leaves the policy unpaid with its line, and the next attempt completes it.
 *
 * Fast path, for closed lifecycles: append right after the head the view was projected from
 * (no read) and re-write the views in batches. The conditional append proves the facts the
 * line was decided on were current. Anything else (an open lifecycle, a log that moved on)
 * goes through the ordinary command: load, decide, append, project.
 */
export async function recordSettlements(deps: Dependencies, finals: readonly FinalSettlement[]): Promise<void> {
  const now = deps.clock.now();
  const retired: Projection[] = [];
  const slow: FinalSettlement[] = finals.filter((f) => f.commission.lifecycleOpen);
  await forEachConcurrently(finals.filter((f) => !f.commission.lifecycleOpen), APPENDS_IN_FLIGHT, async (f) => {
    try {
      const head = f.commission.head;
      // Never earlier than the event it follows (a clock behind the log would otherwise time it before).
      const event = chainEvent(f.commission.policyId, head, { at: eventTimeAfter(now, head.lastAt), actor: actorOf(f.line), data: eventOf(f.line) });
      await deps.repository.appendEvent(event, f.commission.facts);
      retired.push(settledClosedProjection(event));
    } catch (error) {
      if (!(error instanceof ConcurrentAppendError)) throw error;
      slow.push(f);
    }
  });
  await deps.unpaid.retire(retired);
  await forEachConcurrently(slow, 8, (f) => recordOnPolicy(deps, f.line));
}

const actorOf = (line: SettlementLine) => ({ role: 'workflow', subject: `settlement-${line.month}` });

/** The ordinary path; a PAY decided before a cancellation arrived becomes a FORFEIT (a cancelled policy is never paid). */
async function recordOnPolicy(deps: Dependencies, decided: SettlementLine): Promise<void> {
  const loaded = await deps.repository.load(decided.policyId);
  if (!loaded) return;
  if (loaded.state.settlement) {
    // Recorded by an attempt that died before re-writing the view: heal it, so it leaves the unpaid index.
    if (loaded.viewVersion !== loaded.state.version) await deps.repository.project(projectionOf(loaded.state));
    return;
  }
  let line = decided;
  if (line.decision === 'PAY' && loaded.state.cancelled) {
    line = { ...line, decision: 'FORFEIT', reason: 'CANCELLED', deductions: [], net: '0.00' };
    await deps.settlements.putLines([line]);
  }
  await runPolicyCommand(deps, line.policyId, actorOf(line), ({ state }) => ({
    event: state.settlement ? undefined : eventOf(line),
    result: () => undefined,
  }), loaded);
}
