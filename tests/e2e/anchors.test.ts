import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEvent } from '../../functions/lifecycle/event-hash.js';
import type { StoredEvent } from '../../functions/lifecycle/events.js';
import { LOCAL_TABLE_NAME } from '../../infra/local/dynamodb-local.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

type Anchor = { id: string; at: string; root: string; leaves: number; previousId?: string; created: boolean };
type Verify = {
  valid: boolean; events: number; firstBrokenAt?: number; reason?: string;
  workflowSteps: { valid: boolean; firstBrokenAt?: { execution: string; n: number }; reason?: string };
  anchor?: { id: string; at: string; included: boolean; reason?: string };
};

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

const anchorNow = async (credential = 'auditor:AU1') => t.api.post<Anchor>(credential, '/v1/audit/anchors', {});
const verify = async (policyId: string) => {
  const response = await t.api.get<Verify>('auditor:AU1', `/v1/policies/${policyId}/history/verify`);
  expect(response.status, response.text).toBe(200);
  return response.body;
};
const partition = async (policyId: string) =>
  (await db.send(new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `P#${policyId}` } }))).Items ?? [];

async function completed(prefix: string): Promise<Scenario> {
  const s = new Scenario(t.api, newPolicyId(prefix));
  await s.toFirstCallback();
  expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
  await s.returnReceipt();
  return s;
}

