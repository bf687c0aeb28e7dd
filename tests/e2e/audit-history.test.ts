import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../functions/lifecycle/event-hash.js';
import { LOCAL_TABLE_NAME } from '../../infra/local/dynamodb-local.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { AGENT_ID, CLOCK_START, CUSTOMER_PHONE, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';

type Snapshot = { stage: string; callbackStatus: string; commissionStatus: string; receiptStatus: string };
type Entry =
  | { kind: 'event'; seq: number; at: string; actor: { role: string; subject?: string }; type: string; data: Record<string, unknown>; before: Snapshot | null; after: Snapshot | null; prevHash: string; hash: string }
  | { kind: 'step'; at: string; execution: string; executionArn: string; n: number; type: string; stateName?: string; prevHash: string; hash: string };
type History = { policyId: string; events: number; workflowSteps: number; executions: string[]; timeline: Entry[] };
type Verify = { valid: boolean; events: number; firstBrokenAt?: number; reason?: string; workflowSteps: { valid: boolean; records: number; firstBrokenAt?: { execution: string; n: number } } };

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

/** A policy through the happy path to the end of both tracks: the execution has closed. */
async function completedLifecycle(): Promise<string> {
  const s = new Scenario(t.api, newPolicyId('H'));
  await s.toFirstCallback();
  expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
  await s.returnReceipt();
  expect(t.system.stepFunctions.describeExecution(`arn:aws:states:us-east-1:000000000000:execution:policy-lifecycle:${s.policyId}`).status).toBe('SUCCEEDED');
  return s.policyId;
}

const history = async (policyId: string, credential = 'auditor:AU1') => {
  const response = await t.api.get<History>(credential, `/v1/policies/${policyId}/history`);
  expect(response.status, response.text).toBe(200);
  return response.body;
};
const verify = async (policyId: string) => {
  const response = await t.api.get<Verify>('auditor:AU1', `/v1/policies/${policyId}/history/verify`);
  expect(response.status, response.text).toBe(200);
  return response.body;
};
const key = (policyId: string, seq: number) => ({ pk: `P#${policyId}`, sk: `E#${String(seq).padStart(10, '0')}` });

