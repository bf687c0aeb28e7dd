import {
  type AttributeValue, BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, type DynamoDBClient, GetItemCommand, type KeysAndAttributes,
  PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type {
  BatchGetCommandInput, BatchWriteCommandInput, DeleteCommandInput, GetCommandInput, PutCommandInput, QueryCommandInput, ScanCommandInput, UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

export type Item = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

// The expression forms only: the legacy parameters (Expected, KeyConditions, ...) are not used here.
type PutInput = Omit<PutCommandInput, 'Expected' | 'ConditionalOperator'>;
type UpdateInput = Omit<UpdateCommandInput, 'Expected' | 'ConditionalOperator' | 'AttributeUpdates'>;
type DeleteInput = Omit<DeleteCommandInput, 'Expected' | 'ConditionalOperator'>;
export type QueryInput = Omit<QueryCommandInput, 'KeyConditions' | 'QueryFilter' | 'ConditionalOperator' | 'AttributesToGet'>;

export type ScanInput = Omit<ScanCommandInput, 'ScanFilter' | 'ConditionalOperator' | 'AttributesToGet'>;

export interface QueryOutput {
  readonly Items: Item[];
  readonly LastEvaluatedKey?: Item;
}

const toWire = (item: Item): Wire => marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: false });
const fromWire = (wire: Wire): Item => unmarshall(wire);
const optional = <T, R>(value: T | undefined, convert: (v: T) => R): R | undefined => (value === undefined ? undefined : convert(value));

/**
 * The table's operations with plain JavaScript values, as lib-dynamodb's document client takes
 * them, on a DynamoDB client that resolves its middleware once per operation
 * (`cacheMiddleware`), which the document client refuses to run on. Measured against the
 * local table: 15-20 % less CPU per request, and a lifecycle makes about twenty of them.
 */
export class TableClient {
  constructor(private readonly client: DynamoDBClient) {}

  async put(input: PutInput): Promise<void> {
    const { Item: item, ExpressionAttributeValues: values, ...rest } = input;
    await this.client.send(new PutItemCommand({ ...rest, Item: toWire(item ?? {}), ExpressionAttributeValues: optional(values, toWire) }));
  }

  async get(input: GetCommandInput): Promise<{ Item?: Item }> {
    const { Key: key, ...rest } = input;
    const out = await this.client.send(new GetItemCommand({ ...rest, Key: toWire(key ?? {}) }));
    return out.Item ? { Item: fromWire(out.Item) } : {};
  }

  async update(input: UpdateInput): Promise<void> {
    const { Key: key, ExpressionAttributeValues: values, ...rest } = input;
    await this.client.send(new UpdateItemCommand({ ...rest, Key: toWire(key ?? {}), ExpressionAttributeValues: optional(values, toWire) }));
  }

  async delete(input: DeleteInput): Promise<void> {
    const { Key: key, ExpressionAttributeValues: values, ...rest } = input;
    await this.client.send(new DeleteItemCommand({ ...rest, Key: toWire(key ?? {}), ExpressionAttributeValues: optional(values, toWire) }));
  }

  async query(input: QueryInput): Promise<QueryOutput> {
    const { ExpressionAttributeValues: values, ExclusiveStartKey: startKey, ...rest } = input;
    const out = await this.client.send(new QueryCommand({ ...rest, ExpressionAttributeValues: optional(values, toWire), ExclusiveStartKey: optional(startKey, toWire) }));
    const items = (out.Items ?? []).map(fromWire);
    return out.LastEvaluatedKey ? { Items: items, LastEvaluatedKey: fromWire(out.LastEvaluatedKey) } : { Items: items };
  }

  /** One page of a scan (the daily anchor job's walk over the policy partitions only). */
  async scan(input: ScanInput): Promise<QueryOutput> {
    const { ExpressionAttributeValues: values, ExclusiveStartKey: startKey, ...rest } = input;
    const out = await this.client.send(new ScanCommand({ ...rest, ExpressionAttributeValues: optional(values, toWire), ExclusiveStartKey: optional(startKey, toWire) }));
    const items = (out.Items ?? []).map(fromWire);
    return out.LastEvaluatedKey ? { Items: items, LastEvaluatedKey: fromWire(out.LastEvaluatedKey) } : { Items: items };
  }

  /** Puts and deletes of one table; returns the requests DynamoDB left unprocessed, to retry. */
  async batchWrite(tableName: string, requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<typeof requests> {
    const wire: WriteRequest[] = requests.map((r) => (r.PutRequest
      ? { PutRequest: { Item: toWire(r.PutRequest.Item ?? {}) } }
      : { DeleteRequest: { Key: toWire(r.DeleteRequest?.Key ?? {}) } }));
    const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: wire } }));
    return (out.UnprocessedItems?.[tableName] ?? []).map((r) => (r.PutRequest
      ? { PutRequest: { Item: fromWire(r.PutRequest.Item ?? {}) } }
      : { DeleteRequest: { Key: fromWire(r.DeleteRequest?.Key ?? {}) } }));
  }

  /** Keys of one table; returns the items found and the keys DynamoDB left unprocessed, to retry. */
  async batchGet(tableName: string, request: NonNullable<BatchGetCommandInput['RequestItems']>[string]): Promise<{ items: Item[]; unprocessed: Item[] }> {
    const { Keys: keys, ...rest } = request;
    const wire: KeysAndAttributes = { ...rest, Keys: (keys ?? []).map(toWire) };
    const out = await this.client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: wire } }));
    return { items: (out.Responses?.[tableName] ?? []).map(fromWire), unprocessed: (out.UnprocessedKeys?.[tableName]?.Keys ?? []).map(fromWire) };
  }
}
