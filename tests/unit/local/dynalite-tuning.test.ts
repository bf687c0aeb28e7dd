import { ConditionalCheckFailedException, CreateTableCommand, DeleteTableCommand, DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../../infra/local/dynamodb-local.js';

/** The tuned dynalite (kept table descriptions, expressions parsed once) must behave as DynamoDB does, and release what each request used. */
let dynamo: LocalDynamoDb;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});
afterAll(async () => {
  db.destroy();
  await dynamo.close();
});

/** Created and ACTIVE: dynalite turns a table ACTIVE on a timer, and item requests before that are refused (as on AWS). */
async function createTable(name: string, key: string): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
  }));
  await waitUntilActive(name);
}

async function waitUntilActive(name: string): Promise<void> {
  await waitUntilTableExists({ client: db, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 20 }, { TableName: name });
}

describe('dynalite as tuned for local mode', () => {
  it('sees a table deleted and created again with another key, though it keeps descriptions', async () => {
    await createTable('tuning-a', 'id');
    await db.send(new PutCommand({ TableName: 'tuning-a', Item: { id: '1' } }));
    await db.send(new DeleteTableCommand({ TableName: 'tuning-a' }));
    await expect(db.send(new PutCommand({ TableName: 'tuning-a', Item: { id: '2' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await createTable('tuning-a', 'code');
    await expect(db.send(new PutCommand({ TableName: 'tuning-a', Item: { id: '3' } }))).rejects.toThrow(/Missing the key code/);
    await db.send(new PutCommand({ TableName: 'tuning-a', Item: { code: '3' } }));
    expect((await db.send(new GetCommand({ TableName: 'tuning-a', Key: { code: '3' } }))).Item).toEqual({ code: '3' });
  });

  it('evaluates a condition parsed once against each item anew', async () => {
    await createTable('tuning-b', 'id');
    const putIfAbsent = (id: string, value: number) => db.send(new PutCommand({ TableName: 'tuning-b', Item: { id, value }, ConditionExpression: 'attribute_not_exists(id)' }));
    await putIfAbsent('x', 1);
    await expect(putIfAbsent('x', 2)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await putIfAbsent('y', 3);
    await expect(db.send(new PutCommand({ TableName: 'tuning-b', Item: { id: 'z' }, ConditionExpression: 'attribute_not_exists(' }))).rejects.toThrow(/Invalid ConditionExpression/);
    expect((await db.send(new GetCommand({ TableName: 'tuning-b', Key: { id: 'x' } }))).Item).toEqual({ id: 'x', value: 1 });
    expect((await db.send(new GetCommand({ TableName: 'tuning-b', Key: { id: 'y' } }))).Item).toEqual({ id: 'y', value: 3 });
  });

  it('closes the database iterator of every query and scan, whether it read to the end or stopped at its Limit', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'tuning-c',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    await waitUntilActive('tuning-c');
    for (let i = 0; i < 5; i++) await db.send(new PutCommand({ TableName: 'tuning-c', Item: { pk: 'p', sk: `s${i}`, g: 'g' } }));
    const requests = [
      new QueryCommand({ TableName: 'tuning-c', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } }),
      new QueryCommand({ TableName: 'tuning-c', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' }, Limit: 2 }),
      new QueryCommand({ TableName: 'tuning-c', IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': 'g' }, Limit: 1 }),
      new QueryCommand({ TableName: 'tuning-c', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'nothing' } }),
      new ScanCommand({ TableName: 'tuning-c' }),
      new ScanCommand({ TableName: 'tuning-c', Limit: 3 }),
    ];
    for (let round = 0; round < 10; round++) for (const request of requests) await db.send(request as QueryCommand);
    expect((await db.send(requests[1] as QueryCommand)).Items).toHaveLength(2);
    // An iterator closes just after its response is sent.
    await expect.poll(async () => (await dynamo.stats()).openIterators, { timeout: 5_000 }).toBe(0);
  });
});
