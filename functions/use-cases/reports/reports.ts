import { parseQuarter } from '../../domain/reporting-period.js';
import { falseContactCsv, falseContactReport, type FalseContactReport } from '../../reporting/false-contact-report.js';
import { qualityTally } from '../../reporting/quality-report.js';
import { recordAccess } from '../audit/access-log.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ValidationError } from '../errors.js';
import { monthsOfPeriod, type Period } from '../period.js';
import { integrityScoresOf } from './integrity-report.js';
import { assertBranchInScope, branchScopeOf } from '../scope.js';

/** The quarter's report, from the sparse false-contact index (a handful of events, never a scan). */
export async function buildFalseContactReport(deps: Dependencies, quarterLabel: string, branchId?: string): Promise<FalseContactReport> {
  const quarter = parseQuarter(quarterLabel);
  if (!quarter) throw new ValidationError('quarter is invalid', [{ field: 'quarter', rule: 'format', message: 'must be YYYY-Qn, e.g. 2026-Q1' }]);
  const events = await deps.audit.falseContactEvents(quarter.label);
  // A branch's manager reads its own branch's findings only (docs/api.md, Staff and scope).
  return falseContactReport(quarter, branchId === undefined ? events : events.filter((e) => e.branchId === branchId), deps.clock.now());
}

/** `GET /v1/reports/false-contact?quarter=`: JSON, or CSV for `Accept: text/csv`. */
export async function getFalseContactReport(deps: Dependencies, caller: Caller, quarter: string, format: 'json' | 'csv') {
  const branchId = branchScopeOf(caller);
  const report = await buildFalseContactReport(deps, quarter, branchId);
  await recordAccess(deps, caller, 'report:false-contact', { filters: { quarter, format, ...(branchId ? { branchId } : {}) } });
  return format === 'csv' ? falseContactCsv(report) : report;
}

/** `GET /v1/reports/quality?branchId&from&to`: per agent of the branch, from the branch's events in the period. */
export async function getQualityReport(deps: Dependencies, caller: Caller, query: Period & { readonly branchId: string }) {
  assertBranchInScope(caller, query.branchId, 'the quality report');
  const period = monthsOfPeriod(query);
  await recordAccess(deps, caller, 'report:quality', { filters: { branchId: query.branchId, from: period.from, to: period.to } });
  const tally = qualityTally();
  for await (const event of deps.audit.branchEvents(query.branchId, period.from, period.to)) tally.add(event);
  // Additive (docs/rules.md §9): each agent's integrity score of the quarter the period ends in.
  const integrity = await integrityScoresOf(deps, query.branchId, period.to);
  const agents = tally.result().map((a) => ({ ...a, integrityScore: integrity.scoreOf(a.agentId) }));
  return { branchId: query.branchId, from: period.from, to: period.to, integrityQuarter: integrity.quarter, agents };
}
