import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, CUSTOMER_PHONE, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError, type PolicyViewBody } from './e2e-helpers.js';

/**
 * docs/api.md read views: customer phones masked for every role but `callcentre` and the owning
 * agent; names and addresses as docs/privacy.md decides (tests/e2e/privacy-matrix.test.ts
 * walks every channel, the branch's manual visit included).
 */
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
  it.each(['auditor', 'manager', 'branch', 'compliance'])('%s sees the phone as 138****5678, the name and address masked', async (credential) => {
    const view = await viewAs(credential);
    expect(view.policyholder).toEqual({ name: '张**', phone: '138****5678', address: '***' });
    expect(JSON.stringify(view)).not.toContain(CUSTOMER_PHONE);
    expect(JSON.stringify(view)).not.toContain('张三丰');
    expect(JSON.stringify(view)).not.toContain('世纪大道');
  });

  it('the call centre sees the full phone and name, not the address', async () => {
    expect((await viewAs('callcentre')).policyholder).toEqual({ name: '张三丰', phone: CUSTOMER_PHONE, address: '***' });
  });

  it('the owning agent sees everything', async () => {
    expect((await viewAs('agent:A1001')).policyholder).toEqual({ name: '张三丰', phone: CUSTOMER_PHONE, address: '上海市浦东新区世纪大道1号' });
  });

  it('masks the phone and name in the registration response to upstream', async () => {
    const other = new Scenario(t.api, newPolicyId('VM'));
    const response = await t.api.post<PolicyViewBody>('upstream', '/v1/policies', {
      policyId: other.policyId, productCode: 'LIFE20', branchId: 'BR-SH', printedAt: (await t.api.now()).toISOString(), effectiveAt: '2026-03-02',
      agent: { agentId: 'A1001', name: '王芳', phone: '13900000001' }, policyholder: { name: '李四', phone: '13700001234' }, commission: { amount: '800.00' },
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body.policyholder).toEqual({ name: '李*', phone: '137****1234' });
    expect(response.text).not.toContain('13700001234');
  });

  it('refuses the view to another agent and to upstream', async () => {
    expectError(await t.api.get('agent:A9999', `/v1/policies/${s.policyId}`), 403, 'FORBIDDEN');
    expectError(await t.api.get('upstream', `/v1/policies/${s.policyId}`), 403, 'FORBIDDEN');
  });
});
