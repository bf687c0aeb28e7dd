import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Item, QueryOutput, TableClient } from './table-client.js';
import { GENESIS_HASH, hashEvent } from '../../lifecycle/event-hash.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import { commissionFactsOf, isCommissionUnpaid } from '../../lifecycle/commission-facts.js';
import { applyEvent, foldEvents, type PolicyState } from '../../lifecycle/policy-state.js';
import { workItemOf } from '../../lifecycle/work-item.js';
import {
  ConcurrentAppendError, type EventOwner, type LoadedPolicy, type LogHead, type NewEvent, type PolicyRepository, type WorkBucket, type WorkItem,
} from '../../ports/policy-repository.js';
import { auditAttributesOf } from './audit-index-keys.js';
import { queryAll } from './query-all.js';
import {
  eventSortKey, policyKey, requestKey, STEP_PREFIX, TOKEN_PREFIX, unpaidPartition, unpaidShardOf, VIEW_SORT_KEY, WORK_INDEX, workPartition, workSortKey,
} from './table-keys.js';

/**
 * The event log and its projections in one DynamoDB table. An append is a conditional put on
 * the next sequence number: no transactions (dynalite has none), concurrent writers cannot both win.
 */
export class DynamoDbPolicyRepository implements PolicyRepository {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async load(policyId: string): Promise<LoadedPolicy | undefined> {
    // Events, tokens and the view; the workflow step records (sorted last) are the auditor's, not read here.
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk < :steps',
      ExpressionAttributeValues: { ':pk': policyKey(policyId), ':steps': STEP_PREFIX },
    });
    const events = items.filter((i) => String(i.sk).startsWith('E#')).map(toStoredEvent);
    const state = foldEvents(events);
    if (!state) return undefined;
    const view = items.find((i) => i.sk === VIEW_SORT_KEY);
    return { events, state, tokens: tokensOf(items), viewVersion: Number(view?.version ?? 0) };
  }

  async append(policyId: string, previous: PolicyState | undefined, event: NewEvent) {
    const policy = event.data.type === 'PolicyRegistered' ? event.data.policy : previous?.policy;
    if (!policy) throw new Error(`policy ${policyId} has no registration to append ${event.data.type} to`);
    const owner = { agentId: policy.agent.agentId, branchId: policy.branchId };
    const stored = await this.appendAfter(policyId, { version: previous?.version ?? 0, lastHash: previous?.lastHash ?? GENESIS_HASH }, event, owner);
    const state = applyEvent(previous, stored);
    await this.project(state);
    return { event: stored, state };
  }

  async appendAfter(policyId: string, head: LogHead, event: NewEvent, owner: EventOwner): Promise<StoredEvent> {
    const seq = head.version + 1;
    const base = { policyId, seq, at: event.at, actor: event.actor, data: event.data };
    const stored: StoredEvent = { ...base, prevHash: head.lastHash, hash: hashEvent(head.lastHash, base) };
    // The audit index keys ride on the event item itself: no extra write request.
    const audit = auditAttributesOf(stored, owner);
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { pk: policyKey(policyId), sk: eventSortKey(seq), ...stored, ...audit },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentAppendError(policyId, seq);
      throw error;
    }
    return stored;
  }

  async project(state: PolicyState): Promise<void> {
    const item = viewItemOf(state);
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(version) OR version <= :v',
        ExpressionAttributeValues: { ':v': state.version },
      });
    } catch (error) {
      // A newer projection is already there: ours is stale, which is fine.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async loadTokens(policyId: string): Promise<Record<string, string>> {
    const out = await this.db.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
      ExpressionAttributeValues: { ':pk': policyKey(policyId), ':t': TOKEN_PREFIX },
    });
    return tokensOf(out.Items);
  }

  async saveToken(policyId: string, step: string, token: string): Promise<void> {
    await this.db.put({ TableName: this.tableName, Item: { pk: policyKey(policyId), sk: `${TOKEN_PREFIX}${step}`, token } });
  }

  async listWork(bucket: WorkBucket, dueBy: string | undefined, limit: number, after?: WorkItem): Promise<WorkItem[]> {
    const items: WorkItem[] = [];
    let startKey: Record<string, unknown> | undefined = after && {
      pk: policyKey(after.policyId), sk: VIEW_SORT_KEY, workPk: workPartition(after.bucket), workSk: workSortKey(after),
    };
    do {
      const out: QueryOutput = await this.db.query({
        TableName: this.tableName,
        IndexName: WORK_INDEX,
        KeyConditionExpression: dueBy ? 'workPk = :b AND workSk <= :d' : 'workPk = :b',
        ExpressionAttributeValues: dueBy ? { ':b': workPartition(bucket), ':d': `${dueBy}#\uffff` } : { ':b': workPartition(bucket) },
        Limit: Math.min(limit - items.length, 500),
        ExclusiveStartKey: startKey,
      });
      items.push(...out.Items.map((i) => i.work as WorkItem));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  async saveRequestLink(requestId: string, policyId: string): Promise<void> {
    await this.db.put({ TableName: this.tableName, Item: { pk: requestKey(requestId), sk: 'REQUEST', policyId } });
  }

  async findRequestPolicy(requestId: string): Promise<string | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: requestKey(requestId), sk: 'REQUEST' } });
    return out.Item?.policyId as string | undefined;
  }


}

/** The view item of a state: its work queue entry and, while the commission is unpaid, its place in the `unpaid` index. */
export function viewItemOf(state: PolicyState): Item {
  const work = workItemOf(state);
  const item: Item = { pk: policyKey(state.policy.policyId), sk: VIEW_SORT_KEY, version: state.version, lastHash: state.lastHash };
  if (work) Object.assign(item, { workPk: workPartition(work.bucket), workSk: workSortKey(work), work });
  // Same write, no extra one: while unpaid, the view item sits in the sparse `unpaid` index with what a settlement decides on.
  if (isCommissionUnpaid(state)) {
    Object.assign(item, { unpaidPk: unpaidPartition(unpaidShardOf(state.policy.policyId)), unpaidSk: state.policy.policyId, commissionFacts: commissionFactsOf(state) });
  }
  return item;
}

function toStoredEvent(item: Item): StoredEvent {
  const { policyId, seq, at, actor, data, prevHash, hash } = item as unknown as StoredEvent;
  return { policyId, seq, at, actor, data, prevHash, hash };
}

function tokensOf(items: readonly Item[]): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith(TOKEN_PREFIX)) tokens[sk.slice(TOKEN_PREFIX.length)] = String(item.token);
  }
  return tokens;
}
