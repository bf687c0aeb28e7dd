import { Money } from '../../domain/money.js';
import { SettlementTally } from '../../domain/settlement-totals.js';
import { csvRows } from '../../reporting/csv-table.js';
import type { SettlementLine, SettlementRun } from '../../ports/settlement-store.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError, NotFoundError } from '../errors.js';

export interface StatementLine {
  readonly policyId: string;
  readonly branchId: string;
  readonly decision: SettlementLine['decision'];
  readonly reason?: string;
  readonly reasons?: readonly string[];
  readonly gross: string;
  readonly deductions: SettlementLine['deductions'];
  readonly net: string;
}

export interface AgentStatement {
  readonly agentId: string;
  readonly lines: StatementLine[];
  /** Sum of the lines' net: what the agent is paid this month. */
  totalNet: string;
}

async function runOf(deps: Dependencies, month: string): Promise<SettlementRun> {
  const run = await deps.settlements.getRun(month);
  if (!run) throw new NotFoundError(`no settlement has run for ${month}`);
  return run;
}

function statementLine(line: SettlementLine): StatementLine {
  const { policyId, branchId, decision, reason, reasons, gross, deductions, net } = line;
  return { policyId, branchId, decision, ...(reason ? { reason } : {}), ...(reasons ? { reasons } : {}), gross, deductions, net };
}

/**
 * Lines grouped by agent, in stored order (agent, then policy); only one branch's lines when
 * `branchId` is given (a branch's manager reads its own branch's lines: docs/api.md, Staff and scope).
 */
async function* agentGroups(deps: Dependencies, month: string, agentId?: string, branchId?: string): AsyncIterable<{ agentId: string; lines: SettlementLine[] }> {
  let current: { agentId: string; lines: SettlementLine[] } | undefined;
  for await (const page of deps.settlements.readLines(month, agentId)) {
    for (const line of page) {
      if (branchId !== undefined && line.branchId !== branchId) continue;
      if (current && current.agentId !== line.agentId) {
        yield current;
        current = undefined;
      }
      current ??= { agentId: line.agentId, lines: [] };
      current.lines.push(line);
    }
  }
  if (current) yield current;
}

const sumNet = (lines: readonly { net: string }[]) => Money.sum(lines.map((l) => Money.parse(l.net))).toString();

/** `GET /v1/settlements/{month}`: the stored lines per agent with their totals (a RUNNING run shows the lines so far). */
export async function readStatement(deps: Dependencies, month: string, agentId?: string, branchId?: string) {
  const run = await runOf(deps, month);
  const tally = new SettlementTally();
  const agents: AgentStatement[] = [];
  for await (const group of agentGroups(deps, month, agentId, branchId)) {
    group.lines.forEach((l) => tally.add(l));
    agents.push({ agentId: group.agentId, lines: group.lines.map(statementLine), totalNet: sumNet(group.lines) });
  }
  const totals = tally.totals();
  return {
    month,
    status: run.status,
    attempt: run.attempt,
    startedAt: run.startedAt,
    ...(run.completedAt ? { completedAt: run.completedAt } : {}),
    agents,
    totalNet: totals.paid.amount,
    totals,
  };
}

const CSV_HEADER = ['record', 'month', 'agentId', 'branchId', 'policyId', 'decision', 'reason', 'gross', 'deductions', 'deductionCodes', 'net'];

/**
 * The payroll export: a header, one LINE row per commission, an AGENT_TOTAL row after each
 * agent's lines and a closing TOTAL row; money as decimal strings; written by the exports'
 * CSV writer (RFC 4180, formulas defused). Only a completed run exports, so payroll never
 * imports half a month.
 */
export async function statementCsv(deps: Dependencies, month: string, agentId?: string, branchId?: string): Promise<string> {
  const run = await runOf(deps, month);
  if (run.status === 'QUEUED') throw new ConflictError('SETTLEMENT_RUNNING', `the settlement of ${month} waits for the months before it; export it once it has completed`);
  if (run.status !== 'COMPLETED') throw new ConflictError('SETTLEMENT_RUNNING', `the settlement of ${month} is still running (attempt ${run.attempt}); export it once it has completed`);
  let csv = csvRows([CSV_HEADER]);
  let totalNet = Money.ZERO;
  for await (const group of agentGroups(deps, month, agentId, branchId)) {
    const rows = group.lines.map((l) => {
      const deducted = Money.sum(l.deductions.map((d) => Money.parse(d.amount))).toString();
      return ['LINE', month, l.agentId, l.branchId, l.policyId, l.decision, l.reason ?? '', l.gross, deducted, l.deductions.map((d) => d.code).join(' '), l.net];
    });
    const net = sumNet(group.lines);
    rows.push(['AGENT_TOTAL', month, group.agentId, '', '', '', '', '', '', '', net]);
    csv += csvRows(rows);
    totalNet = totalNet.add(Money.parse(net));
  }
  csv += csvRows([['TOTAL', month, '', '', '', '', '', '', '', '', totalNet.toString()]]);
  return csv;
}
