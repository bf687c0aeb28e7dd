import { batchPut } from './batch-operations.js';
import type { Item, QueryOutput, TableClient } from './table-client.js';
import { utcMonthOf } from '../../domain/reporting-period.js';
import { accessLogKey } from '../../audit/audit-position.js';
import type { AuditedEvent } from '../../audit/audited-event.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { StepLink, WorkflowStepRecord } from '../../audit/workflow-step-record.js';
import type { AccessRecord, AuditStore, EventSearch, Page, PagePosition, PolicyHistory } from '../../ports/audit-store.js';
import { AUDIT_INDEXES } from './audit-index-keys.js';
import { monthsOf, queryPartition, searchEventPage, toAuditedEvent } from './dynamodb-event-search.js';
import { accessPartition, policyKey, STEP_PREFIX, stepSortKey, VIEW_SORT_KEY } from './table-keys.js';
import { queryAll } from './query-all.js';

/** Steps of one execution sharing an item: about 250 bytes each, far below the 400 KB item limit. */
const STEPS_PER_ITEM = 100;

/** The audit side of the single table (see audit-index-keys.ts for the indexes). */
export class DynamoDbAuditStore implements AuditStore {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async loadHistory(policyId: string): Promise<PolicyHistory | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': policyKey(policyId) },
    });
    // Whatever is left of a policy is shown: a partition with its events deleted still has a history to verify.
    if (items.length === 0) return undefined;
    const events = items.filter((i) => String(i.sk).startsWith('E#')).map(toStoredEvent);
    const steps = items.filter((i) => String(i.sk).startsWith(STEP_PREFIX)).flatMap(toStepRecords);
    const view = items.find((i) => i.sk === VIEW_SORT_KEY);
    const head = view ? { version: Number(view.version ?? 0), ...(typeof view.lastHash === 'string' ? { lastHash: view.lastHash } : {}) } : undefined;
    return { events, steps, ...(head ? { head } : {}) };
  }

  async lastWorkflowStep(policyId: string, execution: string): Promise<StepLink | undefined> {
    const out = await this.db.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': policyKey(policyId), ':prefix': `${STEP_PREFIX}${execution}#` },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    const newest = out.Items[0];
    const last = newest ? toStepRecords(newest).at(-1) : undefined;
    return last ? { n: last.n, hash: last.hash } : undefined;
  }

  /** In order, batch after batch: a crash can lose a tail of steps, never leave a hole in a chain. */
  putWorkflowSteps(records: readonly WorkflowStepRecord[]): Promise<number> {
    return batchPut(this.db, this.tableName, stepItemsOf(records), 1);
  }

  searchEvents(search: EventSearch, limit: number, position?: PagePosition): Promise<Page<AuditedEvent>> {
    return searchEventPage(this.db, this.tableName, search, limit, position);
  }

  async falseContactEvents(quarter: string): Promise<AuditedEvent[]> {
    const events: AuditedEvent[] = [];
    for await (const item of queryPartition(this.db, this.tableName, AUDIT_INDEXES.falseContact, AUDIT_INDEXES.falseContact.value(quarter))) events.push(toAuditedEvent(item));
    return events;
  }

  async *branchEvents(branchId: string, from: string, to: string): AsyncIterable<AuditedEvent> {
    const index = AUDIT_INDEXES.branch;
    for (const month of monthsOf(from, to)) {
      for await (const item of queryPartition(this.db, this.tableName, index, index.value(branchId, month), { from, to })) yield toAuditedEvent(item);
    }
  }

  async recordAccess(record: AccessRecord): Promise<void> {
    await this.db.put({
      TableName: this.tableName,
      Item: { pk: accessPartition(utcMonthOf(record.at)), sk: accessLogKey(record.at, record.id), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  async listAccess(from: string, to: string, limit: number, position?: PagePosition): Promise<Page<AccessRecord>> {
    const months = monthsOf(from, to);
    const first = position ? months.indexOf(position.month) : 0;
    if (first < 0) throw new RangeError(`month ${position?.month} is outside the range`);
    const records: AccessRecord[] = [];
    for (let m = first; m < months.length; m++) {
      const month = months[m] as string;
      let exclusiveStart: Item | undefined = m === first && position?.after ? { pk: accessPartition(month), sk: position.after } : undefined;
      do {
        const out: QueryOutput = await this.db.query({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': accessPartition(month), ':from': from, ':to': to },
          Limit: limit - records.length,
          ExclusiveStartKey: exclusiveStart,
        });
        records.push(...out.Items.map(toAccessRecord));
        exclusiveStart = out.LastEvaluatedKey;
        if (records.length >= limit) {
          if (exclusiveStart) return { items: records, next: { month, after: String(exclusiveStart.sk) } };
          const nextMonth = months[m + 1];
          return nextMonth ? { items: records, next: { month: nextMonth } } : { items: records };
        }
      } while (exclusiveStart);
    }
    return { items: records };
  }
}

function toStoredEvent(item: Item): StoredEvent {
  const { policyId, seq, at, actor, data, prevHash, hash } = item as unknown as StoredEvent;
  return { policyId, seq, at, actor, data, prevHash, hash };
}

type PackedStep = Omit<WorkflowStepRecord, 'policyId' | 'execution' | 'executionArn'>;

/**
 * Consecutive steps of one execution share an item, keyed by the first one's position, so a
 * lifecycle's history is a handful of items rather than one per step (each item costs the
 * table a write and an index check). Items of one execution never overlap: chains only grow.
 */
function stepItemsOf(records: readonly WorkflowStepRecord[]): Item[] {
  const items: Item[] = [];
  let steps: PackedStep[] = [];
  records.forEach((record, i) => {
    const { policyId, execution, executionArn, ...step } = record;
    steps.push(step);
    const next = records[i + 1];
    if (next && next.policyId === policyId && next.execution === execution && steps.length < STEPS_PER_ITEM) return;
    items.push({ pk: policyKey(policyId), sk: stepSortKey(execution, steps[0]?.n ?? step.n), policyId, execution, executionArn, steps });
    steps = [];
  });
  return items;
}

/** The steps an item holds; an item written before steps were packed holds one, in its own attributes. */
function toStepRecords(item: Item): WorkflowStepRecord[] {
  const { policyId, execution, executionArn } = item as unknown as WorkflowStepRecord;
  const packed = Array.isArray(item.steps) ? (item.steps as PackedStep[]) : [item as unknown as PackedStep];
  return packed.map(({ n, type, stateName, at, prevHash, hash }) => ({
    policyId, execution, executionArn, n: Number(n), type, at, prevHash, hash, ...(stateName !== undefined ? { stateName } : {}),
  }));
}

function toAccessRecord(item: Item): AccessRecord {
  const { id, at, role, subject, action, policyId, filters } = item as unknown as AccessRecord;
  return { id, at, role, action, ...(subject !== undefined ? { subject } : {}), ...(policyId !== undefined ? { policyId } : {}), ...(filters !== undefined ? { filters } : {}) };
}