describe('the history of a policy', () => {
  it('matches what happened, in order, after the execution has closed, however long ago', async () => {
    const policyId = await completedLifecycle();
    await t.api.advance('P400D');
    const h = await history(policyId);
    const events = h.timeline.filter((e): e is Extract<Entry, { kind: 'event' }> => e.kind === 'event');
    expect(events.map((e) => [e.seq, e.type, e.actor.role])).toEqual([
      [1, 'PolicyRegistered', 'upstream'],
      [2, 'CallbackRoundOpened', 'workflow'],
      [3, 'CallbackAttemptRecorded', 'callcentre'],
      [4, 'ReceiptReturned', 'upstream'],
      // the next monthly settlement paid it, long after the lifecycle's execution closed
      [5, 'CommissionSettled', 'workflow'],
    ]);
    expect(events[0]!.before).toBeNull();
    expect(events.map((e) => `${e.after?.stage}/${e.after?.callbackStatus}/${e.after?.commissionStatus}`)).toEqual([
      'WAITING_FIRST_CALLBACK/PENDING/PENDING',
      'FIRST_CALLBACK/PENDING/PENDING',
      'COMPLETED/PASSED/PENDING',
      'COMPLETED/PASSED/PAYABLE',
      'COMPLETED/PASSED/PAID',
    ]);
    // each event's before is the previous event's after
    for (let i = 1; i < events.length; i++) expect(events[i]!.before).toEqual(events[i - 1]!.after);
    // chained by hash to the one before
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);

    const steps = h.timeline.filter((e): e is Extract<Entry, { kind: 'step' }> => e.kind === 'step');
    expect(h.executions).toHaveLength(1);
    expect(steps[0]).toMatchObject({ type: 'ExecutionStarted', n: 1, prevHash: GENESIS_HASH, executionArn: expect.stringContaining(policyId) });
    expect(steps.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(steps.map((s) => s.n)).toEqual(steps.map((_s, i) => i + 1));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.prevHash).toBe(steps[i - 1]!.hash);
    const entered = steps.filter((s) => s.type === 'StateEntered').map((s) => s.stateName);
    expect(entered).toEqual(expect.arrayContaining(['Plan given at registration?', 'Await first callback date', 'Open first callback round', 'Await signed receipt', 'Lifecycle complete']));
    // A new policy's execution starts from the plan the registration computed: no read of the log.
    expect(entered).not.toContain('Load lifecycle');
    const left = steps.filter((s) => s.type === 'StateExited').map((s) => s.stateName);
    expect(left).toContain('Open first callback round');
    // one timeline, ordered by time
    const times = h.timeline.map((e) => e.at);
    expect(times).toEqual([...times].sort());
    expect(h.events).toBe(5);
    expect(h.workflowSteps).toBe(steps.length);
  });

  it('masks the customer for the auditor and the manager, not for the owning agent', async () => {
    const policyId = await completedLifecycle();
    for (const reader of ['auditor', 'manager', 'compliance']) {
      const registered = (await history(policyId, reader)).timeline.find((e) => e.kind === 'event' && e.type === 'PolicyRegistered') as unknown as { data: { policy: { policyholder: { name: string; phone: string }; agent: { phone: string } } } };
      expect(registered.data.policy.policyholder).toEqual({ name: '张*', phone: '138****5678' });
      expect(registered.data.policy.agent.phone).toBe('139****0001');
    }
    const own = (await history(policyId, `agent:${AGENT_ID}`)).timeline.find((e) => e.kind === 'event' && e.type === 'PolicyRegistered') as unknown as { data: { policy: { policyholder: { phone: string } } } };
    expect(own.data.policy.policyholder.phone).toBe(CUSTOMER_PHONE);
    expectError(await t.api.get('agent:A9999', `/v1/policies/${policyId}/history`), 403, 'FORBIDDEN');
  });

  it('is refused to roles without the right, 404 for an unknown policy', async () => {
    const policyId = await completedLifecycle();
    for (const role of ['upstream', 'callcentre', 'branch']) {
      expectError(await t.api.get(role, `/v1/policies/${policyId}/history`), 403, 'FORBIDDEN');
      expectError(await t.api.get(role, `/v1/policies/${policyId}/history/verify`), 403, 'FORBIDDEN');
    }
    expectError(await t.api.get('auditor', '/v1/policies/NOPE-1/history'), 404);
    expectError(await t.api.get('auditor', '/v1/policies/bad%20id/history'), 400);
  });
});

