import { ConditionalCheckFailedException, CreateTableCommand, DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../../infra/local/dynamodb-local.js';

/** The tuned dynalite (kept table descriptions, expressions parsed once) must behave as DynamoDB does. */
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

const createTable = (name: string, key: string) => db.send(new CreateTableCommand({
  TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
}));

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
});
