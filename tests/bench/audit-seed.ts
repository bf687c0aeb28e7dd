import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditAttributesOf } from '../../functions/adapters/dynamodb/audit-index-keys.js';
import { eventSortKey, policyKey } from '../../functions/adapters/dynamodb/table-keys.js';
import { GENESIS_HASH, hashEvent } from '../../functions/lifecycle/event-hash.js';
import type { EventData, PolicyRecord, StoredEvent } from '../../functions/lifecycle/events.js';
import { LOCAL_TABLE_NAME } from '../../infra/local/dynamodb-local.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/loopback.js';

/** The agent whose month the benchmark searches: one policy in HEAVY_EVERY is theirs. */
export const TARGET_AGENT = 'AG-TARGET';
const HEAVY_EVERY = 60;
export const EVENTS_PER_POLICY = 8;
const AGENTS = 2000;
const BRANCHES = 50;
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

function policyOf(p: number): PolicyRecord {
  const agentId = p % HEAVY_EVERY === 0 ? TARGET_AGENT : `AG${p % AGENTS}`;
  return {
    policyId: `BP-${p}`, productCode: 'LIFE20', branchId: `BR${p % BRANCHES}`, printedAt: '', effectiveAt: '2026-01-01',
    agent: { agentId, name: '王芳', phone: '13900000001', email: `${agentId}@insurer.example` },
    policyholder: { name: '张三', phone: `138${String(p).padStart(8, '0')}` }, commission: { amount: '1200.00' },
    ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
  };
}

function dataOf(k: number, policy: PolicyRecord, at: string): EventData {
  const attempt = (reached: boolean, id: string) => ({ attemptId: id, round: 1, calledAt: at, reached, operatorId: 'OP7', ...(reached ? {} : { reason: 'NO_ANSWER' as const }) });
  switch (k) {
    case 0: return { type: 'PolicyRegistered', policy: { ...policy, printedAt: at }, requestHash: 'a'.repeat(32) };
    case 1: return { type: 'SpecialRequestFiled', requestId: `R-${policy.policyId}`, requestType: 'EARLY', reason: 'customer abroad', requestHash: 'b'.repeat(32) };
    case 2: return { type: 'SpecialRequestDecided', requestId: `R-${policy.policyId}`, approve: false };
    case 3: return { type: 'CallbackRoundOpened', round: 1, notBefore: at, deadline: at };
    case 4: return { type: 'CallbackAttemptRecorded', attempt: attempt(false, 'a1'), requestHash: 'c'.repeat(32), roundStatus: 'OPEN', nextAttemptNotBefore: at };
    case 5: return { type: 'CallbackAttemptRecorded', attempt: attempt(false, 'a2'), requestHash: 'd'.repeat(32), roundStatus: 'OPEN', nextAttemptNotBefore: at };
    case 6: return { type: 'CallbackAttemptRecorded', attempt: attempt(true, 'a3'), requestHash: 'e'.repeat(32), roundStatus: 'PASSED' };
    default: return { type: 'ReceiptReturned', returnedAt: at, late: false, requestHash: 'f'.repeat(32) };
  }
}

/** One policy's event items exactly as the repository writes them (hash chain and audit index keys). */
function itemsOf(p: number, policies: number): Record<string, unknown>[] {
  const policy = policyOf(p);
  const registeredAt = YEAR_START + Math.floor((p / policies) * 330 * DAY);
  let prevHash = GENESIS_HASH;
  const items: Record<string, unknown>[] = [];
  for (let k = 0; k < EVENTS_PER_POLICY; k++) {
    const at = new Date(registeredAt + k * 2 * DAY + (p % 1000)).toISOString();
    const base = { policyId: policy.policyId, seq: k + 1, at, actor: { role: k === 3 ? 'workflow' : 'upstream' }, data: dataOf(k, policy, at) };
    const event: StoredEvent = { ...base, prevHash, hash: hashEvent(prevHash, base) };
    prevHash = event.hash;
    items.push({ pk: policyKey(policy.policyId), sk: eventSortKey(event.seq), ...event, ...auditAttributesOf(event, { agentId: policy.agent.agentId, branchId: policy.branchId }) });
  }
  return items;
}

/** Seeds `events` events straight into the local DynamoDB with BatchWriteItem (25 items, `concurrency` in flight). */
export async function seedEvents(endpoint: string, events: number, concurrency: number, progress: (done: number) => void): Promise<void> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 10 }));
  const policies = Math.ceil(events / EVENTS_PER_POLICY);
  let nextPolicy = 0;
  let written = 0;
  const worker = async () => {
    const buffer: Record<string, unknown>[] = [];
    while (nextPolicy < policies || buffer.length > 0) {
      while (buffer.length < 25 && nextPolicy < policies) buffer.push(...itemsOf(nextPolicy++, policies));
      let batch = buffer.splice(0, 25).map((Item) => ({ PutRequest: { Item } }));
      while (batch.length > 0) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: batch } }));
        const left = out.UnprocessedItems?.[LOCAL_TABLE_NAME] ?? [];
        written += batch.length - left.length;
        batch = left as typeof batch;
      }
      if (written % 10_000 < 25) progress(written);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  progress(written);
  db.destroy();
}
