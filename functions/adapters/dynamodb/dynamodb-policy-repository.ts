import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Item, QueryOutput, TableClient } from './table-client.js';
import { metricsOfFact } from '../../lifecycle/business-facts.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import { type BusinessMetrics, noBusinessMetrics } from '../../ports/business-metrics.js';
import { foldEvents } from '../../lifecycle/policy-state.js';
import type { AgentWork } from '../../lifecycle/agent-work.js';
import type { Projection } from '../../lifecycle/projection.js';
import type { SpecialRequestEntry } from '../../lifecycle/special-request-entry.js';
import {
  type AgentWorkRead, ConcurrentAppendError, type EventOwner, type LoadedPolicy, type PolicyRepository, type QueuedWork, type SeenHead, type WorkBucket, type WorkItem,
} from '../../ports/policy-repository.js';
import { AUDIT_INDEXES, AUDIT_SORT_KEY, auditAttributesOf } from './audit-index-keys.js';
import { batchGet } from './batch-operations.js';
import { queryAll } from './query-all.js';
import {
  agentWorkPartition, eventSortKey, policyKey, REQUEST_SORT_KEY, requestKey, SPECIAL_REQUEST_WORK, STEP_PREFIX, TOKEN_PREFIX, unpaidPartition, unpaidShardOf, VIEW_SORT_KEY, WORK_INDEX, workPartition, workSortKey,
} from './table-keys.js';

/**
 * The event log and its projections in one DynamoDB table; it stores what the lifecycle core
 * planned (functions/lifecycle/event-append.ts) and derives nothing. An append is a conditional
 * put on the next sequence number: no transactions (dynalite has none), concurrent writers
 * cannot both win. The view is a second write, so it may lag its log after a crash: it carries
 * the version it was projected from, and `logsAhead` proves a read view current or not.
 */
export class DynamoDbPolicyRepository implements PolicyRepository {
  /** `metrics` counts each fact appended (functions/lifecycle/business-facts.ts), once: only a successful conditional put counts. */
  constructor(private readonly db: TableClient, private readonly tableName: string, private readonly metrics: BusinessMetrics = noBusinessMetrics) {}

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

  async appendEvent(event: StoredEvent, owner: EventOwner): Promise<void> {
    // The audit index keys ride on the event item itself: no extra write request.
    const audit = auditAttributesOf(event, owner);
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { pk: policyKey(event.policyId), sk: eventSortKey(event.seq), ...event, ...audit },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentAppendError(event.policyId, event.seq);
      throw error;
    }
    for (const metric of metricsOfFact(event.data)) this.metrics.count(metric);
  }

  async project(projection: Projection): Promise<void> {
    await this.putForward(viewItemOf(projection), projection.version);
    // Each special request's inbox entry lives on its request item (the link to its policy stays).
    for (const entry of projection.requests ?? []) await this.putForward(requestItemOf(entry), entry.version);
  }

  /** Puts an item projected at `version` unless a newer projection is already there (ours is stale, which is fine). */
  private async putForward(item: Item, version: number): Promise<void> {
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(version) OR version <= :v',
        ExpressionAttributeValues: { ':v': version },
      });
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async listOpenRequests(limit: number): Promise<SpecialRequestEntry[]> {
    const entries: SpecialRequestEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out: QueryOutput = await this.db.query({
        TableName: this.tableName,
        IndexName: WORK_INDEX,
        KeyConditionExpression: 'workPk = :b',
        ExpressionAttributeValues: { ':b': workPartition(SPECIAL_REQUEST_WORK) },
        Limit: Math.min(limit - entries.length, 500),
        ExclusiveStartKey: startKey,
      });
      entries.push(...out.Items.map((i) => i.entry as SpecialRequestEntry));
      startKey = out.LastEvaluatedKey;
    } while (startKey && entries.length < limit);
    return entries;
  }

  async listAgentWork(agentId: string, limit: number): Promise<AgentWorkRead[]> {
    const found: AgentWorkRead[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out: QueryOutput = await this.db.query({
        TableName: this.tableName,
        IndexName: AUDIT_INDEXES.agent.name,
        KeyConditionExpression: '#pk = :a',
        ExpressionAttributeNames: { '#pk': AUDIT_INDEXES.agent.pk },
        ExpressionAttributeValues: { ':a': agentWorkPartition(agentId) },
        Limit: Math.min(limit - found.length, 500),
        ExclusiveStartKey: startKey,
      });
      found.push(...out.Items.map((i) => ({ work: i.agentWork as AgentWork, version: Number(i.version) })));
      startKey = out.LastEvaluatedKey;
    } while (startKey && found.length < limit);
    return found;
  }

  async logsAhead(heads: readonly SeenHead[]): Promise<Set<string>> {
    if (heads.length === 0) return new Set();
    // One BatchGetItem per 100 heads, keys only: does event `version + 1` exist?
    const found = await batchGet(this.db, this.tableName, heads.map((h) => ({ pk: policyKey(h.policyId), sk: eventSortKey(h.version + 1) })), 'pk');
    return new Set(found.map((item) => String(item.pk).slice(policyKey('').length)));
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

  async listWork(bucket: WorkBucket, dueBy: string | undefined, limit: number, after?: WorkItem): Promise<QueuedWork[]> {
    const items: QueuedWork[] = [];
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
      items.push(...out.Items.map((i) => ({ item: i.work as WorkItem, version: Number(i.version) })));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  async saveRequestLink(requestId: string, policyId: string): Promise<void> {
    await this.db.put({ TableName: this.tableName, Item: { pk: requestKey(requestId), sk: REQUEST_SORT_KEY, policyId } });
  }

  async findRequestPolicy(requestId: string): Promise<string | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: requestKey(requestId), sk: REQUEST_SORT_KEY } });
    return out.Item?.policyId as string | undefined;
  }


}

/**
 * The view item of a projection: its work queue entry, while the commission is unpaid its place
 * in the `unpaid` index, and while the owning agent has tasks its place in the agent's partition.
 */
export function viewItemOf(projection: Projection): Item {
  const { policyId, version, lastHash, lastAt, work, commissionFacts, agentWork } = projection;
  const item: Item = { pk: policyKey(policyId), sk: VIEW_SORT_KEY, version, lastHash, lastAt };
  if (work) Object.assign(item, { workPk: workPartition(work.bucket), workSk: workSortKey(work), work });
  // Same write, no extra one: while unpaid, the view item sits in the sparse `unpaid` index with what a settlement decides on.
  if (commissionFacts) Object.assign(item, { unpaidPk: unpaidPartition(unpaidShardOf(policyId)), unpaidSk: policyId, commissionFacts });
  // Same write again: the agent's inbox is one query on an index that already exists.
  if (agentWork) Object.assign(item, { [AUDIT_INDEXES.agent.pk]: agentWorkPartition(agentWork.agentId), [AUDIT_SORT_KEY]: `${agentWork.dueAt}#${policyId}`, agentWork });
  return item;
}

/** A request's link item with its inbox entry; in the `work` index only while open. */
function requestItemOf(entry: SpecialRequestEntry): Item {
  const item: Item = { pk: requestKey(entry.requestId), sk: REQUEST_SORT_KEY, policyId: entry.policyId, version: entry.version, entry };
  if (entry.open) Object.assign(item, { workPk: workPartition(SPECIAL_REQUEST_WORK), workSk: `${entry.dueAt}#${entry.requestId}` });
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
