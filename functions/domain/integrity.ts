/**
 * The agent integrity file (docs/rules.md §9): points per case (seed 002 第六章) and a score
 * per agent per quarter from 100 down, with the seed 003 thresholds. Pure: facts in, scores out.
 */
import type { IntegrityCase } from './integrity-cases.js';
import type { IntegrityTable } from './rule-set.js';

export type IntegrityStatus = 'OK' | 'RESTRICTED' | 'DISMISSAL_PROPOSED';

/** One case on an agent's file: what, on which policy, when it was recorded. */
export interface IntegrityFact {
  readonly case: IntegrityCase;
  readonly agentId: string;
  readonly branchId: string;
  readonly policyId: string;
  readonly at: string;
}

export interface IntegrityPoint {
  readonly case: IntegrityCase;
  readonly policyId: string;
  readonly at: string;
  readonly points: number;
}

export interface AgentIntegrity {
  readonly agentId: string;
  /** The branch of the agent's latest case (an agent's policies are its branch's). */
  readonly branchId: string;
  readonly points: readonly IntegrityPoint[];
  readonly totalPoints: number;
  readonly score: number;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Points have at most one decimal (rule-set schema); summing tenths as integers keeps totals exact.
const tenths = (points: number) => Math.round(points * 10);

/** Score from `startScore` down by the points, 1 point = 1 score point (002 每件扣 N 分), never below 0. */
export function scoreOf(totalPoints: number, table: IntegrityTable): number {
  return Math.max(0, tenths(table.startScore) - tenths(totalPoints)) / 10;
}

/** Per agent, the points of the facts of one period, oldest first; agents sorted by id. */
export function integrityOf(facts: readonly IntegrityFact[], table: IntegrityTable): AgentIntegrity[] {
  const byAgent = new Map<string, IntegrityFact[]>();
  for (const fact of facts) {
    const own = byAgent.get(fact.agentId) ?? [];
    own.push(fact);
    byAgent.set(fact.agentId, own);
  }
  return [...byAgent.entries()].sort(([a], [b]) => compare(a, b)).map(([agentId, own]) => {
    // Stable sort: cases of one event keep their order (proxy signature before misleading).
    const sorted = [...own].sort((a, b) => compare(a.at, b.at) || compare(a.policyId, b.policyId));
    const points = sorted.map((f) => ({ case: f.case, policyId: f.policyId, at: f.at, points: table.pointsPerCase[f.case] }));
    const total = points.reduce((sum, p) => sum + tenths(p.points), 0) / 10;
    return { agentId, branchId: sorted.at(-1)!.branchId, points, totalPoints: total, score: scoreOf(total, table) };
  });
}

/**
 * 003: below `restrictedBelow` the agent is restricted (限制展业); below it in
 * `dismissalAfterConsecutive` consecutive periods, proposed for dismissal (清退).
 * `scores` are the agent's scores of consecutive periods, oldest first, the period judged last.
 */
export function integrityStatus(scores: readonly number[], table: IntegrityTable): IntegrityStatus {
  const below = (score: number) => score < table.restrictedBelow;
  const current = scores.at(-1);
  if (current === undefined || !below(current)) return 'OK';
  const run = scores.slice(-table.dismissalAfterConsecutive);
  return run.length === table.dismissalAfterConsecutive && run.every(below) ? 'DISMISSAL_PROPOSED' : 'RESTRICTED';
}
