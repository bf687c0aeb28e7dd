import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock.js';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/local-step-functions.js';
import { createSfnRequestHandler } from '../../../infra/local/stepfunctions/sfn-http-facade.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:callback';
const definition = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
      Catch: [{ ErrorEquals: ['PolicyCancelled'], ResultPath: '$.error', Next: 'Cancelled' }],
      End: true,
    },
    Cancelled: { Type: 'Pass', End: true },
  },
};

describe('SFN HTTP facade driven by the real @aws-sdk/client-sfn', () => {
  const tokens: string[] = [];
  let server: Server;
  let sfn: LocalStepFunctions;
  let client: SFNClient;

  beforeAll(async () => {
    const clock = new VirtualClock({ start: T0 });
    sfn = new LocalStepFunctions({
      clock,
      invokeLambda: async (_fn, payload) => void tokens.push((payload as { token: string }).token),
    });
    sfn.registerStateMachine(SM, definition);
    server = createServer((req, res) => void createSfnRequestHandler(sfn)(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    client = new SFNClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    sfn.close();
    await new Promise((r) => server.close(r));
  });

  it('starts, completes by SendTaskSuccess and describes an execution', async () => {
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: SM, name: 'P1', input: '{"a":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:callback:P1');
    expect(started.startDate).toEqual(T0);
    await sfn.settle();
    const running = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({ status: 'RUNNING', name: 'P1', input: '{"a":1}', startDate: T0, stateMachineArn: SM });
    await client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
    await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"answered":true}' }));
    await sfn.settle();
    const done = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"answered":true}', stopDate: T0 });
  });

  it('maps errors to the SDK exception classes: ExecutionAlreadyExists, TaskDoesNotExist, TaskTimedOut', async () => {
    const again = client.send(new StartExecutionCommand({ stateMachineArn: SM, name: 'P1', input: '{"a":1}' }));
    await expect(again).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(again).rejects.toMatchObject({ name: 'ExecutionAlreadyExists', $metadata: { httpStatusCode: 400 } });

    const unknown = client.send(new SendTaskSuccessCommand({ taskToken: `LocalTaskToken.${'B'.repeat(43)}`, output: '{}' }));
    await expect(unknown).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(unknown).rejects.toMatchObject({ name: 'TaskDoesNotExist' });

    await expect(client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: SM + '2', name: 'Z' }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(client.send(new DescribeExecutionCommand({ executionArn: SM.replace('stateMachine', 'execution') + ':nope' })))
      .rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('SendTaskFailure reaches a Catch by error name; StopExecution aborts', async () => {
    const a = await client.send(new StartExecutionCommand({ stateMachineArn: SM, name: 'P2' }));
    await sfn.settle();
    await client.send(new SendTaskFailureCommand({ taskToken: tokens.at(-1), error: 'PolicyCancelled', cause: 'withdrawn' }));
    await sfn.settle();
    const failed = await client.send(new DescribeExecutionCommand({ executionArn: a.executionArn }));
    expect(failed.status).toBe('SUCCEEDED');
    expect(JSON.parse(failed.output!)).toEqual({ error: { Error: 'PolicyCancelled', Cause: 'withdrawn' } });

    const b = await client.send(new StartExecutionCommand({ stateMachineArn: SM, name: 'P3' }));
    const stop = await client.send(new StopExecutionCommand({ executionArn: b.executionArn, error: 'Ops', cause: 'test' }));
    expect(stop.stopDate).toEqual(T0);
    const aborted = await client.send(new DescribeExecutionCommand({ executionArn: b.executionArn }));
    expect(aborted).toMatchObject({ status: 'ABORTED', error: 'Ops', cause: 'test' });
  });
});
