import { fork } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TABLE_GSIS } from '../../functions/adapters/dynamodb/table-gsis.js';
import { LOCAL_CREDENTIALS } from './loopback.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./dynamodb-server-process.ts', import.meta.url));
const PID_FILE = 'server.pid';

export const LOCAL_TABLE_NAME = 'policy-qc';

/** The same single table the CDK stateful stack creates on AWS (pk/sk, GSI `work`, the audit GSIs, `unpaid`). */
export const tableDefinition = {
  TableName: LOCAL_TABLE_NAME,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [...new Set(['pk', 'sk', ...TABLE_GSIS.flatMap((gsi) => [gsi.pk, gsi.sk])])]
    .map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
  GlobalSecondaryIndexes: TABLE_GSIS.map((gsi) => ({
    IndexName: gsi.name,
    KeySchema: [{ AttributeName: gsi.pk, KeyType: 'HASH' as const }, { AttributeName: gsi.sk, KeyType: 'RANGE' as const }],
    Projection: { ProjectionType: 'ALL' as const },
  })),
};

export interface LocalDynamoDbStats {
  readonly counts: Readonly<Record<string, number>>;
  readonly cpuMicros: number;
  /** Database iterators not closed yet: one per Query or Scan in progress, none when idle. */
  readonly openIterators: number;
}

export interface LocalDynamoDb {
  readonly endpoint: string;
  /** Requests served, by operation (PutItem, Query, ...), and the server's CPU time: the benchmark's figures. */
  stats(): Promise<LocalDynamoDbStats>;
  close(): Promise<void>;
}

/**
 * dynalite on loopback in a child process; with a path it keeps the data on disk, so it
 * survives restarts. A previous child still holding the folder (its parent was killed) is
 * waited for first: leveldb allows one process per folder.
 */
export async function startLocalDynamoDb(dataPath?: string): Promise<LocalDynamoDb> {
  if (dataPath) {
    await mkdir(dataPath, { recursive: true });
    await waitForPreviousServer(join(dataPath, PID_FILE));
  }
  const child = fork(SERVER_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DYNALITE_PATH: dataPath ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { endpoint?: string; error?: string }) => (message.endpoint ? resolve(message.endpoint) : reject(new Error(`dynalite failed: ${message.error}`))));
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  if (dataPath && child.pid) await writeFile(join(dataPath, PID_FILE), String(child.pid));
  await ensureTable(endpoint);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    stats: () => new Promise((resolve) => {
      child.once('message', (message: LocalDynamoDbStats) => resolve(message));
      child.send('stats');
    }),
    async close() {
      if (child.connected) child.send('close');
      await exited;
    },
  };
}

async function ensureTable(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
    // dynalite cannot add an index to an existing table: say so instead of failing on the first query.
    const missing = tableDefinition.GlobalSecondaryIndexes.map((i) => i.IndexName).filter((name) => !Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === name));
    if (missing.length > 0) throw new Error(`the data folder's table lacks the indexes ${missing.join(', ')} (made by an older version): start with a new DATA_DIR`);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(tableDefinition));
    // dynalite turns a new table ACTIVE on a timer; item requests before that are refused.
    await waitUntilTableExists({ client, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 20 }, { TableName: LOCAL_TABLE_NAME });
  } finally {
    client.destroy();
  }
}

async function waitForPreviousServer(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!pid) return;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`a previous dynalite process (pid ${pid}) still holds the data folder`);
}
