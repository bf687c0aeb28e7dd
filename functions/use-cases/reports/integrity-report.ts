import { integrityOf } from '../../domain/integrity.js';
import { parseQuarter, quarterOf, type Quarter } from '../../domain/reporting-period.js';
import { integrityTableOf, resolveRuleSet, type IntegrityTable } from '../../domain/rule-set.js';
import { integrityCsv, integrityReport, type IntegrityReport } from '../../reporting/integrity-report.js';
import { recordAccess } from '../audit/access-log.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { integrityFactsByQuarter, quartersEndingWith } from './integrity-facts.js';
import { branchFilterFor } from '../scope.js';

/** The company's table: that of the rule set new policies get (configuration), the seed's by default. */
export function integrityTable(deps: Dependencies): IntegrityTable {
  return integrityTableOf(resolveRuleSet(deps.defaultRuleSet));
}

function quarterOrThrow(label: string): Quarter {
  const quarter = parseQuarter(label);
  if (!quarter) throw new ValidationError('quarter is invalid', [{ field: 'quarter', rule: 'format', message: 'must be YYYY-Qn, e.g. 2026-Q1' }]);
  return quarter;
}

/** The report of one quarter, reading as many quarters back as the dismissal rule needs. */
export async function buildIntegrityReport(deps: Dependencies, quarterLabel: string, branchId?: string): Promise<IntegrityReport> {
  const table = integrityTable(deps);
  const quarters = quartersEndingWith(quarterOrThrow(quarterLabel), Math.max(2, table.dismissalAfterConsecutive));
  const facts = await integrityFactsByQuarter(deps, quarters, branchId);
  return integrityReport(quarters.map((quarter, i) => ({ quarter, facts: facts[i]! })), table, deps.clock.now(), branchId);
}

/**
 * `GET /v1/reports/integrity?branchId&quarter`: head-office roles for any branch or all;
 * branch staff name their branch; an agent sees its own file only.
 */
export async function getIntegrityReport(deps: Dependencies, caller: Caller, query: { readonly quarter: string; readonly branchId?: string }, format: 'json' | 'csv') {
  const branchId = branchFilterFor(caller, query.branchId, 'the integrity report');
  if (caller.role === 'branch' && branchId === undefined) throw new ForbiddenError('branch staff read the integrity report of their branch: give branchId');
  if (caller.role === 'agent' && !caller.subject) throw new ForbiddenError('an agent reads its own integrity file: the caller has no agent id');
  quarterOrThrow(query.quarter);
  await recordAccess(deps, caller, 'report:integrity', { filters: { quarter: query.quarter, branchId, format } });
  const full = await buildIntegrityReport(deps, query.quarter, branchId);
  const report = caller.role === 'agent' ? { ...full, agents: full.agents.filter((a) => a.agentId === caller.subject) } : full;
  return format === 'csv' ? integrityCsv(report) : report;
}

/**
 * Scores of a branch's agents for the quality report: of the quarter holding the period's
 * last instant (or now, when the period ends later). Agents without points score the start.
 */
export async function integrityScoresOf(deps: Dependencies, branchId: string, periodTo: string): Promise<{ quarter: string; scoreOf: (agentId: string) => number }> {
  const table = integrityTable(deps);
  const end = Math.min(new Date(periodTo).getTime() - 1, deps.clock.now().getTime());
  const quarter = quarterOf(new Date(end));
  const [facts = []] = await integrityFactsByQuarter(deps, [quarter], branchId);
  const scores = new Map(integrityOf(facts, table).map((a) => [a.agentId, a.score]));
  return { quarter: quarter.label, scoreOf: (agentId) => scores.get(agentId) ?? table.startScore };
}
