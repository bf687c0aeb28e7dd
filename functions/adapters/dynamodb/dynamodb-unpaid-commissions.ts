import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { CommissionFacts } from '../../domain/settlement-decision.js';
import type { LogHead } from '../../ports/policy-repository.js';
import type { UnpaidCommission, UnpaidCommissions } from '../../ports/settlement-store.js';
import { batchPut } from './batch-operations.js';
import { UNPAID_INDEX, UNPAID_SHARDS, unpaidPartition } from './table-keys.js';

type Item = Record<string, unknown>;

/** Cursor "<shard>" or "<shard>.<base64url of the last key>"; "" is the start. */
function parseCursor(cursor: string): { shard: number; startKey?: Item } {
  if (cursor === '') return { shard: 0 };
  const [shardText = '', key] = cursor.split('.', 2);
  const shard = Number(shardText);
  if (!Number.isInteger(shard) || shard < 0 || shard > UNPAID_SHARDS) throw new RangeError(`invalid unpaid cursor ${JSON.stringify(cursor)}`);
  return key ? { shard, startKey: JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as Item } : { shard };
}

function formatCursor(shard: number, startKey?: Item): string {
  return startKey ? `${shard}.${Buffer.from(JSON.stringify(startKey)).toString('base64url')}` : String(shard);
}

function toUnpaid(item: Item): UnpaidCommission {
  return {
    policyId: String(item.unpaidSk),
    head: { version: Number(item.version), lastHash: String(item.lastHash) },
    facts: item.commissionFacts as CommissionFacts,
    lifecycleOpen: item.workPk !== undefined,
    viewItem: item,
  };
}

/** The sparse `unpaid` index over view items, read shard by shard in key order. */
export class DynamoDbUnpaidCommissions implements UnpaidCommissions {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string) {}

  async list(cursor: string, limit: number): Promise<{ items: UnpaidCommission[]; cursor?: string }> {
    let { shard, startKey } = parseCursor(cursor);
    const items: UnpaidCommission[] = [];
    while (shard < UNPAID_SHARDS && items.length < limit) {
      const out: QueryCommandOutput = await this.db.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: UNPAID_INDEX,
        KeyConditionExpression: 'unpaidPk = :p',
        ExpressionAttributeValues: { ':p': unpaidPartition(shard) },
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      }));
      // A view written without a log head (before this index existed) is skipped rather than misread.
      items.push(...(out.Items ?? []).filter((i) => typeof i.lastHash === 'string' && i.commissionFacts).map(toUnpaid));
      startKey = out.LastEvaluatedKey;
      if (!startKey) shard++;
    }
    return shard < UNPAID_SHARDS ? { items, cursor: formatCursor(shard, startKey) } : { items };
  }

  /**
   * Batched, so unconditional: only for closed lifecycles, whose view past a final settlement
   * is the same at every later version (no work item, not unpaid). Other attributes of the
   * view item are kept as they were.
   */
  async retire(settled: readonly { readonly commission: UnpaidCommission; readonly head: LogHead }[]): Promise<void> {
    const items = settled.map(({ commission, head }) => {
      const { unpaidPk: _p, unpaidSk: _s, commissionFacts: _f, ...view } = commission.viewItem;
      return { ...view, version: head.version, lastHash: head.lastHash };
    });
    await batchPut(this.db, this.tableName, items);
  }
}
