import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchPut } from '../../functions/adapters/dynamodb/batch-operations.js';
import { TableClient } from '../../functions/adapters/dynamodb/table-client.js';
import { viewItemOf } from '../../functions/adapters/dynamodb/dynamodb-policy-repository.js';
import { eventSortKey, policyKey } from '../../functions/adapters/dynamodb/table-keys.js';
import { GENESIS_HASH, hashEvent } from '../../functions/lifecycle/event-hash.js';
import type { EventData, PolicyRecord, StoredEvent } from '../../functions/lifecycle/events.js';
import { foldEvents } from '../../functions/lifecycle/policy-state.js';
import { projectionOf } from '../../functions/lifecycle/projection.js';
import { LOCAL_TABLE_NAME } from '../../infra/local/dynamodb-local.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/loopback.js';

/** The commission situations seeded, with their share of the total (they add up to 1). */
export const MIX = {
  payOnTime: 0.4,
  payLateReceipt: 0.1,
  deferReceiptMissing: 0.2,
  deferCallbackPending: 0.25,
  cancelled: 0.05,
} as const;
export type Kind = keyof typeof MIX;

function kindOf(i: number): Kind {
  let edge = 0;
  const slot = (i % 100) / 100;
  for (const [kind, share] of Object.entries(MIX) as [Kind, number][]) {
    edge += share;
    if (slot < edge - 1e-9) return kind;
  }
  return 'payOnTime';
}

const day = (d: number, hh = 10) => new Date(Date.UTC(2026, 6, d, hh - 8)).toISOString(); // July 2026, Shanghai wall time

/** The event log of one policy in a given situation, all recorded in July before the 20th. */
function eventsOf(policyId: string, agent: number, branches: number, kind: Kind): EventData[] {
  const policy: PolicyRecord = {
    policyId,
    productCode: 'LIFE20',
    branchId: `BR-${String(agent % branches).padStart(3, '0')}`,
    printedAt: day(1, 9),
    effectiveAt: kind === 'payLateReceipt' ? '2026-03-01' : '2026-07-01',
    agent: { agentId: `A${String(agent).padStart(5, '0')}`, name: '业务员', phone: '13900000001' },
    policyholder: { name: '张三', phone: '13812345678' },
    commission: { amount: `${800 + (agent % 7) * 100}.${String(agent % 100).padStart(2, '0')}` },
    ruleSet: { name: 'default', version: 1 },
    timeZone: 'Asia/Shanghai',
  };
  const events: EventData[] = [{ type: 'PolicyRegistered', policy, requestHash: 'seed' }];
  if (kind === 'cancelled') return [...events, { type: 'PolicyCancelled', cancelledAt: day(5), reason: 'surrender', requestHash: 'seed' }];
  events.push({ type: 'CallbackRoundOpened', round: 1, notBefore: day(11, 9), deadline: day(21, 9) });
  if (kind === 'deferCallbackPending') return events;
  events.push({
    type: 'CallbackAttemptRecorded',
    attempt: { attemptId: `${policyId}-a1`, round: 1, calledAt: day(11), reached: true, operatorId: 'OP1' },
    requestHash: 'seed',
    roundStatus: 'PASSED',
  });
  if (kind === 'deferReceiptMissing') return events;
  return [...events, { type: 'ReceiptReturned', returnedAt: day(12), late: kind === 'payLateReceipt', requestHash: 'seed' }];
}

function stored(policyId: string, data: readonly EventData[]): StoredEvent[] {
  let prevHash = GENESIS_HASH;
  return data.map((d, i) => {
    const base = { policyId, seq: i + 1, at: i === 0 ? day(1, 9) : day(11 + Math.min(i, 3)), actor: { role: 'seed' }, data: d };
    const event: StoredEvent = { ...base, prevHash, hash: hashEvent(prevHash, base) };
    prevHash = event.hash;
    return event;
  });
}

/**
 * Writes `policies` unpaid commissions for `agents` agents straight into the local DynamoDB:
 * each a real hash-chained event log and the view item the repository would project from it
 * (batched, 1,000 policies at a time). Returns how many of each situation were written.
 */
export async function seedUnpaidCommissions(endpoint: string, policies: number, agents: number, branches: number, onProgress?: (done: number) => void): Promise<Record<Kind, number>> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, cacheMiddleware: true });
  const db = new TableClient(client);
  const counts = Object.fromEntries(Object.keys(MIX).map((k) => [k, 0])) as Record<Kind, number>;
  for (let start = 0; start < policies; start += 1000) {
    const items: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(policies, start + 1000); i++) {
      const kind = kindOf(i);
      counts[kind]++;
      const policyId = `S-${String(i).padStart(7, '0')}`;
      const log = stored(policyId, eventsOf(policyId, i % agents, branches, kind));
      items.push(...log.map((e) => ({ pk: policyKey(policyId), sk: eventSortKey(e.seq), ...e })));
      items.push(viewItemOf(projectionOf(foldEvents(log)!)));
    }
    await batchPut(db, LOCAL_TABLE_NAME, items, 8);
    onProgress?.(Math.min(policies, start + 1000));
  }
  client.destroy();
  return counts;
}
