import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock.js';
import { LocalStepFunctions, type StateEvent } from '../../../infra/local/stepfunctions/local-step-functions.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;
const day = (n: number, extraMs = 0): Date => new Date(T0.getTime() + n * DAY + extraMs);
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:policy-lifecycle';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:workflow-step';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const callback = (action: string, extra: object) => ({
  Type: 'Task',
  Resource: CALLBACK,
  Parameters: { FunctionName: FN, Payload: { action, 'policyId.$': '$.policyId', 'taskToken.$': '$$.Task.Token' } },
  ...extra,
});

const definition = {
  StartAt: 'Load',
  States: {
    Load: {
      Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: FN, Payload: { action: 'load', 'policyId.$': '$.policyId' } },
      OutputPath: '$.Payload', Catch: [{ ErrorEquals: ['PolicyCancelled'], ResultPath: '$.cancelled', Next: 'Cancelled' }], Next: 'First call',
    },
    'First call': callback('first', {
      TimeoutSecondsPath: '$.timeouts.first', ResultPath: '$.first',
      // Order matters: AWS never matches States.Timeout with States.TaskFailed.
      Catch: [
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failed', Next: 'Cancelled' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Tracks' },
      ],
      Next: 'Tracks',
    }),
    Tracks: {
      Type: 'Parallel', ResultPath: '$.tracks', Next: 'Until',
      Branches: [
        { StartAt: 'Receipt', States: { Receipt: callback('receipt', { TimeoutSeconds: 864000, End: true }) } },
        { StartAt: 'Visit', States: {
          Visit: callback('visit', { TimeoutSeconds: 864000, End: true, Catch: [{ ErrorEquals: ['PolicyCancelled'], ResultPath: '$.visitError', Next: 'Visit cancelled' }] }),
          'Visit cancelled': { Type: 'Pass', Parameters: { 'cause.$': '$.visitError.Cause', 'error.$': '$.visitError.Error' }, End: true },
        } },
      ],
    },
    Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Done' },
    Done: { Type: 'Succeed' },
    Cancelled: { Type: 'Succeed' },
  },
};

class CancelledError extends Error {
  override name = 'PolicyCancelled';
}

function setup(opts: { cancelOnLoad?: boolean; failInvokeOf?: string; start?: Date } = {}) {
  const clock = new VirtualClock({ start: opts.start ?? T0 });
  const tokens = new Map<string, string>();
  const events: StateEvent[] = [];
  const invokeLambda = async (fn: string, payload: unknown): Promise<unknown> => {
    expect(fn).toBe(FN);
    const p = payload as { action: string; taskToken?: string };
    await new Promise((r) => setTimeout(r, 1)); // real I/O-like latency: settle must wait for it
    if (p.action === 'load' && opts.cancelOnLoad) throw new CancelledError('cancelled before load');
    if (p.action === opts.failInvokeOf) throw new CancelledError(`invoke of ${p.action} failed`);
    if (p.taskToken) tokens.set(p.action, p.taskToken);
    if (p.action === 'load') return { policyId: 'P1', timeouts: { first: 10 * 86400 }, until: day(40).toISOString() };
    return { ignored: true };
  };
  const sfn = new LocalStepFunctions({ clock, invokeLambda, onStateEvent: (e) => events.push(e) });
  sfn.registerStateMachine(SM, definition);
  hosts.push(sfn);
  const advance = (to: Date) => clock.advanceTo(to, () => sfn.settle());
  return { clock, sfn, tokens, events, advance };
}

const hosts: LocalStepFunctions[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) h.close();
});

const input = JSON.stringify({ policyId: 'P1' });

