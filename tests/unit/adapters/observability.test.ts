import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { correlatedDependencies } from '../../../functions/adapters/dependencies-from-env.js';
import { logger } from '../../../functions/adapters/logger.js';
import { observedLambda } from '../../../functions/adapters/lambda-observability.js';
import { traced, tracer } from '../../../functions/adapters/observability.js';
import { powertoolsBusinessMetrics } from '../../../functions/adapters/powertools-business-metrics.js';
import { SfnWorkflowEngine } from '../../../functions/adapters/stepfunctions/sfn-workflow-engine.js';
import { metricsOfFact } from '../../../functions/lifecycle/business-facts.js';
import type { EventData } from '../../../functions/lifecycle/events.js';
import type { Dependencies } from '../../../functions/use-cases/dependencies.js';

/** Everything written through the console while `work` runs, one parsed JSON record per line. */
async function captured(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  // Powertools writes through a Console on process.stdout/stderr (in Lambda and here alike).
  const spies = [process.stdout, process.stderr].map((stream) => vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  }));
  try {
    await work();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const context = { functionName: 'get-policy', awsRequestId: 'aws-req-7', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:get-policy', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

afterEach(() => vi.unstubAllEnvs());

describe('Powertools logger behind the logger port', () => {
  it('scrubs phone numbers from the message, the fields and nested values', async () => {
    const records = await captured(async () => logger.warn('call 13812345678 failed', { detail: { phone: '13912345678' }, error: new Error('no answer at 13712345678') }));
    const text = JSON.stringify(records);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'WARN', service: 'policy-qc' });
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(text).toContain('138');
  });
});

describe('the Lambda chain (injectLambdaContext, logMetrics, captureLambdaHandler)', () => {
  it('puts the Lambda context and the API request id on every line, and flushes the business metrics as EMF', async () => {
    const lambda = observedLambda(async (event: APIGatewayProxyEvent) => {
      logger.info('serving', { path: event.path });
      powertoolsBusinessMetrics.count('Registrations');
      return { statusCode: 200, body: '' };
    }, (event) => event.requestContext?.requestId);
    const event = { path: '/v1/policies', requestContext: { requestId: 'api-req-42' } } as unknown as APIGatewayProxyEvent;
    const records = await captured(() => lambda(event, context));
    const line = records.find((r) => r.message === 'serving');
    expect(line).toMatchObject({ correlation_id: 'api-req-42', function_name: 'get-policy', function_request_id: 'aws-req-7', path: '/v1/policies' });
    const emf = records.find((r) => '_aws' in r) as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }; Registrations: number } | undefined;
    expect(emf?._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PolicyQc', Metrics: [{ Name: 'Registrations' }] });
    expect(emf?.Registrations).toBe(1);
    // Keys are reset per invocation: the next request has its own id.
    const next = await captured(() => lambda({ ...event, requestContext: { requestId: 'api-req-43' } } as unknown as APIGatewayProxyEvent, context));
    expect(next.find((r) => r.message === 'serving')?.correlation_id).toBe('api-req-43');
  });

  it('carries the request id into the input of the lifecycle execution it starts', async () => {
    const inputs: string[] = [];
    const sfn = { send: (command: { input: { input: string } }) => { inputs.push(command.input.input); return Promise.resolve({}); } } as unknown as SFNClient;
    const engine = new SfnWorkflowEngine(sfn, 'arn:aws:states:us-east-1:1:stateMachine:lifecycle');
    const deps = { workflow: engine } as unknown as Dependencies;
    await correlatedDependencies(deps, 'api-req-9').workflow.startLifecycle('P-1');
    await correlatedDependencies(deps, undefined).workflow.startLifecycle('P-2');
    await engine.startLifecycle('P-3');
    expect(inputs.map((i) => JSON.parse(i) as object)).toEqual([{ policyId: 'P-1', correlationId: 'api-req-9' }, { policyId: 'P-2' }, { policyId: 'P-3' }]);
  });

  it('runs without a Lambda context (local workflow invocations)', async () => {
    const lambda = observedLambda(async (n: number) => n + 1, () => undefined);
    await expect(lambda(1)).resolves.toBe(2);
  });
});

describe('tracing of the SDK clients', () => {
  it('is off outside Lambda: the tracer (and the X-Ray SDK with its async hooks) is not loaded, the client is left as it is', () => {
    expect(tracer).toBeUndefined();
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const before = client.middlewareStack.identify();
    expect(traced(client).middlewareStack.identify()).toEqual(before);
  });

  it('adds the X-Ray middleware to the client when tracing is on (as in Lambda)', () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs22.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    vi.stubEnv('POWERTOOLS_TRACE_DISABLED', '');
    const onLambda = new Tracer({ serviceName: 'policy-qc' });
    expect(onLambda.isTracingEnabled()).toBe(true);
    const client = onLambda.captureAWSv3Client(new DynamoDBClient({ region: 'us-east-1' }));
    expect(client.middlewareStack.identify().some((m) => /xray/i.test(m))).toBe(true);
  });
});

describe('business metrics of the facts appended', () => {
  it.each([
    [{ type: 'PolicyRegistered' }, ['Registrations']],
    [{ type: 'CallbackRoundTimedOut', round: 1 }, ['FailedRounds']],
    [{ type: 'CallbackAttemptRecorded', roundStatus: 'FAILED' }, ['FailedRounds']],
    [{ type: 'CallbackAttemptRecorded', roundStatus: 'OPEN' }, []],
    [{ type: 'ManualVisitOrdered', dueBy: '2026-01-01' }, ['CommissionHolds']],
    [{ type: 'CommissionSettled', decision: 'FORFEIT' }, ['SettlementLines', 'Forfeits']],
    [{ type: 'CommissionSettled', decision: 'PAY' }, ['SettlementLines']],
    [{ type: 'ContactWindowOpened', closesAt: '2026-01-01' }, []],
  ])('%j counts %j', (data, expected) => {
    expect(metricsOfFact(data as unknown as EventData)).toEqual(expected);
  });
});

describe('an invocation that counts nothing', () => {
  it('writes no metrics line and no warning about it', async () => {
    const lambda = observedLambda(async () => 'read only', () => 'api-req-1');
    const written: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) => vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0));
    try {
      await lambda({}, context);
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(written.join('')).toBe('');
  });
});
