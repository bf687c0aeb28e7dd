import { describe, expect, it } from 'vitest';
import type { PolicyRecord } from '../../../functions/lifecycle/events.js';
import { getIntegrityReport } from '../../../functions/use-cases/reports/integrity-report.js';
import { integrityMailId, sendIntegrityMails } from '../../../functions/use-cases/reports/integrity-mails.js';
import { renderTemplate } from '../../../functions/notifications/render-template.js';
import { fakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { AGENT_PHONE } from '../../support/policies.js';
import { auditOver, eventLog } from './integrity-audit-fake.js';

const policy = (policyId: string, agentId: string, branchId: string, phone: string): PolicyRecord => ({
  policyId, productCode: 'LIFE-20', branchId, printedAt: '2026-01-05T01:00:00.000Z', effectiveAt: '2026-01-05',
  agent: { agentId, name: '王芳', phone: AGENT_PHONE }, policyholder: { name: '张三', phone },
  commission: { amount: '100.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
});

/**
 * Two quarters by hand (Q1 = 2026-01-01..03-31, Q2 = 04-01..06-30, Shanghai):
 * A1 (BR1) Q1: 4 × false contact (5) + 2 × upheld proxy signature (10) + 1 × upheld misleading (10) = 50 → 50;
 *          Q2: 4 × upheld proxy signature (10) + 1 late receipt (1) = 41 → 59, below 60 twice → DISMISSAL_PROPOSED.
 * A2 (BR2) Q2: 9 × false contact (5) = 45 → 55, RESTRICTED (Q1 100).
 * A3 (BR1) Q2: 1 receipt never returned (1) → 99, OK.
 */
function scenario() {
  const l = eventLog();
  let n = 0;
  const falseContact = (agentId: string, branchId: string, at: string) => {
    const id = `FC-${++n}`;
    l.add(id, agentId, branchId, at, { type: 'PolicyRegistered', policy: policy(id, agentId, branchId, AGENT_PHONE), requestHash: 'h' });
  };
  const upheld = (agentId: string, at: string, findings: { proxySignature: boolean; misleading: boolean }) => {
    const id = `UP-${++n}`;
    l.add(id, agentId, 'BR1', '2026-01-02T00:00:00.000Z', { type: 'PolicyRegistered', policy: policy(id, agentId, 'BR1', '13712345678'), requestHash: 'h' });
    l.add(id, agentId, 'BR1', '2026-01-03T00:00:00.000Z', { type: 'CallbackAttemptRecorded', attempt: { attemptId: 'x', round: 1, calledAt: at, reached: true, findings, operatorId: 'O' }, requestHash: 'h', roundStatus: 'FINDINGS' });
    l.add(id, agentId, 'BR1', at, { type: 'ReviewDecided', decision: 'UPHOLD', note: 'n', requestHash: 'h' });
  };
  for (let i = 0; i < 4; i++) falseContact('A1', 'BR1', `2026-02-0${i + 1}T00:00:00.000Z`);
  upheld('A1', '2026-03-01T00:00:00.000Z', { proxySignature: true, misleading: false });
  upheld('A1', '2026-03-02T00:00:00.000Z', { proxySignature: true, misleading: true });
  for (let i = 0; i < 4; i++) upheld('A1', `2026-05-0${i + 1}T00:00:00.000Z`, { proxySignature: true, misleading: false });
  l.add('R-1', 'A1', 'BR1', '2026-06-10T00:00:00.000Z', { type: 'ReceiptReturned', returnedAt: '2026-06-10T00:00:00.000Z', late: true, requestHash: 'h' });
  for (let i = 0; i < 9; i++) falseContact('A2', 'BR2', `2026-04-1${i}T00:00:00.000Z`);
  l.add('R-2', 'A3', 'BR1', '2026-06-20T00:00:00.000Z', { type: 'ReceiptNeverReturned' });
  // Not cases: a receipt in time, a dismissed review, a false contact before Q1 that stays out of both.
  l.add('R-3', 'A3', 'BR1', '2026-04-02T00:00:00.000Z', { type: 'ReceiptReturned', returnedAt: '2026-04-02T00:00:00.000Z', late: false, requestHash: 'h' });
  l.add('D-1', 'A3', 'BR1', '2026-04-03T00:00:00.000Z', { type: 'ReviewDecided', decision: 'DISMISS', note: 'n', requestHash: 'h' });
  falseContact('A3', 'BR1', '2025-12-20T00:00:00.000Z');
  const deps = { ...fakeDependencies(new Date('2026-07-01T01:00:00.000Z')), audit: auditOver(l.events), recipients: { branchManagers: (b: string) => [`${b.toLowerCase()}-manager@insurer.example`], compliance: () => [] } };
  return deps;
}

type Report = Exclude<Awaited<ReturnType<typeof getIntegrityReport>>, string>;

describe('the integrity report of a quarter', () => {
  it('scores each agent from 100 down and judges against the quarter before', async () => {
    const deps = scenario();
    const report = (await getIntegrityReport(deps, { role: 'compliance' }, { quarter: '2026-Q2' }, 'json')) as Report;
    expect(report).toMatchObject({ quarter: '2026-Q2', closed: true, from: '2026-03-31T16:00:00.000Z', to: '2026-06-30T16:00:00.000Z' });
    expect(report.agents.map((a) => [a.agentId, a.branchId, a.totalPoints, a.score, a.status, a.previousScore])).toEqual([
      ['A1', 'BR1', 41, 59, 'DISMISSAL_PROPOSED', 50],
      ['A2', 'BR2', 45, 55, 'RESTRICTED', 100],
      ['A3', 'BR1', 1, 99, 'OK', 100],
    ]);
    expect(report.agents[0]!.points.at(-1)).toEqual({ case: 'RECEIPT_RETURNED_LATE', policyId: 'R-1', at: '2026-06-10T00:00:00.000Z', points: 1 });
    const q1 = (await getIntegrityReport(deps, { role: 'auditor' }, { quarter: '2026-Q1' }, 'json')) as Report;
    expect(q1.agents.map((a) => [a.agentId, a.totalPoints, a.score, a.status])).toEqual([['A1', 50, 50, 'RESTRICTED'], ['A3', 0, 100, 'OK']]);
  });

  it('reads one branch through its own events, an agent its own file only', async () => {
    const deps = scenario();
    const branch = (await getIntegrityReport(deps, { role: 'branch' }, { quarter: '2026-Q2', branchId: 'BR1' }, 'json')) as Report;
    expect(branch.agents.map((a) => [a.agentId, a.score, a.status])).toEqual([['A1', 59, 'DISMISSAL_PROPOSED'], ['A3', 99, 'OK']]);
    const own = (await getIntegrityReport(deps, { role: 'agent', subject: 'A2' }, { quarter: '2026-Q2' }, 'json')) as Report;
    expect(own.agents.map((a) => a.agentId)).toEqual(['A2']);
    await expect(getIntegrityReport(deps, { role: 'branch' }, { quarter: '2026-Q2' }, 'json')).rejects.toThrow(/branchId/);
  });

  it('exports one CSV line per case', async () => {
    const csv = (await getIntegrityReport(scenario(), { role: 'manager' }, { quarter: '2026-Q2', branchId: 'BR1' }, 'csv')) as string;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('quarter,agentId,branchId,score,status,previousScore,totalPoints,case,policyId,at,points');
    expect(lines).toHaveLength(1 + 5 + 1);
    expect(lines.at(-1)).toBe('2026-Q2,A3,BR1,99,OK,100,1,RECEIPT_NOT_RETURNED,R-2,2026-06-20T00:00:00.000Z,1');
  });
});

describe('the threshold e-mails at quarter close', () => {
  it('tells the branch manager once per agent and quarter, even when the job runs again or is retried', async () => {
    const deps = scenario();
    deps.notifier.failures.push(new Error('SES throttled'));
    await expect(sendIntegrityMails(deps, deps.clock.now())).rejects.toThrow('SES throttled');
    expect(await sendIntegrityMails(deps, deps.clock.now())).toEqual({ quarter: '2026-Q2', flagged: 2, sent: 2 });
    expect(await sendIntegrityMails(deps, new Date('2026-07-02T00:00:00.000Z'))).toEqual({ quarter: '2026-Q2', flagged: 2, sent: 0 });
    expect(deps.notifier.sent.map((m) => [m.id, m.to])).toEqual([
      [integrityMailId('2026-Q2', 'A1'), ['br1-manager@insurer.example']],
      [integrityMailId('2026-Q2', 'A2'), ['br2-manager@insurer.example']],
    ]);
    const text = renderTemplate('integrity-threshold', deps.notifier.sent[0]!.data);
    expect(text.subject).toBe('【诚信档案】业务员 A1 2026-Q2 诚信评分 59 分：连续 2 个季度低于 60 分，建议清退');
    expect(text.text).toContain('上季度 50 分');
    expect(text.text).toContain('- 2026-06-10 保单 R-1：保单回执未及时回销，扣 1 分');
    expect(renderTemplate('integrity-threshold', deps.notifier.sent[1]!.data).subject).toContain('诚信评分 55 分：限制展业');
  });
});
