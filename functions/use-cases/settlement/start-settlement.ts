import { DateTime } from 'luxon';
import { isBeforeSettlementCutoff, settlementMonthFor } from '../../domain/calendar.js';
import { BusinessRuleError } from '../../domain/errors.js';
import { resolveRuleSet } from '../../domain/rule-set.js';
import type { SettlementRun } from '../../ports/settlement-store.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';

/** The rule set whose settlement day, time and zone the run follows (new policies' set). */
export const settlementRules = (deps: Dependencies) => resolveRuleSet(deps.defaultRuleSet);

/** The settlement month an instant of the schedule belongs to: its local month in the settlement zone. */
export function monthOfScheduledTime(at: Date, deps: Dependencies): string {
  return DateTime.fromJSDate(at, { zone: settlementRules(deps).settlement.timeZone }).toFormat('yyyy-MM');
}

const nextMonth = (month: string) => DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');

/** `from` .. `to`, both included, in order (none when from > to). */
function monthsThrough(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/**
 * The first month a new run must settle before `month`: the month after the latest run, or,
 * when none ever ran, the first month whose cutoff came after the earliest commission was
 * registered (nothing could be settled before it). Never after `month` itself.
 */
async function firstMonthToSettle(deps: Dependencies, runs: readonly SettlementRun[], month: string): Promise<string> {
  const latest = runs.at(-1);
  if (latest) return nextMonth(latest.month);
  const earliest = await deps.unpaid.earliestRegistration();
  const first = earliest ? settlementMonthFor(new Date(earliest), settlementRules(deps)) : month;
  return first < month ? first : month;
}

export interface StartedSettlement {
  readonly run: SettlementRun;
  /** This call started an execution (of this month, or of the first month queued before it). */
  readonly started: boolean;
  /** The months this call queued before `run`'s month, because they had never run (settled first, in order). */
  readonly catchUp: readonly string[];
}

/**
 * Runs a month's settlement (POST /v1/settlements, the schedule on the 20th, a local restart).
 * Primary course: 1. the month's cutoff (the 20th, local) has come; 2. a completed run is
 * returned as it is, whatever ran since (running again changes nothing); 3. otherwise every
 * month from the first one never run up to this one is queued (months settle in order, so
 * each sees the unpaid set as the one before left it, and none is skipped: each gets its own
 * statement); 4. the earliest unfinished month is started (see advanceSettlements); each
 * completed month starts the next queued one. Lines already stored are kept, so every attempt
 * yields the same statement.
 */
export async function startSettlement(deps: Dependencies, month: string, trigger: string): Promise<StartedSettlement> {
  const rules = settlementRules(deps);
  const now = deps.clock.now();
  if (isBeforeSettlementCutoff(now, month, rules)) {
    const day = `${month}-${String(rules.settlement.dayOfMonth).padStart(2, '0')}`;
    throw new BusinessRuleError('SETTLEMENT_NOT_DUE', `the settlement of ${month} cannot run before ${day} (${rules.settlement.timeZone}); it is now ${now.toISOString()}`, { month, dueOn: day });
  }
  const runs = await deps.settlements.listRuns();
  const existing = runs.find((r) => r.month === month);
  if (existing?.status === 'COMPLETED') return { run: existing, started: false, catchUp: [] };
  let catchUp: string[] = [];
  if (!existing) {
    const latest = runs.at(-1);
    if (latest && latest.month > month) throw new ConflictError('SETTLEMENT_OUT_OF_ORDER', `the settlement of ${latest.month} has already run and ${month} never did: no commission is left to settle as of ${month}`);
    const months = monthsThrough(await firstMonthToSettle(deps, runs, month), month);
    for (const m of months) {
      const queued: SettlementRun = { month: m, status: 'QUEUED', attempt: 0, startedAt: now.toISOString(), trigger };
      // Someone else may queue the same months at the same time: one item per month either way.
      await deps.settlements.createRun(queued);
    }
    catchUp = months.slice(0, -1);
  }
  const started = (await advanceSettlements(deps)) !== undefined;
  const run = await deps.settlements.getRun(month);
  if (!run) throw new Error(`the settlement run of ${month} vanished`);
  return { run, started, catchUp };
}

/**
 * Moves the settlement on: the earliest month not completed starts, unless its execution is
 * still running — a QUEUED month as its first attempt, a RUNNING one whose execution ended or
 * was lost (a crash, a local restart) as its next attempt, under a name per month and
 * attempt. Called by every start and when a month completes. Returns the month started.
 */
export async function advanceSettlements(deps: Dependencies): Promise<string | undefined> {
  for (let tries = 0; tries < 5; tries++) {
    const next = (await deps.settlements.listRuns()).find((r) => r.status !== 'COMPLETED');
    if (!next) return undefined;
    if (next.status === 'QUEUED') {
      if (!(await deps.settlements.startQueuedRun(next.month, deps.clock.now().toISOString()))) continue;
      await deps.workflow.startSettlement(next.month, 1);
      return next.month;
    }
    if ((await deps.workflow.settlementStatus(next.month, next.attempt)) === 'RUNNING') return undefined;
    if (!(await deps.settlements.restartRun(next.month, next.attempt))) continue;
    await deps.workflow.startSettlement(next.month, next.attempt + 1);
    return next.month;
  }
  throw new ConflictError('CONTENTION', 'the settlement is being started concurrently; retry');
}

/**
 * Local start-up: a run left RUNNING (its execution died with the process), or queued behind
 * it, starts again. If the clock stands before its cutoff (it was persisted before the 20th's
 * timer had settled), the timer fires again on the next advance and resumes it then.
 */
export async function resumeSettlement(deps: Dependencies): Promise<string | undefined> {
  const run = (await deps.settlements.listRuns()).find((r) => r.status !== 'COMPLETED');
  if (!run || isBeforeSettlementCutoff(deps.clock.now(), run.month, settlementRules(deps))) return undefined;
  return advanceSettlements(deps);
}
