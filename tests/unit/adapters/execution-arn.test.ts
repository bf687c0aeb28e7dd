import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { executionArnOf } from '../../../functions/adapters/stepfunctions/execution-arn.js';
import { SfnWorkflowEngine } from '../../../functions/adapters/stepfunctions/sfn-workflow-engine.js';
import { executionArnOf as localExecutionArnOf } from '../../../infra/local/stepfunctions/api-validation.js';
import { localStateMachineArn } from '../../../infra/local/workflow-definitions.js';

const MACHINE = 'arn:aws:states:cn-north-1:123456789012:stateMachine:PolicyQcStateless-monthly-settlement';
const EXECUTION = 'arn:aws:states:cn-north-1:123456789012:execution:PolicyQcStateless-monthly-settlement:settlement-2025-01-1';

describe('executionArnOf', () => {
  it('names the execution under the machine, from the machine ARN (local mode)', () => {
    expect(executionArnOf(MACHINE, 'settlement-2025-01-1')).toBe(EXECUTION);
  });

  it('agrees with the local engine on a local machine ARN (local mode has no alias)', () => {
    const local = localStateMachineArn('monthly-settlement');
    expect(executionArnOf(local, 'settlement-2025-01-1')).toBe(localExecutionArnOf(local, 'settlement-2025-01-1'));
  });

  it('drops the alias or version of a qualified ARN (AWS: the starters hold the alias ARN)', () => {
    expect(executionArnOf(`${MACHINE}:live`, 'settlement-2025-01-1')).toBe(EXECUTION);
    expect(executionArnOf(`${MACHINE}:7`, 'settlement-2025-01-1')).toBe(EXECUTION);
  });

  it('keeps the partition, region and account', () => {
    expect(executionArnOf('arn:aws-cn:states:cn-northwest-1:000000000000:stateMachine:m:live', 'p-1'))
      .toBe('arn:aws-cn:states:cn-northwest-1:000000000000:execution:m:p-1');
  });

  it('refuses what is not a state machine ARN', () => {
    expect(() => executionArnOf('arn:aws:states:cn-north-1:123456789012:execution:m:x', 'p-1')).toThrow(/not a state machine ARN/);
    expect(() => executionArnOf('PolicyQcStateless-monthly-settlement', 'p-1')).toThrow(/not a state machine ARN/);
  });
});

describe('SfnWorkflowEngine through an alias', () => {
  function recording() {
    const sent: unknown[] = [];
    const sfn = { send: (command: unknown) => { sent.push(command); return Promise.resolve({ status: 'RUNNING' }); } } as unknown as SFNClient;
    return { sent, engine: new SfnWorkflowEngine(sfn, `${MACHINE.replace('monthly-settlement', 'policy-lifecycle')}:live`, `${MACHINE}:live`) };
  }

  it('starts on the alias ARN it is given', async () => {
    const { sent, engine } = recording();
    await engine.startLifecycle('P-1');
    await engine.startSettlement('2025-01', 1);
    const starts = sent.filter((c): c is StartExecutionCommand => c instanceof StartExecutionCommand).map((c) => c.input.stateMachineArn);
    expect(starts).toEqual([`${MACHINE.replace('monthly-settlement', 'policy-lifecycle')}:live`, `${MACHINE}:live`]);
  });

  it('describes a settlement by its execution ARN under the machine', async () => {
    const { sent, engine } = recording();
    expect(await engine.settlementStatus('2025-01', 1)).toBe('RUNNING');
    const described = sent.find((c): c is DescribeExecutionCommand => c instanceof DescribeExecutionCommand);
    expect(described?.input.executionArn).toBe(EXECUTION);
  });
});