describe('verification of the chain', () => {
  it('is valid for an untouched history', async () => {
    const result = await verify(await completedLifecycle());
    expect(result).toMatchObject({ valid: true, events: 4, workflowSteps: { valid: true } });
    expect(result.firstBrokenAt).toBeUndefined();
    expect(result.workflowSteps.records).toBeGreaterThan(10);
  });

  it('fails at exactly the event altered directly in the database', async () => {
    const policyId = await completedLifecycle();
    await db.send(new UpdateCommand({
      TableName: LOCAL_TABLE_NAME, Key: key(policyId, 3),
      UpdateExpression: 'SET #data.#attempt.#operator = :who', ExpressionAttributeNames: { '#data': 'data', '#attempt': 'attempt', '#operator': 'operatorId' },
      ExpressionAttributeValues: { ':who': 'SOMEONE-ELSE' },
    }));
    const result = await verify(policyId);
    expect(result).toMatchObject({ valid: false, firstBrokenAt: 3 });
    expect(result.reason).toContain('altered');
  });

  it('fails at the event whose timestamp was moved', async () => {
    const policyId = await completedLifecycle();
    await db.send(new UpdateCommand({ TableName: LOCAL_TABLE_NAME, Key: key(policyId, 2), UpdateExpression: 'SET #at = :at', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':at': '2020-01-01T00:00:00.000Z' } }));
    expect(await verify(policyId)).toMatchObject({ valid: false, firstBrokenAt: 2 });
  });

  it('fails at a deleted event, in the middle or at the end of the log', async () => {
    const middle = await completedLifecycle();
    await db.send(new DeleteCommand({ TableName: LOCAL_TABLE_NAME, Key: key(middle, 2) }));
    expect(await verify(middle)).toMatchObject({ valid: false, firstBrokenAt: 2 });
    const tail = await completedLifecycle();
    await db.send(new DeleteCommand({ TableName: LOCAL_TABLE_NAME, Key: key(tail, 4) }));
    expect(await verify(tail)).toMatchObject({ valid: false, firstBrokenAt: 4 });
  });

  it('keeps consecutive steps of an execution in one item, and reads a history stored one step per item', async () => {
    const policyId = await completedLifecycle();
    const stepItems = async () => (await db.send(new QueryCommand({
      TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ExpressionAttributeValues: { ':pk': `P#${policyId}`, ':w': 'W#' },
    }))).Items!;
    const packed = await stepItems();
    const before = await history(policyId);
    const steps = before.timeline.filter((e) => e.kind === 'step');
    expect(packed.length).toBeLessThan(steps.length / 3);
    // The layout before packing: each step its own item, keyed by its own position.
    const unpacked = packed.flatMap((item) => (item.steps as Record<string, unknown>[]).map((step) => ({
      pk: item.pk, sk: `W#${item.execution}#${String(step.n).padStart(10, '0')}`, policyId, execution: item.execution, executionArn: item.executionArn, ...step,
    })));
    await db.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: packed.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })) } }));
    for (let i = 0; i < unpacked.length; i += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: unpacked.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })) } }));
    }
    expect(await stepItems()).toHaveLength(steps.length);
    expect((await history(policyId)).timeline).toEqual(before.timeline);
    expect(await verify(policyId)).toMatchObject({ valid: true, workflowSteps: { valid: true, records: steps.length } });
  });

  it('fails at the workflow step altered in the database', async () => {
    const policyId = await completedLifecycle();
    const steps = await db.send(new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ExpressionAttributeValues: { ':pk': `P#${policyId}`, ':w': 'W#' } }));
    // Consecutive steps of an execution share an item: alter step 5 inside the item holding it.
    const target = steps.Items!.find((i) => (i.steps as { n: number }[]).some((step) => step.n === 5))!;
    const index = (target.steps as { n: number }[]).findIndex((step) => step.n === 5);
    await db.send(new UpdateCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: target.pk, sk: target.sk }, UpdateExpression: `SET steps[${index}].stateName = :s`, ExpressionAttributeValues: { ':s': 'Something else' } }));
    const result = await verify(policyId);
    expect(result).toMatchObject({ valid: false, events: 4, workflowSteps: { valid: false, firstBrokenAt: { execution: target.execution, n: 5 } } });
    expect(result.firstBrokenAt).toBeUndefined();
  });
});

describe('reads of the history are recorded', () => {
  it('shows who read what, when, to auditors only', async () => {
    const policyId = await completedLifecycle();
    const from = (await t.api.now()).toISOString();
    await history(policyId, 'manager:M7');
    await verify(policyId);
    const to = new Date(Date.parse(from) + 1000).toISOString();
    const log = await t.api.get<{ records: { role: string; subject?: string; action: string; policyId?: string; at: string }[] }>('auditor:AU2', `/v1/audit/access-log?from=${from}&to=${to}`);
    expect(log.status, log.text).toBe(200);
    const mine = log.body.records.filter((r) => r.policyId === policyId);
    // Reads at the same instant (the virtual clock stood still) have no order among them.
    expect(mine).toHaveLength(2);
    expect(mine).toEqual(expect.arrayContaining([
      expect.objectContaining({ role: 'manager', subject: 'M7', action: 'history', at: from }),
      expect.objectContaining({ role: 'auditor', subject: 'AU1', action: 'history-verify', at: from }),
    ]));
    // reading the access log is itself recorded
    const again = await t.api.get<{ records: { action: string; subject?: string }[] }>('auditor:AU2', `/v1/audit/access-log?from=${from}&to=${to}`);
    expect(again.body.records).toContainEqual(expect.objectContaining({ action: 'access-log', subject: 'AU2' }));
    for (const role of ['manager', 'compliance', 'agent:A1001', 'branch']) expectError(await t.api.get(role, `/v1/audit/access-log?from=${from}&to=${to}`), 403);
  });
});
