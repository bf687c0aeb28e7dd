import { describe, expect, it } from 'vitest';
import { nextQuarterReportAt, parseQuarter, previousQuarter, quarterOf, utcMonthsBetween } from '../../../functions/domain/reporting-period.js';
import type { AuditedEvent } from '../../../functions/audit/audited-event.js';
import type { EventData, PolicyRecord } from '../../../functions/lifecycle/events.js';
import { falseContactKindOf } from '../../../functions/reporting/false-contact.js';
import { falseContactCsv, falseContactReport } from '../../../functions/reporting/false-contact-report.js';
import { qualityReport } from '../../../functions/reporting/quality-report.js';

const policy = (phone: string, agentPhone = '13900000001'): PolicyRecord => ({
  policyId: 'P', productCode: 'L', branchId: 'B', printedAt: '2026-01-05T01:00:00.000Z', effectiveAt: '2026-01-05',
  agent: { agentId: 'A', name: 'n', phone: agentPhone }, policyholder: { name: 'c', phone }, commission: { amount: '1.00' },
  ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
});
let seq = 0;
const ev = (agentId: string, policyId: string, at: string, data: EventData): AuditedEvent =>
  ({ policyId, seq: ++seq, at, actor: { role: 'workflow' }, data, prevHash: '', hash: '', agentId, branchId: 'BR' });
const attempt = (round: number, roundStatus: 'OPEN' | 'PASSED' | 'FAILED' | 'FINDINGS', extra: Partial<{ reason: string; findings: { proxySignature: boolean; misleading: boolean }; endReason: string }> = {}): EventData =>
  ({ type: 'CallbackAttemptRecorded', attempt: { attemptId: 'x', round, calledAt: '', reached: roundStatus === 'PASSED', operatorId: 'o', ...(extra.reason ? { reason: extra.reason } : {}), ...(extra.findings ? { findings: extra.findings } : {}) }, requestHash: '', roundStatus, ...(extra.endReason ? { endReason: extra.endReason } : {}) } as EventData);
const visit = (outcome: 'SUCCESS' | 'SUCCESS_WRONG_PHONE' | 'FAILURE' | 'FINDINGS', phoneWrongOrOutOfUse = false): EventData =>
  ({ type: 'ManualVisitRecorded', visitedAt: '', outcome, phoneWrongOrOutOfUse, visitorId: 'v', requestHash: '' });

