import { integrityOf, integrityStatus, type IntegrityFact, type IntegrityPoint, type IntegrityStatus } from '../domain/integrity.js';
import type { Quarter } from '../domain/reporting-period.js';
import type { IntegrityTable } from '../domain/rule-set.js';
import { csvRows } from './csv-table.js';

export interface AgentIntegrityLine {
  readonly agentId: string;
  readonly branchId: string;
  readonly points: readonly IntegrityPoint[];
  readonly totalPoints: number;
  readonly score: number;
  readonly status: IntegrityStatus;
  /** The score of the quarter before (100 when that quarter had no points). */
  readonly previousScore: number;
}

export interface IntegrityReport {
  readonly quarter: string;
  readonly from: string;
  readonly to: string;
  /** False while the quarter is still running: points may still come, the status is provisional. */
  readonly closed: boolean;
  readonly branchId?: string;
  readonly table: { readonly startScore: number; readonly restrictedBelow: number; readonly dismissalAfterConsecutive: number; readonly pointsPerCase: Readonly<Record<string, number>> };
  readonly agents: readonly AgentIntegrityLine[];
}

/**
 * The integrity report of a quarter from the facts of it and of the quarters before it
 * (`periods` oldest first, the reported quarter last; as many as the dismissal rule looks
 * back). Lists the agents with points in any of those quarters.
 */
export function integrityReport(periods: readonly { quarter: Quarter; facts: readonly IntegrityFact[] }[], table: IntegrityTable, now: Date, branchId?: string): IntegrityReport {
  const current = periods.at(-1);
  if (!current) throw new RangeError('integrityReport needs the reported quarter');
  const perPeriod = periods.map((p) => new Map(integrityOf(p.facts, table).map((a) => [a.agentId, a])));
  const agentIds = [...new Set(perPeriod.flatMap((m) => [...m.keys()]))].sort();
  const startScore = table.startScore;
  const agents = agentIds.map((agentId): AgentIntegrityLine => {
    const scores = perPeriod.map((m) => m.get(agentId)?.score ?? startScore);
    const own = perPeriod.at(-1)!.get(agentId);
    const latest = [...perPeriod].reverse().find((m) => m.has(agentId))!.get(agentId)!;
    return {
      agentId,
      branchId: own?.branchId ?? latest.branchId,
      points: own?.points ?? [],
      totalPoints: own?.totalPoints ?? 0,
      score: scores.at(-1)!,
      status: integrityStatus(scores, table),
      previousScore: scores.at(-2) ?? startScore,
    };
  });
  return {
    quarter: current.quarter.label,
    from: current.quarter.from.toISOString(),
    to: current.quarter.to.toISOString(),
    closed: now >= current.quarter.to,
    ...(branchId !== undefined ? { branchId } : {}),
    table: { startScore, restrictedBelow: table.restrictedBelow, dismissalAfterConsecutive: table.dismissalAfterConsecutive, pointsPerCase: { ...table.pointsPerCase } },
    agents,
  };
}

/** One line per case (an agent without cases in the quarter: one line with empty case columns). */
export function integrityCsv(report: IntegrityReport): string {
  const header = ['quarter', 'agentId', 'branchId', 'score', 'status', 'previousScore', 'totalPoints', 'case', 'policyId', 'at', 'points'];
  const rows = report.agents.flatMap((a) => {
    const head = [report.quarter, a.agentId, a.branchId, a.score, a.status, a.previousScore, a.totalPoints];
    return a.points.length === 0 ? [[...head, '', '', '', '']] : a.points.map((p) => [...head, p.case, p.policyId, p.at, p.points]);
  });
  return csvRows([header, ...rows]);
}
