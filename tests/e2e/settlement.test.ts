import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';
import { type SettlementLine, type SettlementStatement, lineOf, statementOf, toManualVisitOnDay10, totalsAddUp } from './settlement-helpers.js';

/**
 * One timeline on the virtual clock (from 2026-03-02 09:00 Shanghai): policies brought to
 * every commission situation before the March settlement (cutoff 2026-03-20 00:00, the run
 * at 09:00 on the 20th, fired by the clock), then the March and April statements read back.
 */
let t: TestSystem;
let s: Record<'paid' | 'missing' | 'on20th' | 'late' | 'phoneAndLate' | 'forfeited' | 'cancelled' | 'pending' | 'held', Scenario>;
let march: SettlementStatement;

beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  const ids = ['paid', 'missing', 'on20th', 'late', 'phoneAndLate', 'forfeited', 'cancelled', 'pending', 'held'] as const;
  s = Object.fromEntries(ids.map((id) => [id, new Scenario(t.api, newPolicyId(id.slice(0, 4).toUpperCase()))])) as typeof s;
});
afterAll(async () => { await t.stop(); });

const shanghai = (local: string) => new Date(`${local}+08:00`);
const LATE_EFFECTIVE = { effectiveAt: '2025-11-15' };
const OTHER_AGENT = { agent: { agentId: 'A2002', name: '李雷', phone: '13900000002', email: 'a2002@insurer.example' } };
const statement = (month: string) => statementOf(t.api, month);
const line = (st: SettlementStatement, sc: Scenario): SettlementLine | undefined => lineOf(st, sc.policyId);

