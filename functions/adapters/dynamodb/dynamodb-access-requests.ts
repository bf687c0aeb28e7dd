import type { AccessRequest, AccessRequestStore } from '../../ports/access-request-store.js';
import { queryAll } from './query-all.js';
import type { Item, TableClient } from './table-client.js';

/** Archive access requests in one partition (a handful a month); approved ones also indexed by requester in the same partition. */
const REQUESTS_KEY = 'ARCHIVE_REQUESTS';
const requestSortKey = (id: string) => `REQ#${id}`;

export class DynamoDbAccessRequests implements AccessRequestStore {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async create(request: AccessRequest): Promise<void> {
    await this.db.put({ TableName: this.tableName, Item: { pk: REQUESTS_KEY, sk: requestSortKey(request.requestId), request: JSON.stringify(request) }, ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(requestId: string): Promise<AccessRequest | undefined> {
    const out = await this.db.get({ TableName: this.tableName, Key: { pk: REQUESTS_KEY, sk: requestSortKey(requestId) }, ConsistentRead: true });
    return out.Item ? toRequest(out.Item) : undefined;
  }

  async decide(requestId: string, decision: NonNullable<AccessRequest['decision']>): Promise<boolean> {
    const current = await this.get(requestId);
    if (!current || current.decision) return false;
    try {
      await this.db.update({
        TableName: this.tableName,
        Key: { pk: REQUESTS_KEY, sk: requestSortKey(requestId) },
        UpdateExpression: 'SET #request = :request, approvedFor = :approvedFor',
        ConditionExpression: 'attribute_not_exists(approvedFor) AND attribute_exists(pk)',
        ExpressionAttributeNames: { '#request': 'request' },
        ExpressionAttributeValues: { ':request': JSON.stringify({ ...current, decision }), ':approvedFor': decision.approve ? (current.requester.subject ?? '') : '-' },
      });
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async approvedFor(subject: string): Promise<AccessRequest[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :req)',
      FilterExpression: 'approvedFor = :subject',
      ExpressionAttributeValues: { ':pk': REQUESTS_KEY, ':req': 'REQ#', ':subject': subject },
      ConsistentRead: true,
    });
    return items.map(toRequest);
  }
}

const toRequest = (item: Item): AccessRequest => JSON.parse(String(item.request)) as AccessRequest;
