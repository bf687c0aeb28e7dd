import { canonicalJson } from '../../lifecycle/event-hash.js';
import { chainHeadsOf, type ChainHeadLeaf } from '../../audit/chain-anchor.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { WorkflowStepRecord } from '../../audit/workflow-step-record.js';
import type { AnchorLedger, AnchorRecord, ChangedPolicy } from '../../ports/anchor-ledger.js';
import type { Item, QueryOutput, TableClient } from './table-client.js';
import { policyKey, STEP_PREFIX } from './table-keys.js';

const ANCHORS_KEY = 'ANCHORS';
const anchorSortKey = (id: string) => `A#${id}`;
/** In the policy's partition: the heads last anchored (not part of the history; loadHistory ignores it). */
const ANCHORED_SORT_KEY = 'ANCHORED';

interface PartitionState {
  events: StoredEvent[];
  steps: WorkflowStepRecord[];
  anchored?: string;
}

/**
 * Anchors in one small partition (one item a day), and per policy the heads last anchored.
 * Finding what changed walks the policy partitions with a projected scan, once a day: only
 * keys, positions and hashes are read, never the events' content.
 */
export class DynamoDbAnchorLedger implements AnchorLedger {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async latest(): Promise<AnchorRecord | undefined> {
    const out = await this.db.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': ANCHORS_KEY, ':a': 'A#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return out.Items[0] ? toRecord(out.Items[0]) : undefined;
  }

  async get(id: string): Promise<AnchorRecord | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: ANCHORS_KEY, sk: anchorSortKey(id) }, ConsistentRead: true });
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async record(anchor: AnchorRecord): Promise<void> {
    try {
      await this.db.put({ TableName: this.tableName, Item: { pk: ANCHORS_KEY, sk: anchorSortKey(anchor.id), ...anchor }, ConditionExpression: 'attribute_not_exists(pk)' });
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async list(limit: number, beforeId?: string): Promise<{ items: AnchorRecord[]; more: boolean }> {
    const out = await this.db.query({
      TableName: this.tableName,
      KeyConditionExpression: beforeId ? 'pk = :pk AND sk BETWEEN :a AND :before' : 'pk = :pk AND begins_with(sk, :a)',
      // `A#` sorts before every id; the upper bound excludes `beforeId` itself (ids are fixed-width digits).
      ExpressionAttributeValues: { ':pk': ANCHORS_KEY, ':a': 'A#', ...(beforeId ? { ':before': anchorSortKey(String(BigInt(beforeId) - 1n).padStart(beforeId.length, '0')) } : {}) },
      ScanIndexForward: false,
      Limit: limit + 1,
    });
    return { items: out.Items.slice(0, limit).map(toRecord), more: out.Items.length > limit };
  }

  async *changedPolicies(): AsyncIterable<ChangedPolicy> {
    const partitions = new Map<string, PartitionState>();
    let startKey: Item | undefined;
    do {
      const out: QueryOutput = await this.db.scan({
        TableName: this.tableName,
        FilterExpression: 'begins_with(#pk, :p) AND (begins_with(#sk, :e) OR begins_with(#sk, :w) OR #sk = :anchored)',
        ProjectionExpression: '#pk, #sk, #seq, #hash, #n, #execution, #steps, #heads',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#seq': 'seq', '#hash': 'hash', '#n': 'n', '#execution': 'execution', '#steps': 'steps', '#heads': 'heads' },
        ExpressionAttributeValues: { ':p': 'P#', ':e': 'E#', ':w': STEP_PREFIX, ':anchored': ANCHORED_SORT_KEY },
        ExclusiveStartKey: startKey,
      });
      for (const item of out.Items) collect(partitions, item);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    for (const [policyId, state] of [...partitions.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const heads = chainHeadsOf(policyId, state.events, state.steps);
      if (heads.length > 0 && canonicalJson(heads) !== state.anchored) yield { policyId, heads };
    }
  }

  async markAnchored(policyId: string, anchorId: string, heads: readonly ChainHeadLeaf[]): Promise<void> {
    await this.db.put({ TableName: this.tableName, Item: { pk: policyKey(policyId), sk: ANCHORED_SORT_KEY, anchorId, heads: canonicalJson(heads) } });
  }
}

function collect(partitions: Map<string, PartitionState>, item: Item): void {
  const policyId = String(item.pk).slice(2);
  const state = partitions.get(policyId) ?? { events: [], steps: [] };
  partitions.set(policyId, state);
  const sk = String(item.sk);
  if (sk === ANCHORED_SORT_KEY) state.anchored = String(item.heads);
  else if (sk.startsWith('E#')) state.events.push({ seq: Number(item.seq), hash: String(item.hash) } as StoredEvent);
  else {
    const execution = String(item.execution);
    const packed = Array.isArray(item.steps) ? (item.steps as Item[]) : [item];
    for (const step of packed) state.steps.push({ execution, n: Number(step.n), hash: String(step.hash) } as WorkflowStepRecord);
  }
}

function toRecord(item: Item): AnchorRecord {
  const { id, at, root, leaves, previousId } = item as unknown as AnchorRecord;
  return { id, at, root, leaves: Number(leaves), ...(previousId !== undefined ? { previousId } : {}) };
}