describe('monthly settlement through HTTP with the virtual clock', () => {
  it('rejects a malformed month, a month not yet due, and a month never run, with clear messages', async () => {
    const malformed = expectError(await t.api.post('manager', '/v1/settlements', { month: '2026-3' }), 400, 'VALIDATION_FAILED');
    expect(malformed.error.details).toEqual([expect.objectContaining({ field: 'month', message: expect.stringContaining('YYYY-MM') })]);
    expect(expectError(await t.api.get('manager', '/v1/settlements/March'), 400).error.details.map((d) => d.field)).toEqual(['month']);
    const future = expectError(await t.api.post('manager', '/v1/settlements', { month: '2026-03' }), 422, 'SETTLEMENT_NOT_DUE');
    expect(future.error.message).toContain('cannot run before 2026-03-20');
    const never = expectError(await t.api.get('auditor', '/v1/settlements/2026-02'), 404, 'NOT_FOUND');
    expect(never.error.message).toBe('no settlement has run for 2026-02');
    expectError(await t.api.post('agent:A1001', '/v1/settlements', { month: '2026-02' }), 403, 'FORBIDDEN');
    expectError(await t.api.post('upstream', `/v1/policies/NO-SUCH-POLICY/receipt`, { returnedAt: (await t.api.now()).toISOString() }), 404, 'NOT_FOUND');
  });

  it('brings policies to every commission situation before the March cutoff', async () => {
    await s.paid.register(OTHER_AGENT);
    await s.missing.register(OTHER_AGENT);
    await s.on20th.register();
    await s.late.register(LATE_EFFECTIVE);
    await s.phoneAndLate.register(LATE_EFFECTIVE);
    await s.forfeited.register();
    await s.cancelled.register();
    await s.pending.register();
    await s.held.register();
    await t.api.advance('P10D'); // 2026-03-12 09:00: first callbacks due
    for (const sc of [s.paid, s.missing, s.on20th, s.late]) expect((await sc.call(1, { reached: true })).roundStatus).toBe('PASSED');
    for (const sc of [s.phoneAndLate, s.forfeited, s.held]) await toManualVisitOnDay10(t.api, sc);
    const visit = async (sc: Scenario, success: boolean, phoneWrongOrOutOfUse: boolean) => {
      const response = await t.api.post('branch', `/v1/policies/${sc.policyId}/manual-visit`, { visitedAt: (await t.api.now()).toISOString(), success, phoneWrongOrOutOfUse, visitorId: 'V1' });
      expect(response.status, response.text).toBe(200);
    };
    await visit(s.phoneAndLate, true, true);
    await visit(s.forfeited, false, false);
    // The forfeited policy's receipt stays out: its lifecycle is still open when March settles it.
    for (const sc of [s.paid, s.late, s.phoneAndLate]) await sc.returnReceipt();
    const cancel = await t.api.post('upstream', `/v1/policies/${s.cancelled.policyId}/cancellation`, { cancelledAt: (await t.api.now()).toISOString(), reason: 'surrender' });
    expect(cancel.status, cancel.text).toBe(200);
    expect((await s.phoneAndLate.view()).commission).toMatchObject({ status: 'PAYABLE', net: '1140.00' });
  });

  it('a receipt returned on the 20th itself misses that month', async () => {
    await t.api.advanceTo(shanghai('2026-03-20T08:00:00'));
    await s.on20th.returnReceipt();
    expect((await t.api.get('manager', '/v1/settlements/2026-03')).status).toBe(404);
  });

  it('runs by itself on the 20th at 09:00 and decides every unpaid commission', async () => {
    await t.api.advanceTo(shanghai('2026-03-20T09:00:00'));
    march = await statement('2026-03');
    expect(march.status).toBe('COMPLETED');
    expect(line(march, s.paid)).toMatchObject({ decision: 'PAY', gross: '1200.00', deductions: [], net: '1200.00' });
    expect(line(march, s.missing)).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_MISSING', net: '0.00' });
    expect(line(march, s.on20th)).toMatchObject({ decision: 'DEFER', reason: 'RECEIPT_MISSING' });
    expect(line(march, s.late)).toMatchObject({ decision: 'PAY', deductions: [{ code: 'LATE_RECEIPT', amount: '20.00' }], net: '1180.00' });
    expect(line(march, s.phoneAndLate)).toMatchObject({ decision: 'PAY', net: '1140.00' });
    expect(line(march, s.phoneAndLate)?.deductions.map((d) => d.code).sort()).toEqual(['LATE_RECEIPT', 'WRONG_PHONE']);
    expect(line(march, s.forfeited)).toMatchObject({ decision: 'FORFEIT', reason: 'CALLBACK_FORFEITED', net: '0.00' });
    expect(line(march, s.cancelled)).toMatchObject({ decision: 'FORFEIT', reason: 'CANCELLED', net: '0.00' });
    expect(line(march, s.pending)).toMatchObject({ decision: 'DEFER', reason: 'CALLBACK_PENDING', reasons: ['CALLBACK_PENDING', 'RECEIPT_MISSING'] });
    expect(line(march, s.held)).toMatchObject({ decision: 'DEFER', reason: 'HELD', reasons: ['HELD', 'RECEIPT_MISSING'] });
    totalsAddUp(march);
    expect(march.agents.map((a) => a.agentId)).toEqual(['A1001', 'A2002']);
    expect(march.agents.find((a) => a.agentId === 'A2002')?.totalNet).toBe('1200.00');
  });

  it('shows PAID in the view and records the settlement in the policy history', async () => {
    const paid = await s.paid.view();
    expect(paid.commission).toMatchObject({ status: 'PAID', net: '1200.00', settlement: { month: '2026-03', decision: 'PAY', net: '1200.00' } });
    const forfeited = await s.forfeited.view();
    expect(forfeited.commission).toMatchObject({ status: 'FORFEITED', settlement: { month: '2026-03', decision: 'FORFEIT', reason: 'CALLBACK_FORFEITED' } });
    expect(forfeited.receipt.status).toBe('PENDING');
    expect((await s.cancelled.view()).commission.status).toBe('CANCELLED');
    expect((await s.missing.view()).commission.status).toBe('PENDING');
  });

  it('e-mails each branch manager one summary, without customer phone numbers', async () => {
    const mails = (await t.api.emails()).filter((m) => m.subject.includes('佣金结算') && m.subject.includes('2026-03'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['branch-manager@insurer.example']);
    expect(mails[0]!.text).toContain('发放：3 件，合计 3520.00 元');
    expect(mails[0]!.text).toContain('扣发：2 件，合计 2400.00 元');
    expect(mails[0]!.text).toContain('缓发：4 件，合计 4800.00 元');
    expect(mails[0]!.text).toContain(s.held.policyId);
    expect(mails[0]!.text).not.toMatch(/1[3-9]\d{9}/);
  });

  it('running the same month again changes nothing', async () => {
    const versionOf = async (sc: Scenario) => (await t.api.get<{ version: number }>('auditor', `/v1/policies/${sc.policyId}`)).body.version;
    const version = await versionOf(s.paid);
    const again = await t.api.post('manager', '/v1/settlements', { month: '2026-03' });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ month: '2026-03', status: 'COMPLETED', started: false });
    expect(await statement('2026-03')).toEqual(march);
    expect(await versionOf(s.paid)).toBe(version);
    expect((await t.api.emails()).filter((m) => m.subject.includes('佣金结算') && m.subject.includes('2026-03'))).toHaveLength(1);
  });

  it('exports the statement as CSV for payroll, totals consistent', async () => {
    const response = await fetch(`${t.api.baseUrl}/v1/settlements/2026-03`, { headers: { authorization: 'Bearer local:manager', accept: 'text/csv' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const rows = (await response.text()).trimEnd().split('\r\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['record', 'month', 'agentId', 'branchId', 'policyId', 'decision', 'reason', 'gross', 'deductions', 'deductionCodes', 'net']);
    const lines = rows.filter((r) => r[0] === 'LINE');
    expect(lines).toHaveLength(march.totals.lines);
    const sum = (rs: string[][]) => rs.reduce((acc, r) => acc + fen(r[10]!), 0n);
    expect(rows.find((r) => r[0] === 'TOTAL')?.[10]).toBe(march.totalNet);
    expect(sum(lines)).toBe(fen(march.totalNet));
    expect(sum(rows.filter((r) => r[0] === 'AGENT_TOTAL'))).toBe(fen(march.totalNet));
    expect(lines.find((r) => r[4] === s.phoneAndLate.policyId)?.slice(5)).toEqual(['PAY', '', '1200.00', '60.00', 'WRONG_PHONE LATE_RECEIPT', '1140.00']);
  });

  it('pays a deferred commission the month its receipt arrives; the forfeited and the cancelled never', async () => {
    await t.api.advanceTo(shanghai('2026-04-01T10:00:00'));
    await s.missing.returnReceipt();
    await s.forfeited.returnReceipt(); // a forfeited commission never comes back, receipt or not
    await t.api.advanceTo(shanghai('2026-04-20T09:00:00'));
    const april = await statement('2026-04');
    expect(line(april, s.missing)).toMatchObject({ decision: 'PAY', net: '1200.00' });
    expect(line(april, s.on20th)).toMatchObject({ decision: 'PAY', net: '1200.00' });
    for (const sc of [s.paid, s.late, s.phoneAndLate, s.forfeited, s.cancelled]) expect(line(april, sc), sc.policyId).toBeUndefined();
    expect(line(april, s.pending)).toMatchObject({ decision: 'DEFER' });
    totalsAddUp(april);
    expect((await s.missing.view()).commission.status).toBe('PAID');
    expect((await s.forfeited.view()).commission.status).toBe('FORFEITED');
  });

  it('settles months in order: an earlier month can no longer start once a later one has run', async () => {
    const response = expectError(await t.api.post('manager', '/v1/settlements', { month: '2026-02' }), 409, 'SETTLEMENT_OUT_OF_ORDER');
    expect(response.error.message).toContain('2026-04 has already run');
    expect((await t.api.post('manager', '/v1/settlements', { month: '2026-04' })).status).toBe(200);
  });
});

const fen = (amount: string) => BigInt(amount.replace('.', ''));
