import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, CUSTOMER_PHONE, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError, type PolicyViewBody } from './e2e-helpers.js';

/** API.md read views: customer phones masked for every role but `callcentre` and the owning agent. */
let t: TestSystem;
let s: Scenario;
beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  s = new Scenario(t.api, newPolicyId('VM'));
  await s.register({ policyholder: { name: '张三丰', phone: CUSTOMER_PHONE, address: '上海市浦东新区世纪大道1号' } });
});
afterAll(async () => { await t.stop(); });

async function viewAs(credential: string): Promise<PolicyViewBody & { policyholder: { address?: string } }> {
  const response = await t.api.get<PolicyViewBody & { policyholder: { address?: string } }>(credential, `/v1/policies/${s.policyId}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe('GET /v1/policies/{id} masking', () => {
  it.each(['auditor', 'manager'])('%s sees the phone as 138****5678 and the name masked', async (credential) => {
    const view = await viewAs(credential);
    expect(view.policyholder.phone).toBe('138****5678');
    expect(view.policyholder.name).toBe('张**');
    expect(view.policyholder.address).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain(CUSTOMER_PHONE);
    expect(JSON.stringify(view)).not.toContain('张三丰');
  });

  it.each(['branch', 'compliance'])('%s sees the phone masked', async (credential) => {
    const view = await viewAs(credential);
    expect(view.policyholder.phone).toBe('138****5678');
    expect(JSON.stringify(view)).not.toContain(CUSTOMER_PHONE);
  });

  it.each(['callcentre', 'agent:A1001'])('%s sees the full phone and name', async (credential) => {
    const view = await viewAs(credential);
    expect(view.policyholder).toMatchObject({ phone: CUSTOMER_PHONE, name: '张三丰' });
  });

  it('masks the phone in the registration response to upstream', async () => {
    const other = new Scenario(t.api, newPolicyId('VM'));
    const response = await t.api.post<PolicyViewBody>('upstream', '/v1/policies', {
      policyId: other.policyId, productCode: 'LIFE20', branchId: 'BR-SH', printedAt: (await t.api.now()).toISOString(), effectiveAt: '2026-03-02',
      agent: { agentId: 'A1001', name: '王芳', phone: '13900000001' }, policyholder: { name: '李四', phone: '13700001234' }, commission: { amount: '800.00' },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.policyholder.phone).toBe('137****1234');
    expect(response.text).not.toContain('13700001234');
  });

  it('refuses the view to another agent and to upstream', async () => {
    expectError(await t.api.get('agent:A9999', `/v1/policies/${s.policyId}`), 403, 'FORBIDDEN');
    expectError(await t.api.get('upstream', `/v1/policies/${s.policyId}`), 403, 'FORBIDDEN');
  });
});
