import '../../../infra/local/stepfunctions/polyfill.js';
import aslValidator from 'asl-validator';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVOKE_TIMEOUT_SECONDS,
  ENGINE_PARKED_TIMEOUT_SECONDS,
  LOCAL_WAIT_RESOURCE,
  rewriteForLocal,
  type JsonObject,
  type JsonValue,
} from '../../../infra/local/stepfunctions/local-asl.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:workflow-step';
const token = (action: string, extra: JsonObject = {}): JsonObject => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: FN, Payload: { action, 'policyId.$': '$.policyId', 'taskToken.$': '$$.Task.Token' } },
  ...extra,
});

const def: JsonObject = {
  StartAt: 'Load',
  TimeoutSeconds: 31_536_000,
  States: {
    Load: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FN, 'Payload.$': '$' }, Next: 'Await first call' },
    'Await first call': token('first', {
      TimeoutSecondsPath: '$.timeouts.first',
      HeartbeatSeconds: 3600,
      ResultPath: '$.outcome',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Tracks' }],
      Next: 'Tracks',
    }),
    Tracks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Await receipt', States: { 'Await receipt': token('receipt', { TimeoutSeconds: 864000, End: true }) } },
        { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 30, Next: 'Visits' }, Visits: {
          Type: 'Map', ItemsPath: '$.visits', End: true,
          ItemProcessor: { StartAt: 'Await visit', States: { 'Await visit': token('visit', { End: true }) } },
        } } },
      ],
      Next: 'Until date',
    },
    'Until date': { Type: 'Wait', TimestampPath: '$.until', InputPath: '$', OutputPath: '$', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

const states = (d: JsonValue): Record<string, JsonObject> => (d as { States: Record<string, JsonObject> }).States;

describe('rewriteForLocal', () => {
  const local = rewriteForLocal(def);
  const top = states(local.definition);
  const tracks = top.Tracks as { Branches: JsonObject[] };
  const receipt = states(tracks.Branches[0]!)['Await receipt']!;
  const branch2 = states(tracks.Branches[1]!);
  const visit = states((branch2.Visits as { ItemProcessor: JsonObject }).ItemProcessor)['Await visit']!;

  it('leaves the source definition untouched', () => {
    expect(JSON.stringify(def)).toContain('$$.Task.Token');
    expect((states(def)['Until date'] as JsonObject).Type).toBe('Wait');
  });

  it('removes the token reference, remembers its path and carries TimeoutSecondsPath as a parameter', () => {
    const first = top['Await first call']!;
    expect(JSON.stringify(local.definition)).not.toContain('$$.Task.Token');
    expect(first.Parameters).toEqual({
      FunctionName: FN,
      Payload: { action: 'first', 'policyId.$': '$.policyId' },
      '__localTimeoutSeconds.$': '$.timeouts.first',
    });
    expect(first.TimeoutSeconds).toBe(ENGINE_PARKED_TIMEOUT_SECONDS);
    expect(first).not.toHaveProperty('TimeoutSecondsPath');
    expect(first).not.toHaveProperty('HeartbeatSeconds');
    expect(first.Catch).toEqual((states(def)['Await first call'] as JsonObject).Catch);
    expect(local.taskStates.get('Await first call')).toEqual({
      kind: 'token', resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', tokenPath: ['Payload', 'taskToken'], timeoutFromPayload: true,
    });
  });

  it('keeps a static TimeoutSeconds in the spec, inside Parallel branches and Map item processors', () => {
    expect(receipt.TimeoutSeconds).toBe(ENGINE_PARKED_TIMEOUT_SECONDS);
    expect(local.taskStates.get('Await receipt')).toMatchObject({ kind: 'token', timeoutSeconds: 864000, timeoutFromPayload: false });
    expect(visit.TimeoutSeconds).toBe(ENGINE_PARKED_TIMEOUT_SECONDS);
    expect(local.taskStates.get('Await visit')).toEqual({
      kind: 'token', resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', tokenPath: ['Payload', 'taskToken'], timeoutFromPayload: false,
    });
    expect(ENGINE_PARKED_TIMEOUT_SECONDS * 1000).toBeLessThan(2 ** 31 - 1);
  });

  it('gives a lambda:invoke without TimeoutSeconds an explicit one', () => {
    expect(top.Load!.TimeoutSeconds).toBe(DEFAULT_INVOKE_TIMEOUT_SECONDS);
    expect(local.taskStates.get('Load')).toEqual({ kind: 'invoke', resource: 'arn:aws:states:::lambda:invoke' });
  });

  it('turns every Wait (also nested) into a Task with the same transitions', () => {
    expect(top['Until date']).toEqual({
      Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, InputPath: '$', OutputPath: '$', TimeoutSeconds: ENGINE_PARKED_TIMEOUT_SECONDS,
      Parameters: { 'input.$': '$', '__localWaitUntil.$': '$.until' }, Next: 'Done',
    });
    expect(branch2.Pause).toMatchObject({ Type: 'Task', Parameters: { 'input.$': '$', __localWaitSeconds: 30 }, Next: 'Visits' });
    expect(local.taskStates.get('Until date')).toEqual({ kind: 'wait', mode: 'timestamp' });
    expect(local.taskStates.get('Pause')).toEqual({ kind: 'wait', mode: 'seconds' });
  });

  it('moves the top-level TimeoutSeconds out of the engine', () => {
    expect(local.definition).not.toHaveProperty('TimeoutSeconds');
    expect(local.executionTimeoutSeconds).toBe(31_536_000);
  });

  it('is still accepted by asl-validator (and so by the engine)', () => {
    for (const d of [def, local.definition]) {
      const result = aslValidator(structuredClone(d), { checkArn: true, checkPaths: true });
      expect(result.errors).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it('rejects what it cannot run faithfully', () => {
    const dup = { StartAt: 'A', States: { A: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }] } } };
    expect(() => rewriteForLocal(dup)).toThrow(/duplicate state name "A"/);
    const noToken = { StartAt: 'T', States: { T: { ...token('x'), Parameters: { FunctionName: FN }, End: true } } };
    expect(() => rewriteForLocal(noToken)).toThrow(/exactly once/);
    const sqs = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } };
    expect(() => rewriteForLocal(sqs)).toThrow(/not supported locally/);
  });
});

describe('a rewritten Wait passes its input through exactly like the Wait', () => {
  const cases: JsonObject[] = [
    { Type: 'Wait', Seconds: 5, End: true },
    { Type: 'Wait', TimestampPath: '$.at', InputPath: '$.inner', End: true },
    { Type: 'Wait', SecondsPath: '$.s', OutputPath: '$.keep', End: true },
    { Type: 'Wait', Timestamp: '2026-01-01T00:00:00Z', InputPath: '$.inner', OutputPath: '$.at', End: true },
  ];
  const input = { s: 1, at: '2026-01-01T00:00:00Z', keep: { a: [1, 2] }, inner: { at: '2026-01-01T00:00:00Z', x: true } };

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s', async (_label, wait) => {
    const original = { StartAt: 'W', States: { W: wait } };
    const viaWait = await new StateMachine(structuredClone(original) as unknown as StateMachineDefinition)
      .run(input, { overrides: { waitTimeOverrides: { W: 0 } } }).result;
    const local = rewriteForLocal(original);
    // The host's wait handler returns Parameters.input once the virtual instant is reached.
    const viaTask = await new StateMachine(structuredClone(local.definition) as unknown as StateMachineDefinition)
      .run(input, { overrides: { taskResourceLocalHandlers: { W: async (p) => (p as { input: JsonValue }).input } } }).result;
    expect(viaTask).toEqual(viaWait);
  });
});
