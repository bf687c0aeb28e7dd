import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Item, QueryOutput, TableClient } from './table-client.js';
import type { BranchSummary, SettlementLine, SettlementRun, SettlementStore, SettlementTotals } from '../../ports/settlement-store.js';
import { batchGet, batchPut } from './batch-operations.js';
import { BRANCH_PREFIX, LINE_PREFIX, lineSortKey, SETTLEMENT_RUNS_KEY, settlementKey } from './table-keys.js';
import { queryAll } from './query-all.js';

const LINE_PAGE = 1000;

function strip<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * Runs in one small partition (`SETTLEMENTS`, sort key = month); each month's lines
 * (`L#<agent>#<policy>`, so a statement reads in agent order) and branch summaries
 * (`B#<branch>`) in the month's own partition.
 */
export class DynamoDbSettlementStore implements SettlementStore {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async getRun(month: string): Promise<SettlementRun | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: SETTLEMENT_RUNS_KEY, sk: month }, ConsistentRead: true });
    return out.Item ? strip<SettlementRun>(out.Item) : undefined;
  }

  async listRuns(): Promise<SettlementRun[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': SETTLEMENT_RUNS_KEY },
      ConsistentRead: true,
    });
    return items.map((i) => strip<SettlementRun>(i));
  }

  async createRun(run: SettlementRun): Promise<boolean> {
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { pk: SETTLEMENT_RUNS_KEY, sk: run.month, ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async startQueuedRun(month: string, startedAt: string): Promise<boolean> {
    try {
      await this.db.update({
        TableName: this.tableName,
        Key: { pk: SETTLEMENT_RUNS_KEY, sk: month },
        UpdateExpression: 'SET #status = :running, attempt = :first, startedAt = :at',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING', ':queued': 'QUEUED', ':first': 1, ':at': startedAt },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async restartRun(month: string, fromAttempt: number): Promise<boolean> {
    try {
      await this.db.update({
        TableName: this.tableName,
        Key: { pk: SETTLEMENT_RUNS_KEY, sk: month },
        UpdateExpression: 'SET attempt = :next',
        ConditionExpression: '#status = :running AND attempt = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':next': fromAttempt + 1, ':from': fromAttempt, ':running': 'RUNNING' },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async completeRun(month: string, totals: SettlementTotals, completedAt: string): Promise<void> {
    await this.db.update({
      TableName: this.tableName,
      Key: { pk: SETTLEMENT_RUNS_KEY, sk: month },
      UpdateExpression: 'SET #status = :completed, totals = :totals, completedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'COMPLETED', ':totals': totals, ':at': completedAt },
    });
  }

  async findLines(month: string, keys: readonly { agentId: string; policyId: string }[]): Promise<Map<string, SettlementLine>> {
    const items = await batchGet(this.db, this.tableName, keys.map((k) => ({ pk: settlementKey(month), sk: lineSortKey(k.agentId, k.policyId) })));
    return new Map(items.map((i) => [String(i.policyId), strip<SettlementLine>(i)]));
  }

  async putLines(lines: readonly SettlementLine[]): Promise<void> {
    await batchPut(this.db, this.tableName, lines.map((line) => ({ pk: settlementKey(line.month), sk: lineSortKey(line.agentId, line.policyId), ...line })));
  }

  async *readLines(month: string, agentId?: string): AsyncIterable<readonly SettlementLine[]> {
    let startKey: Item | undefined;
    do {
      const out: QueryOutput = await this.db.query({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': settlementKey(month), ':prefix': agentId ? `${LINE_PREFIX}${agentId}#` : LINE_PREFIX },
        Limit: LINE_PAGE,
        ExclusiveStartKey: startKey,
      });
      const lines = out.Items.map((i) => strip<SettlementLine>(i));
      if (lines.length > 0) yield lines;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  async getBranchSummary(month: string, branchId: string): Promise<BranchSummary | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: settlementKey(month), sk: `${BRANCH_PREFIX}${branchId}` }, ConsistentRead: true });
    return out.Item ? strip<BranchSummary>(out.Item) : undefined;
  }

  async putBranchSummary(summary: BranchSummary): Promise<void> {
    const { emailedAt: _kept, ...fields } = summary;
    await this.db.update({
      TableName: this.tableName,
      Key: { pk: settlementKey(summary.month), sk: `${BRANCH_PREFIX}${summary.branchId}` },
      UpdateExpression: 'SET #month = :month, branchId = :branch, totals = :totals, largestDeferrals = :largest',
      ExpressionAttributeNames: { '#month': 'month' },
      ExpressionAttributeValues: { ':month': fields.month, ':branch': fields.branchId, ':totals': fields.totals, ':largest': fields.largestDeferrals },
    });
  }

  async markBranchSummaryEmailed(month: string, branchId: string, at: string): Promise<void> {
    await this.db.update({
      TableName: this.tableName,
      Key: { pk: settlementKey(month), sk: `${BRANCH_PREFIX}${branchId}` },
      UpdateExpression: 'SET emailedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }
}
