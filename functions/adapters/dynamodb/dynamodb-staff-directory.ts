import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  ConcurrentStaffChangeError, type StaffChange, type StaffDirectory, type StaffEntry, type StaffFields, type StaffFilter, type StaffPage,
} from '../../ports/staff-directory.js';
import type { Role } from '../../use-cases/caller.js';
import { queryAll } from './query-all.js';
import type { Item, TableClient } from './table-client.js';
import { STAFF_DIRECTORY_KEY, staffChangeSortKey, staffEntrySortKey, staffKey } from './table-keys.js';

const fieldsOf = (item: Item): StaffFields => ({
  name: String(item.name),
  email: String(item.email),
  roles: item.roles as Role[],
  ...(typeof item.branchId === 'string' ? { branchId: item.branchId } : {}),
});

const entryOf = (item: Item): StaffEntry => ({ subjectId: String(item.subjectId), ...fieldsOf(item), version: Number(item.version), updatedAt: String(item.updatedAt) });

const changeOf = (item: Item): StaffChange => ({
  subjectId: String(item.subjectId),
  seq: Number(item.seq),
  at: String(item.at),
  actor: item.actor as StaffChange['actor'],
  before: (item.before ?? null) as StaffFields | null,
  after: item.after as StaffFields,
  prevHash: String(item.prevHash),
  hash: String(item.hash),
});

/** Pages read per list call at most; filters that match little still answer promptly. */
const PAGE = 100;

/**
 * Entries in the directory partition (`STAFF`, `S#<subject>`), each subject's change log in
 * its own (`STAFF#<subject>`, `C#<seq>`). A change is appended first, then projected, so a
 * crash between leaves a log ahead of its entry that the next write of the subject heals.
 */
export class DynamoDbStaffDirectory implements StaffDirectory {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async get(subjectId: string): Promise<StaffEntry | undefined> {
    const { Item: item } = await this.db.get({ TableName: this.tableName, Key: { pk: STAFF_DIRECTORY_KEY, sk: staffEntrySortKey(subjectId) } });
    return item ? entryOf(item) : undefined;
  }

  async lastChange(subjectId: string): Promise<StaffChange | undefined> {
    const out = await this.db.query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': staffKey(subjectId), ':c': 'C#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    const item = out.Items[0];
    return item ? changeOf(item) : undefined;
  }

  async appendChange(change: StaffChange): Promise<void> {
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { pk: staffKey(change.subjectId), sk: staffChangeSortKey(change.seq), ...change },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentStaffChangeError(change.subjectId, change.seq);
      throw error;
    }
  }

  async project(entry: StaffEntry): Promise<void> {
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { pk: STAFF_DIRECTORY_KEY, sk: staffEntrySortKey(entry.subjectId), ...entry },
        ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
        ExpressionAttributeValues: { ':v': entry.version },
      });
    } catch (error) {
      // Already at this version or past it: a later change was projected meanwhile.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async list(filter: StaffFilter, limit: number, after?: string): Promise<StaffPage> {
    const entries: StaffEntry[] = [];
    let startKey: Item | undefined = after === undefined ? undefined : { pk: STAFF_DIRECTORY_KEY, sk: staffEntrySortKey(after) };
    do {
      const out = await this.db.query({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': STAFF_DIRECTORY_KEY, ':s': 'S#' },
        ExclusiveStartKey: startKey,
        Limit: PAGE,
      });
      for (const item of out.Items) {
        const entry = entryOf(item);
        if (filter.branchId !== undefined && entry.branchId !== filter.branchId) continue;
        if (filter.role !== undefined && !entry.roles.includes(filter.role)) continue;
        entries.push(entry);
        if (entries.length === limit) {
          const more = item !== out.Items.at(-1) || out.LastEvaluatedKey !== undefined;
          return more ? { entries, next: entry.subjectId } : { entries };
        }
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return { entries };
  }

  async history(subjectId: string): Promise<StaffChange[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':pk': staffKey(subjectId), ':c': 'C#' },
      ConsistentRead: true,
    });
    return items.map(changeOf);
  }
}
