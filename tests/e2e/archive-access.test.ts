import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../infra/local/dynamodb-local.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, CUSTOMER_PHONE, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

type Archived = { policyId: string; verified: boolean; events: number; anchor: { id: string }; grant: { requestId: string }; timeline: unknown[] };

let t: TestSystem;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }));
});
afterAll(async () => {
  db.destroy();
  await t.stop();
});

const exported = (policyId: string) => join(t.dataDir, 'archive', 'policies', `${policyId}.json`);
const archived = (policyId: string, credential = 'auditor:AU1') => t.api.get<Archived>(credential, `/v1/archive/policies/${policyId}`);
const requestAccess = async (body: Record<string, unknown>, credential = 'auditor:AU1') => t.api.post<{ requestId: string }>(credential, '/v1/audit/access-requests', body);
const decide = (requestId: string, body: Record<string, unknown>, credential = 'compliance:C1') => t.api.post<Record<string, unknown>>(credential, `/v1/audit/access-requests/${requestId}/decision`, body);

describe('the archive of closed lifecycles, read by approval', () => {
  let policyId: string;
  const period = { from: new Date(CLOCK_START.getTime() - 30 * 86_400_000).toISOString(), to: new Date(CLOCK_START.getTime() + 30 * 86_400_000).toISOString() };

  it('exports a closed lifecycle once its commission is settled, and not before', async () => {
    const s = new Scenario(t.api, newPolicyId('EX'));
    policyId = s.policyId;
    await s.toFirstCallback();
    expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
    await s.returnReceipt();
    expect((await t.api.post('auditor:AU1', '/v1/audit/anchors', {})).status).toBeLessThan(300);
    // The commission is still to be paid: nothing is exported yet.
    await expect(access(exported(policyId))).rejects.toThrow();
    // Past the monthly settlement (the 20th) the commission is paid; the daily anchor exports the history.
    await t.api.advance('P45D');
    const view = await t.api.get<{ commission: { status: string } }>('manager:M1', `/v1/policies/${policyId}`);
    expect(view.body.commission.status, view.text).toBe('PAID');
    const file = JSON.parse(await readFile(exported(policyId), 'utf8')) as { policyId: string; events: unknown[]; proofs: unknown[] };
    expect(file.policyId).toBe(policyId);
    expect(file.proofs.length).toBeGreaterThanOrEqual(2);
  });

  it('serves the archive only within an approved, unexpired grant covering it, even once the table lost the policy', async () => {
    const eventsBefore = (await t.api.get<{ events: number }>('auditor:AU1', `/v1/policies/${policyId}/history`)).body.events;
    const items = (await db.send(new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `P#${policyId}` } }))).Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: items.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })) } }));
    }

    const denied = await archived(policyId);
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('NO_ACTIVE_GRANT');
    expect((await archived(newPolicyId('EX'))).status).toBe(404);

    // Bad requests name the field.
    const twoScopes = await requestAccess({ scope: { agentId: 'A1', branchId: 'B1' }, ...period, reason: 'audit' });
    expect(twoScopes.status).toBe(400);
    expect(twoScopes.text).toContain('scope');
    expect((await requestAccess({ scope: { policyIds: [policyId] }, ...period, reason: 'audit' }, 'compliance:C1')).status).toBe(403);

    // A grant for another period does not cover the policy.
    const elsewhere = await requestAccess({ scope: { policyIds: [policyId] }, from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z', reason: 'older files' });
    expect(elsewhere.status).toBe(201);
    expect((await decide(elsewhere.body.requestId, { approve: true, validUntil: new Date(Date.now() + 400 * 86_400_000).toISOString() })).status).toBe(200);
    expect((await archived(policyId)).status).toBe(403);

    const request = await requestAccess({ scope: { policyIds: [policyId] }, ...period, reason: 'regulator inspection 2026-11' });
    expect(request.status, request.text).toBe(201);
    const self = await decide(request.body.requestId, { approve: true, validUntil: '2099-01-01T00:00:00Z' }, 'compliance:AU1');
    expect(self.status).toBe(403);
    expect(self.text).toContain('DECIDER_IS_REQUESTER');
    expect((await archived(policyId)).status).toBe(403);

    const now = (await t.api.advance('PT0S')).getTime();
    const validUntil = new Date(now + 7 * 86_400_000).toISOString();
    const approved = await decide(request.body.requestId, { approve: true, validUntil }, 'manager:HQ1');
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ approve: true, validUntil, alreadyDecided: false });

    const read = await archived(policyId);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ policyId, verified: true, events: eventsBefore, grant: { requestId: request.body.requestId } });
    // The auditor sees no customer data in the archive either (docs/privacy.md).
    expect(read.text).not.toContain(CUSTOMER_PHONE);
    // Another auditor has no grant.
    expect((await archived(policyId, 'auditor:AU2')).status).toBe(403);

    // Expired by the clock.
    await t.api.advance('P8D');
    expect((await archived(policyId)).status).toBe(403);

    const log = await t.api.get<{ records: { action: string; policyId?: string; filters?: Record<string, string> }[] }>('auditor:AU1', `/v1/audit/access-log?from=${encodeURIComponent(new Date(now - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(now + 30 * 86_400_000).toISOString())}&limit=500`);
    expect(log.status, log.text).toBe(200);
    const actions = log.body.records.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['archive-access-request', 'archive-access-decision', 'archive-read']));
    expect(log.body.records.find((r) => r.action === 'archive-read')).toMatchObject({ policyId, filters: { requestId: request.body.requestId } });
  });
});
