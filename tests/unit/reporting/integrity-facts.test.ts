import { describe, expect, it } from 'vitest';
import type { PolicyRecord } from '../../../functions/lifecycle/events.js';
import { integrityFactsOf, needsPolicyLog } from '../../../functions/reporting/integrity-facts.js';
import { AGENT_PHONE } from '../../support/policies.js';
import { eventLog } from './integrity-audit-fake.js';

const policy = (policyId: string, phone: string): PolicyRecord => ({
  policyId, productCode: 'LIFE-20', branchId: 'BR1', printedAt: '2026-01-05T01:00:00.000Z', effectiveAt: '2026-01-05',
  agent: { agentId: 'A1', name: '王芳', phone: AGENT_PHONE }, policyholder: { name: '张三', phone },
  commission: { amount: '100.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
});
const AT = '2026-02-01T00:00:00.000Z';
const casesOf = (event: Parameters<typeof integrityFactsOf>[0], log: Parameters<typeof integrityFactsOf>[1] = []) => integrityFactsOf(event, log).map((f) => f.case);

describe('which recorded facts are integrity cases (docs/rules.md §9)', () => {
  it('maps receipts and the unanswered contact window', () => {
    const l = eventLog();
    expect(casesOf(l.add('P1', 'A1', 'BR1', AT, { type: 'ReceiptNeverReturned' }))).toEqual(['RECEIPT_NOT_RETURNED']);
    expect(casesOf(l.add('P2', 'A1', 'BR1', AT, { type: 'ReceiptReturned', returnedAt: AT, late: true, requestHash: 'h' }))).toEqual(['RECEIPT_RETURNED_LATE']);
    expect(casesOf(l.add('P3', 'A1', 'BR1', AT, { type: 'ReceiptReturned', returnedAt: AT, late: false, requestHash: 'h' }))).toEqual([]);
    expect(casesOf(l.add('P4', 'A1', 'BR1', AT, { type: 'ContactWindowClosedUnanswered' }))).toEqual(['CONTACT_UPDATE_NOT_RETURNED']);
    expect(integrityFactsOf(l.events[0]!)).toEqual([{ case: 'RECEIPT_NOT_RETURNED', agentId: 'A1', branchId: 'BR1', policyId: 'P1', at: AT }]);
  });

  it('counts an upheld review once per finding it upholds, a dismissed one not at all', () => {
    const l = eventLog();
    l.add('P1', 'A1', 'BR1', AT, { type: 'PolicyRegistered', policy: policy('P1', '13712345678'), requestHash: 'h' });
    l.add('P1', 'A1', 'BR1', AT, { type: 'CallbackAttemptRecorded', attempt: { attemptId: 'x', round: 1, calledAt: AT, reached: true, findings: { proxySignature: true, misleading: false }, operatorId: 'O' }, requestHash: 'h', roundStatus: 'FINDINGS' });
    l.add('P1', 'A1', 'BR1', AT, { type: 'ManualVisitRecorded', visitedAt: AT, outcome: 'FINDINGS', phoneWrongOrOutOfUse: false, findings: { proxySignature: false, misleading: true }, visitorId: 'V', requestHash: 'h' });
    const upheld = l.add('P1', 'A1', 'BR1', AT, { type: 'ReviewDecided', decision: 'UPHOLD', note: 'n', requestHash: 'h' });
    expect(needsPolicyLog(upheld)).toBe(true);
    expect(casesOf(upheld, l.events)).toEqual(['PROXY_SIGNATURE_UPHELD', 'MISLEADING_UPHELD']);
    const dismissed = l.add('P2', 'A1', 'BR1', AT, { type: 'ReviewDecided', decision: 'DISMISS', note: 'n', requestHash: 'h' });
    expect(needsPolicyLog(dismissed)).toBe(false);
    expect(casesOf(dismissed, l.events)).toEqual([]);
  });

  it('counts false contact information once per policy, at the first event that found it', () => {
    const l = eventLog();
    const registered = l.add('P1', 'A1', 'BR1', AT, { type: 'PolicyRegistered', policy: policy('P1', AGENT_PHONE), requestHash: 'h' });
    const call = l.add('P1', 'A1', 'BR1', AT, { type: 'CallbackAttemptRecorded', attempt: { attemptId: 'x', round: 1, calledAt: AT, reached: false, reason: 'AGENT_OR_BRANCH_PHONE', operatorId: 'O' }, requestHash: 'h', roundStatus: 'OPEN' });
    expect(casesOf(registered, l.events)).toEqual(['FALSE_CONTACT']);
    expect(casesOf(call, l.events)).toEqual([]);
    const visit = l.add('P2', 'A1', 'BR1', AT, { type: 'ManualVisitRecorded', visitedAt: AT, outcome: 'SUCCESS_WRONG_PHONE', phoneWrongOrOutOfUse: true, visitorId: 'V', requestHash: 'h' });
    expect(casesOf(visit, l.events.filter((e) => e.policyId === 'P2'))).toEqual(['FALSE_CONTACT']);
  });
});
