import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependenciesFromEnv, resetDependenciesFromEnv } from '../../functions/adapters/dependencies-from-env.js';
import { handler, stepTypeOf } from '../../functions/handlers/workflow/record-workflow-steps.js';
import { verifyStepChains } from '../../functions/audit/chain-verification.js';
import { LOCAL_TABLE_NAME, startLocalDynamoDb, type LocalDynamoDb } from '../../infra/local/dynamodb-local.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/loopback.js';

/**
 * The AWS feed of the workflow step history: CloudWatch Logs subscription payloads (gzip,
 * base64) of the lifecycle machine's execution log, fed to the real handler, written to the
 * local DynamoDB through the real SDK.
 */
let dynamo: LocalDynamoDb;
const ARN = (name: string) => `arn:aws:states:cn-north-1:123456789012:execution:PolicyQcStateless-policy-lifecycle:${name}`;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE_NAME, DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    LIFECYCLE_STATE_MACHINE_ARN: 'arn:aws:states:cn-north-1:123456789012:stateMachine:x', MAIL_FROM: 'qc@insurer.example',
  });
  resetDependenciesFromEnv();
});
afterAll(async () => { await dynamo.close(); });

type Line = { id: number; type: string; name?: string; execution: string };
function payload(lines: Line[], messageType = 'DATA_MESSAGE'): CloudWatchLogsEvent {
  const logEvents = lines.map((l) => ({
    id: String(l.id), timestamp: 1772413200000 + l.id,
    message: JSON.stringify({ id: String(l.id), type: l.type, details: l.name ? { name: l.name } : {}, previous_event_id: String(l.id - 1), event_timestamp: String(1772413200000 + l.id * 1000), execution_arn: ARN(l.execution) }),
  }));
  const data = gzipSync(JSON.stringify({ messageType, owner: '123456789012', logGroup: 'g', logStream: 's', subscriptionFilters: ['f'], logEvents }));
  return { awslogs: { data: data.toString('base64') } };
}

const historyOf = async (policyId: string) => (await dependenciesFromEnv().audit.loadHistory(policyId))?.steps ?? [];

describe('the workflow step feed from CloudWatch Logs', () => {
  it('maps AWS history event types to the kept step types', () => {
    expect(['ExecutionStarted', 'TaskStateEntered', 'ChoiceStateExited', 'ParallelStateEntered', 'TaskScheduled', 'LambdaFunctionSucceeded', 'ExecutionTimedOut'].map(stepTypeOf))
      .toEqual(['ExecutionStarted', 'StateEntered', 'StateExited', 'StateEntered', undefined, undefined, 'ExecutionTimedOut']);
  });

  it('records each execution\'s steps chained across batches; a redelivered batch changes nothing', async () => {
    const first = payload([
      { id: 1, type: 'ExecutionStarted', execution: 'P-AWS1' },
      { id: 2, type: 'TaskStateEntered', name: 'Load lifecycle', execution: 'P-AWS1' },
      { id: 3, type: 'TaskScheduled', execution: 'P-AWS1' },
      { id: 1, type: 'ExecutionStarted', execution: 'P-AWS2' },
    ]);
    const second = payload([
      { id: 6, type: 'TaskStateExited', name: 'Load lifecycle', execution: 'P-AWS1' },
      { id: 7, type: 'ParallelStateEntered', name: 'Run callback and receipt tracks', execution: 'P-AWS1' },
    ]);
    expect(await handler(first)).toEqual({ records: 3 });
    expect(await handler(second)).toEqual({ records: 2 });
    expect(await handler(second)).toEqual({ records: 0 });
    const steps = await historyOf('P-AWS1');
    expect(steps.map((s) => [s.n, s.type, s.stateName ?? ''])).toEqual([
      [1, 'ExecutionStarted', ''], [2, 'StateEntered', 'Load lifecycle'], [6, 'StateExited', 'Load lifecycle'], [7, 'StateEntered', 'Run callback and receipt tracks'],
    ]);
    expect(steps.every((s) => s.execution === 'PolicyQcStateless-policy-lifecycle/P-AWS1' && s.executionArn === ARN('P-AWS1'))).toBe(true);
    expect(steps[0]!.at).toBe(new Date(1772413200000 + 1000).toISOString());
    expect(verifyStepChains(steps)).toMatchObject({ valid: true, records: 4, executions: 1 });
    expect(await historyOf('P-AWS2')).toHaveLength(1);
  });

  it('fails a batch whose predecessors have not arrived, so that Lambda retries it', async () => {
    await expect(handler(payload([{ id: 9, type: 'TaskStateEntered', name: 'X', execution: 'P-AWS3' }]))).rejects.toThrow(/not recorded yet/);
    expect(await historyOf('P-AWS3')).toEqual([]);
  });

  it('ignores control messages', async () => {
    expect(await handler(payload([], 'CONTROL_MESSAGE'))).toEqual({ records: 0 });
  });
});
