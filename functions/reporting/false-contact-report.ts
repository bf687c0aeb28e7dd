import type { Quarter } from '../domain/reporting-period.js';
import type { AuditedEvent } from '../audit/audited-event.js';
import { csvRows } from './csv-table.js';
import { falseContactKindOf, type FalseContactKind } from './false-contact.js';

export interface FalseContactPolicy {
  readonly policyId: string;
  readonly branchId: string;
  readonly kinds: readonly FalseContactKind[];
  readonly firstFoundAt: string;
  /** Events that recorded a finding on this policy in the quarter. */
  readonly findings: number;
}

export interface FalseContactReport {
  readonly quarter: string;
  readonly from: string;
  readonly to: string;
  /** False while the quarter is still running: the figures may grow. */
  readonly closed: boolean;
  readonly agents: readonly { readonly agentId: string; readonly count: number; readonly policies: readonly FalseContactPolicy[] }[];
  readonly totals: { readonly agents: number; readonly policies: number; readonly findings: number };
}

/**
 * The quarterly false-information summary (docs/rules.md §3, §6): per agent, the policies on which
 * false customer contact information was found in the quarter, each counted once.
 */
export function falseContactReport(quarter: Quarter, events: readonly AuditedEvent[], now: Date): FalseContactReport {
  const byAgent = new Map<string, Map<string, { branchId: string; kinds: Set<FalseContactKind>; firstFoundAt: string; findings: number }>>();
  const inQuarter = (at: string) => at >= quarter.from.toISOString() && at < quarter.to.toISOString();
  for (const event of events) {
    const kind = falseContactKindOf(event.data);
    if (!kind || !inQuarter(event.at)) continue;
    const policies = byAgent.get(event.agentId) ?? new Map();
    byAgent.set(event.agentId, policies);
    const entry = policies.get(event.policyId) ?? { branchId: event.branchId, kinds: new Set(), firstFoundAt: event.at, findings: 0 };
    entry.kinds.add(kind);
    entry.findings += 1;
    if (event.at < entry.firstFoundAt) entry.firstFoundAt = event.at;
    policies.set(event.policyId, entry);
  }
  const agents = [...byAgent.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([agentId, policies]) => ({
    agentId,
    count: policies.size,
    policies: [...policies.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([policyId, p]) => ({
      policyId, branchId: p.branchId, kinds: [...p.kinds].sort(), firstFoundAt: p.firstFoundAt, findings: p.findings,
    })),
  }));
  return {
    quarter: quarter.label,
    from: quarter.from.toISOString(),
    to: quarter.to.toISOString(),
    closed: now >= quarter.to,
    agents,
    totals: {
      agents: agents.length,
      policies: agents.reduce((n, a) => n + a.count, 0),
      findings: agents.reduce((n, a) => n + a.policies.reduce((m, p) => m + p.findings, 0), 0),
    },
  };
}

/** One line per (agent, policy), for spreadsheets and the regulator's templates. */
export function falseContactCsv(report: FalseContactReport): string {
  const header = ['quarter', 'agentId', 'policyId', 'branchId', 'kinds', 'firstFoundAt', 'findings'];
  const rows = report.agents.flatMap((agent) => agent.policies.map((p) => [report.quarter, agent.agentId, p.policyId, p.branchId, p.kinds.join('|'), p.firstFoundAt, p.findings]));
  return csvRows([header, ...rows]);
}
