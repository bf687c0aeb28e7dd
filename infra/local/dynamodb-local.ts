import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { WORK_INDEX } from '../../functions/adapters/dynamodb/table-keys.js';
import { listen, LOCAL_CREDENTIALS } from './loopback.js';

export const LOCAL_TABLE_NAME = 'policy-qc';

/** The same single table the CDK stateful stack creates on AWS (pk/sk, GSI `work`, GSI `audit`). */
const tableDefinition = {
  TableName: LOCAL_TABLE_NAME,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: ['pk', 'sk', 'workPk', 'workSk', 'auditPk', 'auditSk'].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
  GlobalSecondaryIndexes: [
    { IndexName: WORK_INDEX, KeySchema: [{ AttributeName: 'workPk', KeyType: 'HASH' as const }, { AttributeName: 'workSk', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } },
    { IndexName: 'audit', KeySchema: [{ AttributeName: 'auditPk', KeyType: 'HASH' as const }, { AttributeName: 'auditSk', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } },
  ],
};

export interface LocalDynamoDb {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** dynalite on loopback; with a path it keeps the data on disk, so it survives restarts. */
export async function startLocalDynamoDb(dataPath?: string): Promise<LocalDynamoDb> {
  if (dataPath) await mkdir(dataPath, { recursive: true });
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataPath ? { path: dataPath } : {}) });
  const endpoint = await listen(server);
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition));
  }
  client.destroy();
  return { endpoint, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
