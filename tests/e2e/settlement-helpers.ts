import { expect } from 'vitest';
import type { LocalApi } from '../support/local-api.js';
import type { Scenario } from '../support/scenario.js';

export type SettlementLine = {
  policyId: string;
  branchId: string;
  decision: string;
  reason?: string;
  reasons?: string[];
  gross: string;
  deductions: { code: string; amount: string }[];
  net: string;
};

export type SettlementStatement = {
  month: string;
  status: string;
  attempt: number;
  agents: { agentId: string; lines: SettlementLine[]; totalNet: string }[];
  totalNet: string;
  totals: { lines: number; paid: { count: number; amount: string }; deferred: { count: number; amount: string }; forfeited: { count: number; amount: string } };
};

export async function statementOf(api: LocalApi, month: string): Promise<SettlementStatement> {
  const response = await api.get<SettlementStatement>('manager', `/v1/settlements/${month}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

export function lineOf(statement: SettlementStatement, policyId: string): SettlementLine | undefined {
  return statement.agents.flatMap((a) => a.lines).find((l) => l.policyId === policyId);
}

const fen = (amount: string) => BigInt(amount.replace('.', ''));

/** Exact to the fen: each agent's total is the sum of its lines, the statement's the sum of the agents'. */
export function totalsAddUp(statement: SettlementStatement): void {
  let all = 0n;
  for (const agent of statement.agents) {
    const sum = agent.lines.reduce((acc, l) => acc + fen(l.net), 0n);
    expect(fen(agent.totalNet), agent.agentId).toBe(sum);
    all += sum;
  }
  expect(fen(statement.totalNet)).toBe(all);
  expect(statement.totals.paid.amount).toBe(statement.totalNet);
  const lines = statement.agents.flatMap((a) => a.lines);
  expect(statement.totals.lines).toBe(lines.length);
  expect(new Set(lines.map((l) => l.policyId)).size).toBe(lines.length); // no policy twice
}

/** On day 10: first round fails on a wrong number, the agent updates the phone, the second round is refused. */
export async function toManualVisitOnDay10(api: LocalApi, scenario: Scenario): Promise<void> {
  expect((await scenario.call(1, { reached: false, reason: 'WRONG_NUMBER' })).roundStatus).toBe('FAILED');
  const updated = await api.put('agent:A1001', `/v1/policies/${scenario.policyId}/contact`, { phone: '13787654321' });
  expect(updated.status, updated.text).toBe(200);
  expect((await scenario.call(2, { reached: false, reason: 'POLICYHOLDER_REFUSED' })).roundStatus).toBe('FAILED');
  await scenario.expectStage('MANUAL_VISIT');
}
