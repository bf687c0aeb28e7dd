import { readFile } from 'node:fs/promises';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock.js';
import { rewriteForLocal } from '../../../infra/local/stepfunctions/local-asl.js';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/local-step-functions.js';
import { TokenRegistry } from '../../../infra/local/stepfunctions/token-registry.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const settle = async (): Promise<void> => undefined;

describe('TokenRegistry', () => {
  it('resolves with the output, rejects with the error name and cause, then forgets the token', async () => {
    const clock = new VirtualClock({ start: T0 });
    const reg = new TokenRegistry({ clock });
    const a = reg.mint('e1', 'A', new Date(T0.getTime() + 1000));
    const b = reg.mint('e1', 'B');
    expect(reg.openTokens('e1').map((t) => t.stateName)).toEqual(['A', 'B']);
    reg.succeed(a.token, { ok: 1 });
    await expect(a.promise).resolves.toEqual({ ok: 1 });
    expect(clock.pendingTimers()).toBe(0); // its deadline was cancelled
    reg.fail(b.token, 'PolicyCancelled', 'why');
    await expect(b.promise).rejects.toMatchObject({ name: 'PolicyCancelled', message: 'why' });
    expect(() => reg.fail(b.token, 'X')).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(() => reg.heartbeat(a.token)).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(reg.openTokens('e1')).toEqual([]);
  });

  it('fails with States.Timeout at the virtual deadline, not before', async () => {
    const clock = new VirtualClock({ start: T0 });
    const reg = new TokenRegistry({ clock });
    const { token, promise } = reg.mint('e1', 'A', new Date(T0.getTime() + 40 * 86_400_000));
    let settled = false;
    promise.then(() => (settled = true), () => (settled = true));
    await clock.advanceTo(new Date(T0.getTime() + 40 * 86_400_000 - 1), settle);
    expect(settled).toBe(false);
    await clock.advanceTo(new Date(T0.getTime() + 40 * 86_400_000), settle);
    await expect(promise).rejects.toMatchObject({ name: 'States.Timeout' });
    expect(() => reg.succeed(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('drops an execution: tokens end uncatchably and their timers are cancelled', async () => {
    const clock = new VirtualClock({ start: T0 });
    const reg = new TokenRegistry({ clock });
    const { token, promise } = reg.mint('e1', 'A', new Date(T0.getTime() + 1000));
    const other = reg.mint('e2', 'A', new Date(T0.getTime() + 1000));
    reg.dropExecution('e1');
    await expect(promise).rejects.toMatchObject({ isCatchable: false, isRetryable: false });
    expect(clock.pendingTimers()).toBe(1);
    expect(reg.openTokens('e2').map((t) => t.token)).toEqual([other.token]);
    expect(() => reg.succeed(token, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });
});

describe('the product workflow', () => {
  it('rewrites for local runs and stays valid', async () => {
    const text = await readFile(new URL('../../../workflows/policy-lifecycle.asl.json', import.meta.url), 'utf8');
    const def = JSON.parse(text.replace(/\$\{\w+\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:workflow-step')) as object;
    const local = rewriteForLocal(def);
    expect(JSON.stringify(local.definition)).not.toContain('$$.Task.Token');
    expect([...local.taskStates.values()].some((s) => s.kind === 'token')).toBe(true);
    expect(aslValidator(structuredClone(local.definition), { checkArn: true, checkPaths: true }).errors).toEqual([]);
  });
});

describe('bounded memory', () => {
  it('keeps only the last N finished executions', async () => {
    const clock = new VirtualClock({ start: T0 });
    const sfn = new LocalStepFunctions({ clock, invokeLambda: async () => ({}), maxFinishedExecutions: 2 });
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:pass';
    sfn.registerStateMachine(arn, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    for (const name of ['a', 'b', 'c']) sfn.startExecution({ stateMachineArn: arn, name });
    await sfn.settle();
    expect(sfn.listExecutions().map((e) => [e.name, e.status])).toEqual([['b', 'SUCCEEDED'], ['c', 'SUCCEEDED']]);
  });
});
