import { DateTime } from 'luxon';
import { isBeforeSettlementCutoff } from '../domain/calendar.js';
import { BusinessRuleError } from '../domain/errors.js';
import { resolveRuleSet } from '../domain/rule-set.js';
import type { SettlementRun } from '../ports/settlement-store.js';
import type { Dependencies } from './dependencies.js';
import { ConflictError } from './errors.js';

/** The rule set whose settlement day, time and zone the run follows (new policies' set). */
export const settlementRules = (deps: Dependencies) => resolveRuleSet(deps.defaultRuleSet);

/** The settlement month an instant of the schedule belongs to: its local month in the settlement zone. */
export function monthOfScheduledTime(at: Date, deps: Dependencies): string {
  return DateTime.fromJSDate(at, { zone: settlementRules(deps).settlement.timeZone }).toFormat('yyyy-MM');
}

/**
 * Runs a month's settlement (POST /v1/settlements, the schedule on the 20th, a local restart).
 * Primary course: 1. the month's cutoff (the 20th, local) has come; 2. no later month has run
 * and no earlier one is unfinished (months settle in order, so each sees the unpaid set as
 * the one before left it); 3. a completed run is returned as it is (running again changes
 * nothing); 4. otherwise the run is created, or an attempt whose execution ended or was lost
 * is restarted as the next attempt, and its execution started under a name per month and
 * attempt. Lines already stored are kept, so every attempt yields the same statement.
 */
export async function startSettlement(deps: Dependencies, month: string, trigger: string): Promise<{ run: SettlementRun; started: boolean }> {
  const rules = settlementRules(deps);
  const now = deps.clock.now();
  if (isBeforeSettlementCutoff(now, month, rules)) {
    const day = `${month}-${String(rules.settlement.dayOfMonth).padStart(2, '0')}`;
    throw new BusinessRuleError('SETTLEMENT_NOT_DUE', `the settlement of ${month} cannot run before ${day} (${rules.settlement.timeZone}); it is now ${now.toISOString()}`, { month, dueOn: day });
  }
  const runs = await deps.settlements.listRuns();
  const later = runs.filter((r) => r.month > month).sort((a, b) => (a.month < b.month ? 1 : -1))[0];
  if (later) throw new ConflictError('SETTLEMENT_OUT_OF_ORDER', `the settlement of ${later.month} has already run; ${month} can no longer be settled`);
  const unfinished = runs.find((r) => r.month < month && r.status === 'RUNNING');
  if (unfinished) throw new ConflictError('EARLIER_SETTLEMENT_RUNNING', `the settlement of ${unfinished.month} has not finished; run it again first (POST {"month": "${unfinished.month}"})`);

  for (let tries = 0; tries < 5; tries++) {
    const run = await deps.settlements.getRun(month);
    if (!run) {
      const created: SettlementRun = { month, status: 'RUNNING', attempt: 1, startedAt: now.toISOString(), trigger };
      if (!(await deps.settlements.createRun(created))) continue;
      await deps.workflow.startSettlement(month, 1);
      return { run: created, started: true };
    }
    if (run.status === 'COMPLETED') return { run, started: false };
    if ((await deps.workflow.settlementStatus(month, run.attempt)) === 'RUNNING') return { run, started: false };
    if (!(await deps.settlements.restartRun(month, run.attempt))) continue;
    await deps.workflow.startSettlement(month, run.attempt + 1);
    return { run: { ...run, attempt: run.attempt + 1 }, started: true };
  }
  throw new ConflictError('CONTENTION', `the settlement of ${month} is being started concurrently; retry`);
}

/**
 * Local start-up: a run left RUNNING (its execution died with the process) starts again as
 * its next attempt. Runs go in month order, so there is at most one. If the clock stands
 * before its cutoff (it was persisted before the 20th's timer had settled), the timer fires
 * again on the next advance and resumes it then.
 */
export async function resumeSettlement(deps: Dependencies): Promise<string | undefined> {
  const run = (await deps.settlements.listRuns()).find((r) => r.status === 'RUNNING');
  if (!run || isBeforeSettlementCutoff(deps.clock.now(), run.month, settlementRules(deps))) return undefined;
  return (await startSettlement(deps, run.month, 'resume')).started ? run.month : undefined;
}
