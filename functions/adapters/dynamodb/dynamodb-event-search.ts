import type { Item, QueryOutput, TableClient } from './table-client.js';
import { utcMonthsBetween } from '../../domain/reporting-period.js';
import { parseEventAuditKey } from '../../audit/audit-position.js';
import type { AuditedEvent } from '../../audit/audited-event.js';
import type { EventSearch, Page, PagePosition } from '../../ports/audit-store.js';
import { AUDIT_INDEXES, AUDIT_SORT_KEY } from './audit-index-keys.js';
import { eventSortKey, policyKey } from './table-keys.js';

/** Months of [from, to): `to` is exclusive, so its own month counts only past its first instant. */
export function monthsOf(from: string, to: string): string[] {
  return utcMonthsBetween(new Date(from), new Date(new Date(to).getTime() - 1));
}

export function toAuditedEvent(item: Item): AuditedEvent {
  const { policyId, seq, at, actor, data, prevHash, hash, agentId, branchId } = item as unknown as AuditedEvent;
  return { policyId, seq, at, actor, data, prevHash, hash, agentId, branchId };
}

interface IndexChoice {
  readonly name: string;
  readonly pk: string;
  readonly partition: (month: string) => string;
}

/**
 * The most selective index the filters allow (agent, then branch, then type, else the month);
 * the other filters become a filter expression on the chosen partition, never a scan.
 */
function plan(search: EventSearch) {
  const { agent, branch, type, month } = AUDIT_INDEXES;
  const index: IndexChoice = search.agentId !== undefined ? { name: agent.name, pk: agent.pk, partition: (m) => agent.value(search.agentId as string, m) }
    : search.branchId !== undefined ? { name: branch.name, pk: branch.pk, partition: (m) => branch.value(search.branchId as string, m) }
    : search.type !== undefined ? { name: type.name, pk: type.pk, partition: (m) => type.value(search.type as string, m) }
    : { name: month.name, pk: month.pk, partition: (m) => month.value(m) };
  const filters: { attribute: string; value: (m: string) => string }[] = [];
  if (search.branchId !== undefined && index.pk !== branch.pk) filters.push({ attribute: branch.pk, value: (m) => branch.value(search.branchId as string, m) });
  if (search.type !== undefined && index.pk !== type.pk) filters.push({ attribute: type.pk, value: (m) => type.value(search.type as string, m) });
  return { index, filters };
}

function startKey(index: IndexChoice, month: string, after: string): Item {
  const position = parseEventAuditKey(after);
  if (!position) throw new RangeError(`not an audit key: ${after}`);
  return { [index.pk]: index.partition(month), [AUDIT_SORT_KEY]: after, pk: policyKey(position.policyId), sk: eventSortKey(position.seq) };
}

/** One page of a search: month partitions in order, each read by key range [from, to). */
export async function searchEventPage(db: TableClient, table: string, search: EventSearch, limit: number, position?: PagePosition): Promise<Page<AuditedEvent>> {
  const { index, filters } = plan(search);
  const months = monthsOf(search.from, search.to);
  const first = position ? months.indexOf(position.month) : 0;
  if (first < 0) throw new RangeError(`month ${position?.month} is outside the search`);
  const items: AuditedEvent[] = [];
  for (let m = first; m < months.length; m++) {
    const month = months[m] as string;
    let exclusiveStart: Item | undefined = m === first && position?.after ? startKey(index, month, position.after) : undefined;
    do {
      const remaining = limit - items.length;
      const out: QueryOutput = await db.query({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ...(filters.length ? { FilterExpression: filters.map((_f, i) => `#f${i} = :f${i}`).join(' AND ') } : {}),
        ExpressionAttributeNames: { '#pk': index.pk, '#sk': AUDIT_SORT_KEY, ...Object.fromEntries(filters.map((f, i) => [`#f${i}`, f.attribute])) },
        ExpressionAttributeValues: {
          ':pk': index.partition(month), ':from': search.from, ':to': search.to,
          ...Object.fromEntries(filters.map((f, i) => [`:f${i}`, f.value(month)])),
        },
        // A filtered read may drop most of what it reads: read several pages' worth per round trip, cut at the page end.
        Limit: filters.length ? Math.min(1000, Math.max(remaining * 4, 200)) : remaining,
        ExclusiveStartKey: exclusiveStart,
      });
      const found = out.Items.map(toAuditedEvent);
      items.push(...found.slice(0, remaining));
      exclusiveStart = out.LastEvaluatedKey;
      if (items.length >= limit) {
        const cut = found.length > remaining;
        if (cut) return { items, next: { month, after: String(out.Items[remaining - 1]?.[AUDIT_SORT_KEY]) } };
        if (exclusiveStart) return { items, next: { month, after: String(exclusiveStart[AUDIT_SORT_KEY]) } };
        const nextMonth = months[m + 1];
        return nextMonth ? { items, next: { month: nextMonth } } : { items };
      }
    } while (exclusiveStart);
  }
  return { items };
}

/** Every item of one index partition within a key range, page by page. */
export async function* queryPartition(db: TableClient, table: string, index: { name: string; pk: string }, partition: string, range?: { from: string; to: string }): AsyncGenerator<Item> {
  let exclusiveStart: Item | undefined;
  do {
    const out: QueryOutput = await db.query({
      TableName: table,
      IndexName: index.name,
      KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
      ExpressionAttributeNames: range ? { '#pk': index.pk, '#sk': AUDIT_SORT_KEY } : { '#pk': index.pk },
      ExpressionAttributeValues: range ? { ':pk': partition, ':from': range.from, ':to': range.to } : { ':pk': partition },
      ExclusiveStartKey: exclusiveStart,
    });
    yield* out.Items;
    exclusiveStart = out.LastEvaluatedKey;
  } while (exclusiveStart);
}

