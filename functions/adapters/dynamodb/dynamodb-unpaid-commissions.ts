import type { Item, QueryOutput, TableClient } from './table-client.js';
import type { CommissionFacts } from '../../domain/settlement-decision.js';
import type { Projection } from '../../lifecycle/projection.js';
import type { UnpaidCommission, UnpaidCommissions } from '../../ports/settlement-store.js';
import { batchPut } from './batch-operations.js';
import { viewItemOf } from './dynamodb-policy-repository.js';
import { UNPAID_INDEX, UNPAID_SHARDS, unpaidPartition } from './table-keys.js';

/** Cursor: "" at the start of a shard, else the base64url of the last key read. */
function parseCursor(cursor: string): Item | undefined {
  if (cursor === '') return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Item;
  } catch {
    // reported below
  }
  throw new RangeError(`invalid unpaid cursor ${JSON.stringify(cursor)}`);
}

const formatCursor = (lastKey: Item) => Buffer.from(JSON.stringify(lastKey)).toString('base64url');

function toUnpaid(item: Item): UnpaidCommission {
  return {
    policyId: String(item.unpaidSk),
    head: { version: Number(item.version), lastHash: String(item.lastHash), ...(typeof item.lastAt === 'string' ? { lastAt: item.lastAt } : {}) },
    facts: item.commissionFacts as CommissionFacts,
    lifecycleOpen: item.workPk !== undefined,
  };
}

/** The sparse `unpaid` index over view items, sharded so shards can be settled side by side; each read in key order. */
export class DynamoDbUnpaidCommissions implements UnpaidCommissions {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  readonly shards = UNPAID_SHARDS;

  async list(shard: number, cursor: string, limit: number): Promise<{ items: UnpaidCommission[]; cursor?: string }> {
    if (!Number.isInteger(shard) || shard < 0 || shard >= UNPAID_SHARDS) throw new RangeError(`no unpaid shard ${shard}`);
    let startKey = parseCursor(cursor);
    const items: UnpaidCommission[] = [];
    do {
      const out: QueryOutput = await this.db.query({
        TableName: this.tableName,
        IndexName: UNPAID_INDEX,
        KeyConditionExpression: 'unpaidPk = :p',
        ExpressionAttributeValues: { ':p': unpaidPartition(shard) },
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      });
      // A view written without a log head (before this index existed) is skipped rather than misread.
      items.push(...out.Items.filter((i) => typeof i.lastHash === 'string' && i.commissionFacts).map(toUnpaid));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return startKey ? { items, cursor: formatCursor(startKey) } : { items };
  }

  /** Reads only each item's registration time, the shards side by side (run once, before the first settlement). */
  async earliestRegistration(): Promise<string | undefined> {
    const perShard = await Promise.all(Array.from({ length: UNPAID_SHARDS }, async (_, shard) => {
      let earliest: string | undefined;
      let startKey: Item | undefined;
      do {
        const out: QueryOutput = await this.db.query({
          TableName: this.tableName,
          IndexName: UNPAID_INDEX,
          KeyConditionExpression: 'unpaidPk = :p',
          ProjectionExpression: 'commissionFacts.registeredAt',
          ExpressionAttributeValues: { ':p': unpaidPartition(shard) },
          ExclusiveStartKey: startKey,
        });
        for (const item of out.Items) {
          const at = (item.commissionFacts as { registeredAt?: unknown } | undefined)?.registeredAt;
          if (typeof at === 'string' && (earliest === undefined || Date.parse(at) < Date.parse(earliest))) earliest = at;
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return earliest;
    }));
    return perShard.filter((at): at is string => at !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  }

  /**
   * Batched, so unconditional: only for closed lifecycles, whose view past a final settlement
   * holds nothing but its log head (no work item, not unpaid).
   */
  async retire(settled: readonly Projection[]): Promise<void> {
    await batchPut(this.db, this.tableName, settled.map(viewItemOf));
  }
}