describe('reporting periods', () => {
  it('parse quarters in Asia/Shanghai and find the quarter of an instant', () => {
    const q1 = parseQuarter('2026-Q1')!;
    expect([q1.from.toISOString(), q1.to.toISOString()]).toEqual(['2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z']);
    expect(parseQuarter('2026-Q5')).toBeUndefined();
    expect(quarterOf(new Date('2026-03-31T15:59:59.999Z')).label).toBe('2026-Q1');
    expect(quarterOf(new Date('2026-03-31T16:00:00.000Z')).label).toBe('2026-Q2');
    expect(previousQuarter(new Date('2026-01-01T01:00:00Z')).label).toBe('2025-Q4');
  });

  it('schedule the report at 09:00 Shanghai on the first day of the next quarter', () => {
    expect(nextQuarterReportAt(new Date('2026-03-02T01:00:00Z')).toISOString()).toBe('2026-04-01T01:00:00.000Z');
    expect(nextQuarterReportAt(new Date('2026-04-01T01:00:00Z')).toISOString()).toBe('2026-07-01T01:00:00.000Z');
    expect(nextQuarterReportAt(new Date('2026-03-31T20:00:00Z')).toISOString()).toBe('2026-04-01T01:00:00.000Z');
  });

  it('list the UTC months a period covers', () => {
    expect(utcMonthsBetween(new Date('2025-11-30T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('false contact information', () => {
  it('is the agent\'s or branch\'s phone as the customer\'s, or a manual visit finding the number wrong', () => {
    expect(falseContactKindOf({ type: 'PolicyRegistered', policy: policy('+86 139-0000-0001'), requestHash: '' })).toBe('AGENT_OR_BRANCH_PHONE_AS_CUSTOMER');
    expect(falseContactKindOf({ type: 'PolicyRegistered', policy: policy('13800000000'), requestHash: '' })).toBeUndefined();
    expect(falseContactKindOf(attempt(1, 'FAILED', { reason: 'AGENT_OR_BRANCH_PHONE' }))).toBe('AGENT_OR_BRANCH_PHONE_AS_CUSTOMER');
    expect(falseContactKindOf(attempt(1, 'FAILED', { endReason: 'AGENT_PHONE_AS_CUSTOMER' }))).toBe('AGENT_OR_BRANCH_PHONE_AS_CUSTOMER');
    expect(falseContactKindOf(attempt(1, 'FAILED', { reason: 'WRONG_NUMBER' }))).toBeUndefined();
    expect(falseContactKindOf(visit('SUCCESS_WRONG_PHONE', true))).toBe('WRONG_PHONE_AT_MANUAL_VISIT');
    expect(falseContactKindOf(visit('SUCCESS'))).toBeUndefined();
  });

  it('is counted once per policy per agent, within the quarter only', () => {
    const q = parseQuarter('2026-Q1')!;
    const report = falseContactReport(q, [
      ev('A2', 'P3', '2026-02-01T00:00:00.000Z', visit('SUCCESS_WRONG_PHONE', true)),
      ev('A1', 'P1', '2026-01-10T00:00:00.000Z', { type: 'PolicyRegistered', policy: policy('13900000001'), requestHash: '' }),
      ev('A1', 'P1', '2026-01-20T00:00:00.000Z', attempt(1, 'FAILED', { endReason: 'AGENT_PHONE_AS_CUSTOMER' })),
      ev('A1', 'P2', '2026-04-02T00:00:00.000Z', visit('SUCCESS_WRONG_PHONE', true)), // next quarter
      ev('A1', 'P4', '2026-01-10T00:00:00.000Z', visit('SUCCESS')), // no finding
    ], new Date('2026-05-01T00:00:00Z'));
    expect(report).toMatchObject({ quarter: '2026-Q1', closed: true, totals: { agents: 2, policies: 2, findings: 3 } });
    expect(report.agents).toEqual([
      { agentId: 'A1', count: 1, policies: [{ policyId: 'P1', branchId: 'BR', kinds: ['AGENT_OR_BRANCH_PHONE_AS_CUSTOMER'], firstFoundAt: '2026-01-10T00:00:00.000Z', findings: 2 }] },
      { agentId: 'A2', count: 1, policies: [{ policyId: 'P3', branchId: 'BR', kinds: ['WRONG_PHONE_AT_MANUAL_VISIT'], firstFoundAt: '2026-02-01T00:00:00.000Z', findings: 1 }] },
    ]);
    expect(falseContactCsv(report)).toBe(
      'quarter,agentId,policyId,branchId,kinds,firstFoundAt,findings\r\n' +
      '2026-Q1,A1,P1,BR,AGENT_OR_BRANCH_PHONE_AS_CUSTOMER,2026-01-10T00:00:00.000Z,2\r\n' +
      '2026-Q1,A2,P3,BR,WRONG_PHONE_AT_MANUAL_VISIT,2026-02-01T00:00:00.000Z,1\r\n');
  });
});

describe('the quality report arithmetic', () => {
  it('counts first-callback and overall passes, receipts, holds, forfeits, findings and false information', () => {
    const at = '2026-01-15T00:00:00.000Z';
    const [agent] = qualityReport([
      ev('A', 'P1', at, { type: 'PolicyRegistered', policy: policy('13800000000'), requestHash: '' }),
      ev('A', 'P1', at, attempt(1, 'OPEN')), // not ended yet
      ev('A', 'P1', at, attempt(1, 'PASSED')),
      ev('A', 'P2', at, attempt(1, 'FAILED', { reason: 'WRONG_NUMBER' })),
      ev('A', 'P2', at, attempt(2, 'PASSED')),
      ev('A', 'P3', at, { type: 'CallbackRoundTimedOut', round: 1 }),
      ev('A', 'P3', at, { type: 'ManualVisitOrdered', dueBy: at }),
      ev('A', 'P3', at, visit('FAILURE')),
      ev('A', 'P4', at, attempt(1, 'FINDINGS', { findings: { proxySignature: false, misleading: true } })),
      ev('A', 'P4', at, { type: 'ReviewOpened', dueBy: at }),
      ev('A', 'P4', at, { type: 'ReviewDecided', decision: 'DISMISS', note: '', requestHash: '' }),
      ev('A', 'P5', at, visit('SUCCESS_WRONG_PHONE', true)),
      ev('A', 'P1', at, { type: 'ReceiptReturned', returnedAt: at, late: false, requestHash: '' }),
      ev('A', 'P2', at, { type: 'ReceiptReturned', returnedAt: at, late: true, requestHash: '' }),
      ev('A', 'P3', at, { type: 'ReceiptNeverReturned' }),
    ]);
    expect(agent).toEqual({
      agentId: 'A', policiesRegistered: 1,
      firstCallbackPass: { count: 1, of: 4, rate: 0.25 },
      overallPass: { count: 3, of: 5, rate: 0.6 }, // P1, P2, P4 dismissed / + P3 forfeited, P5 released
      receiptOnTime: { count: 1, of: 3, rate: 0.3333 }, lateReceipts: 1, receiptsNeverReturned: 1,
      holds: 2, forfeits: 1, findings: 1, falseInformation: 1,
    });
  });

  it('gives no rate when nothing was decided', () => {
    expect(qualityReport([ev('B', 'P', '2026-01-01T00:00:00.000Z', { type: 'CallbackRoundOpened', round: 1, notBefore: '', deadline: '' })])[0]).toMatchObject({ firstCallbackPass: { count: 0, of: 0, rate: null } });
  });
});