describe('LocalStepFunctions end to end on virtual time', () => {
  it('lists no stalled execution while each is parked on a token or a wait', async () => {
    const { sfn, advance } = setup();
    const { executionArn } = sfn.startExecution({ stateMachineArn: SM, name: 'P1', input });
    await sfn.settle();
    expect(sfn.stalledExecutions()).toEqual([]); // parked on the first call's token
    await advance(day(10));
    expect(sfn.stalledExecutions()).toEqual([]); // parked on the two branches' tokens
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
  });

  it('times a callback out at its 10-day virtual deadline, runs a Parallel of callbacks and a 40-day Wait', async () => {
    const { sfn, tokens, events, advance, clock } = setup();
    const { executionArn } = sfn.startExecution({ stateMachineArn: SM, name: 'P1', input });
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:policy-lifecycle:P1');
    await sfn.settle();
    expect(sfn.busy()).toBe(0);
    expect(sfn.openTokens(executionArn)).toEqual([{ token: tokens.get('first'), stateName: 'First call', deadline: day(10) }]);

    await advance(day(10, -1000));
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await advance(day(10));
    expect(sfn.openTokens(executionArn).map((t) => t.stateName).sort()).toEqual(['Receipt', 'Visit']);
    expect(() => sfn.sendTaskSuccess(tokens.get('first')!, '{}')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));

    sfn.sendTaskSuccess(tokens.get('receipt')!, JSON.stringify({ signed: true }));
    sfn.sendTaskFailure(tokens.get('visit')!, 'PolicyCancelled', 'customer withdrew');
    await sfn.settle();
    expect(sfn.openTokens(executionArn)).toEqual([]);
    expect(clock.pendingTimers()).toBe(1); // the 40-day wait only: completed tokens cancelled their deadlines

    await advance(day(39, DAY - 1));
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await advance(day(40));
    const done = sfn.describeExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate).toEqual(day(40));
    expect(JSON.parse(done.output!)).toEqual({
      policyId: 'P1', timeouts: { first: 864000 }, until: day(40).toISOString(),
      timedOut: { Error: 'States.Timeout', Cause: 'States.Timeout' },
      tracks: [{ signed: true }, { error: 'PolicyCancelled', cause: 'customer withdrew' }],
    });
    const exited = events.filter((e) => e.type === 'StateExited').map((e) => [e.stateName, e.at.toISOString()]);
    expect(exited).toContainEqual(['Until', day(40).toISOString()]);
    expect(exited).toContainEqual(['First call', day(10).toISOString()]);
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded', at: day(40) });
  });

  it('delivers SendTaskSuccess output as the task result, and a Lambda error by its name to Catch', async () => {
    const ok = setup();
    const { executionArn } = ok.sfn.startExecution({ stateMachineArn: SM, name: 'P1', input });
    await ok.sfn.settle();
    ok.sfn.sendTaskSuccess(ok.tokens.get('first')!, '{"answered":"yes"}');
    await ok.sfn.settle();
    expect(ok.sfn.openTokens(executionArn).map((t) => t.deadline)).toEqual([day(10), day(10)]);
    ok.sfn.sendTaskSuccess(ok.tokens.get('receipt')!, '"r"');
    ok.sfn.sendTaskSuccess(ok.tokens.get('visit')!, '[1,2]');
    await ok.advance(day(40));
    expect(JSON.parse(ok.sfn.describeExecution(executionArn).output!)).toMatchObject({ first: { answered: 'yes' }, tracks: ['r', [1, 2]] });
    expect(() => ok.sfn.sendTaskSuccess(ok.tokens.get('visit')!, 'not json')).toThrow(expect.objectContaining({ name: 'InvalidOutput' }));

    const cancelled = setup({ cancelOnLoad: true });
    const exec = cancelled.sfn.startExecution({ stateMachineArn: SM, name: 'P2', input });
    await cancelled.sfn.settle();
    const d = cancelled.sfn.describeExecution(exec.executionArn);
    expect(d.status).toBe('SUCCEEDED');
    const error = (JSON.parse(d.output!) as { cancelled: { Error: string; Cause: string } }).cancelled;
    expect(error.Error).toBe('PolicyCancelled');
    expect(JSON.parse(error.Cause)).toMatchObject({ errorType: 'PolicyCancelled', errorMessage: 'cancelled before load' });
  });

  it('fails a callback task when its Lambda invocation fails (States.TaskFailed catches it)', async () => {
    const { sfn } = setup({ failInvokeOf: 'first' });
    const { executionArn } = sfn.startExecution({ stateMachineArn: SM, name: 'P1', input });
    await sfn.settle();
    const d = sfn.describeExecution(executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toMatchObject({ failed: { Error: 'PolicyCancelled' } });
  });

  it('follows StartExecution name rules: idempotent while running with the same input, else ExecutionAlreadyExists', async () => {
    const { sfn, tokens } = setup();
    const first = sfn.startExecution({ stateMachineArn: SM, name: 'P1', input });
    expect(sfn.startExecution({ stateMachineArn: SM, name: 'P1', input })).toEqual(first);
    expect(() => sfn.startExecution({ stateMachineArn: SM, name: 'P1', input: '{"policyId":"other"}' }))
      .toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(() => sfn.startExecution({ stateMachineArn: SM + 'x', name: 'P1', input }))
      .toThrow(expect.objectContaining({ name: 'StateMachineDoesNotExist' }));
    expect(() => sfn.startExecution({ stateMachineArn: 'nope', name: 'P1', input })).toThrow(expect.objectContaining({ name: 'InvalidArn' }));
    expect(() => sfn.startExecution({ stateMachineArn: SM, name: 'bad name', input })).toThrow(expect.objectContaining({ name: 'InvalidName' }));

    await sfn.settle();
    sfn.stopExecution(first.executionArn, 'Operator', 'stopped by test');
    const stopped = sfn.describeExecution(first.executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by test', stopDate: T0 });
    expect(() => sfn.sendTaskSuccess(tokens.get('first')!, '{}')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(sfn.openTokens(first.executionArn)).toEqual([]);
    expect(() => sfn.startExecution({ stateMachineArn: SM, name: 'P1', input })).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    const resumed = sfn.startExecution({ stateMachineArn: SM, name: 'P1', input, resume: true });
    await sfn.settle();
    expect(sfn.describeExecution(resumed.executionArn).status).toBe('RUNNING');
    expect(sfn.listExecutions('RUNNING').map((e) => e.name)).toEqual(['P1']);
    expect(() => sfn.describeExecution(SM.replace('stateMachine', 'execution') + ':nope')).toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist' }));
  });

  it('rejects unknown and malformed tokens with the AWS exception names', () => {
    const { sfn } = setup();
    expect(() => sfn.sendTaskSuccess('garbage', '{}')).toThrow(expect.objectContaining({ name: 'InvalidToken' }));
    expect(() => sfn.sendTaskFailure(`LocalTaskToken.${'A'.repeat(43)}`, 'X')).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
  });

  it('enforces a state machine TimeoutSeconds on the virtual clock (no 24.8-day overflow)', async () => {
    const clock = new VirtualClock({ start: T0 });
    const events: StateEvent[] = [];
    const sfn = new LocalStepFunctions({ clock, invokeLambda: async () => ({}), onStateEvent: (e) => events.push(e) });
    hosts.push(sfn);
    const arn = SM + '-timeout';
    sfn.registerStateMachine(arn, { StartAt: 'W', TimeoutSeconds: 30 * 86400, States: { W: { Type: 'Wait', Seconds: 60 * 86400, End: true } } });
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'T', input: '{}' });
    await new Promise((r) => setTimeout(r, 20)); // real time passing changes nothing
    await clock.advanceTo(day(29), () => sfn.settle());
    expect(sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await clock.advanceTo(day(61), () => sfn.settle());
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT', stopDate: day(30) });
    expect(clock.pendingTimers()).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionTimedOut', at: day(30) });
  });

  it('reports a Fail state as FAILED with its Error and Cause, and does not wait for a past timestamp', async () => {
    const clock = new VirtualClock({ start: T0 });
    const sfn = new LocalStepFunctions({ clock, invokeLambda: async () => ({}) });
    hosts.push(sfn);
    const arn = SM + '-fail';
    sfn.registerStateMachine(arn, {
      StartAt: 'Past',
      States: {
        Past: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', Next: 'Fail' },
        Fail: { Type: 'Fail', Error: 'Rules.Broken', Cause: 'because' },
      },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn: arn, name: 'F' });
    await sfn.settle();
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'FAILED', error: 'Rules.Broken', cause: 'because', stopDate: T0 });
  });

  it('keeps nothing of an execution once it ended but its bounded description, however it ended and whoever awaited it', async () => {
    const { sfn, advance, clock } = setup();
    const arns = Array.from({ length: 30 }, (_, i) => sfn.startExecution({ stateMachineArn: SM, name: `P${i}`, input }).executionArn);
    await Promise.all(arns.map((arn) => sfn.settleExecution(arn)));
    expect(sfn.footprint()).toEqual({ running: 30, finished: 0, openTokens: 30, executionsMonitored: 0 });
    // Some are stopped, some answered and awaited each, the rest time out on the clock.
    for (const arn of arns.slice(0, 10)) sfn.stopExecution(arn, 'Operator');
    for (const arn of arns.slice(10, 20)) sfn.sendTaskFailure(sfn.openTokens(arn)[0]!.token, 'States.TaskFailed', 'no answer');
    await Promise.all(arns.slice(10, 20).map((arn) => sfn.settleExecution(arn)));
    await advance(day(60));
    expect(sfn.listExecutions('RUNNING')).toEqual([]);
    expect(sfn.footprint()).toEqual({ running: 0, finished: 30, openTokens: 0, executionsMonitored: 0 });
    expect(clock.pendingTimers()).toBe(0);
  });
});