describe('anchors', () => {
  it('anchors the changed chains on demand, answers 200 with the latest when nothing changed, and lists newest first', async () => {
    expect((await t.api.post('agent:A1', '/v1/audit/anchors', {})).status).toBe(403);
    const s = await completed('AN');
    const first = await anchorNow();
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^\d{10}$/), root: expect.stringMatching(/^[0-9a-f]{64}$/), created: true });
    expect(first.body.leaves).toBeGreaterThanOrEqual(2);
    const again = await anchorNow('compliance:C1');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, root: first.body.root, created: false });

    // The archived object holds the root, the leaves and the link to the anchor before it.
    const archived = JSON.parse(await readFile(join(t.dataDir, 'archive', 'anchors', `${first.body.id}.json`), 'utf8')) as { root: string; leaves: { policyId: string; chain: string }[] };
    expect(archived.root).toBe(first.body.root);
    expect(archived.leaves.filter((l) => l.policyId === s.policyId).map((l) => l.chain)).toEqual(['events', expect.stringMatching(/^steps:/)]);

    const other = await completed('AN');
    const second = await anchorNow();
    expect(second.status).toBe(201);
    // The daily job runs too as the scenario's days pass: anchors chain, each naming the one before.
    expect(second.body.leaves).toBe(2);
    expect(Number(second.body.previousId)).toBeGreaterThanOrEqual(Number(first.body.id));
    const list = await t.api.get<{ anchors: Anchor[]; nextCursor?: string }>('auditor:AU1', '/v1/audit/anchors?limit=1');
    expect(list.body.anchors.map((a) => a.id)).toEqual([second.body.id]);
    const rest = await t.api.get<{ anchors: Anchor[] }>('auditor:AU1', `/v1/audit/anchors?limit=5&cursor=${list.body.nextCursor}`);
    expect(rest.body.anchors[0]?.id).toBe(second.body.previousId);
    expect(rest.body.anchors.map((a) => Number(a.id))).toEqual([...rest.body.anchors.map((a) => Number(a.id))].sort((a, b) => b - a));

    expect(await verify(other.policyId)).toMatchObject({ valid: true, anchor: { id: second.body.id, included: true } });
    // The first policy may have moved since (the monthly settlement appends to it): its latest anchor is no older than the first.
    const firstVerdict = await verify(s.policyId);
    expect(firstVerdict).toMatchObject({ valid: true, anchor: { included: true } });
    expect(Number(firstVerdict.anchor?.id)).toBeGreaterThanOrEqual(Number(first.body.id));
  });

  it('finds a consistent rewrite of a partition (events, hashes, view head) at the anchored event', async () => {
    const s = new Scenario(t.api, newPolicyId('AR'));
    await s.toFirstCallback();
    expect((await anchorNow()).status).toBe(201);
    const anchoredEvents = (await verify(s.policyId)).events;
    expect((await s.call(1, { reached: true })).roundStatus).toBe('PASSED');
    await s.returnReceipt();
    expect(await verify(s.policyId)).toMatchObject({ valid: true });

    // Rewrite from the last anchored event on, recomputing every hash after it and the view's head.
    const items = await partition(s.policyId);
    const events = items.filter((i) => String(i.sk).startsWith('E#')).sort((a, b) => Number(a.seq) - Number(b.seq)) as unknown as StoredEvent[];
    let prevHash = (events[anchoredEvents - 2] as StoredEvent).hash;
    for (const event of events.slice(anchoredEvents - 1)) {
      const forged = { ...event, actor: { ...event.actor, subject: 'forger' }, prevHash };
      const hash = hashEvent(prevHash, forged);
      await db.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...(items.find((i) => i.sk === `E#${String(event.seq).padStart(10, '0')}`) as object), ...forged, hash } }));
      prevHash = hash;
    }
    await db.send(new UpdateCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: `P#${s.policyId}`, sk: 'VIEW' }, UpdateExpression: 'SET lastHash = :h', ExpressionAttributeValues: { ':h': prevHash } }));

    const result = await verify(s.policyId);
    expect(result).toMatchObject({ valid: false, firstBrokenAt: anchoredEvents, anchor: { included: true } });
    expect(result.reason).toMatch(/rewritten/);
  });

  it('finds a deleted policy, from its first event', async () => {
    const s = await completed('AD');
    expect((await anchorNow()).status).toBe(201);
    const items = await partition(s.policyId);
    await db.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: items.slice(0, 25).map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })) } }));
    expect(await partition(s.policyId)).toEqual([]);
    expect(await verify(s.policyId)).toMatchObject({ valid: false, events: 0, firstBrokenAt: 1, anchor: { included: true } });
    // Never anchored and not in the table: simply not found.
    expect((await t.api.get('auditor:AU1', `/v1/policies/${newPolicyId('AD')}/history/verify`)).status).toBe(404);
  });

  it('finds a truncated step chain at the anchored step', async () => {
    const s = await completed('AT');
    expect((await anchorNow()).status).toBe(201);
    const stepItems = (await partition(s.policyId)).filter((i) => String(i.sk).startsWith('W#'));
    const last = stepItems.sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)).at(-1) as Record<string, unknown> & { steps: { n: number }[] };
    const anchoredHead = (last.steps.at(-1) as { n: number }).n;
    // Drop the last three steps: what is left is still a valid chain on its own.
    await db.send(new PutCommand({ TableName: LOCAL_TABLE_NAME, Item: { ...last, steps: last.steps.slice(0, -3) } }));
    const result = await verify(s.policyId);
    expect(result.valid).toBe(false);
    expect(result.workflowSteps).toMatchObject({ valid: false, firstBrokenAt: { execution: String(last.execution), n: anchoredHead } });
    expect(result.workflowSteps.reason).toMatch(/deleted/);
  });

  it('finds an altered archived anchor: its leaves no longer hash to its root', async () => {
    const s = await completed('AX');
    const anchor = await anchorNow();
    expect(anchor.status).toBe(201);
    const file = join(t.dataDir, 'archive', 'anchors', `${anchor.body.id}.json`);
    const document = JSON.parse(await readFile(file, 'utf8')) as { leaves: { policyId: string; count: number }[] };
    const doctored = { ...document, leaves: document.leaves.map((l) => (l.policyId === s.policyId ? { ...l, count: l.count + 1 } : l)) };
    await writeFile(file, JSON.stringify(doctored));
    const result = await verify(s.policyId);
    expect(result.valid).toBe(false);
    expect(result.anchor).toMatchObject({ id: anchor.body.id, included: false, reason: expect.stringMatching(/root mismatch/) });
  });
});
