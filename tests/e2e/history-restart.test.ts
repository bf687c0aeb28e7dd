import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildSystem, type ChildSystem } from '../support/child-system.js';
import { LocalApi } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';

let dataDir: string;
const children: ChildSystem[] = [];
afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) await child.stop();
  await rm(dataDir, { recursive: true, force: true });
});

type Step = { kind: 'step'; execution: string; n: number; type: string };
type Entry = Step | { kind: 'event'; seq: number; type: string };

describe('the history across a kill -9', () => {
  it('keeps every business event; the resumed execution records its own steps; the chains verify', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'qc-history-restart-'));
    const first = await startChildSystem(dataDir, CLOCK_START);
    children.push(first);
    let api = new LocalApi(first.url);
    expect((await api.post('upstream', '/v1/policies', registration('HR-1', await api.now()))).status).toBe(201);
    await api.advance('P10D');
    await first.kill9();

    const second = await startChildSystem(dataDir, CLOCK_START);
    children.push(second);
    api = new LocalApi(second.url);
    const call = await api.post('callcentre', '/v1/policies/HR-1/callback-attempts', { attemptId: 'a1', round: 1, calledAt: (await api.now()).toISOString(), reached: true, operatorId: 'OP1' });
    expect(call.status, call.text).toBe(200);
    expect((await api.post('upstream', '/v1/policies/HR-1/receipt', { returnedAt: (await api.now()).toISOString() })).status).toBe(200);

    const history = await api.get<{ executions: string[]; timeline: Entry[] }>('auditor', '/v1/policies/HR-1/history');
    expect(history.status, history.text).toBe(200);
    const events = history.body.timeline.filter((e): e is Extract<Entry, { kind: 'event' }> => e.kind === 'event');
    expect(events.map((e) => e.type)).toEqual(['PolicyRegistered', 'CallbackRoundOpened', 'CallbackAttemptRecorded', 'ReceiptReturned']);
    expect(history.body.executions).toHaveLength(2);
    const [before, after] = history.body.executions.map((x) => history.body.timeline.filter((e): e is Step => e.kind === 'step' && e.execution === x));
    // The killed run: its steps up to the last park were flushed; it never ended.
    expect(before![0]).toMatchObject({ type: 'ExecutionStarted', n: 1 });
    expect(before!.some((s) => s.type.startsWith('Execution') && s.type !== 'ExecutionStarted')).toBe(false);
    expect(after![0]).toMatchObject({ type: 'ExecutionStarted', n: 1 });
    expect(after!.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });

    const verify = await api.get<{ valid: boolean; events: number }>('auditor', '/v1/policies/HR-1/history/verify');
    expect(verify.body).toMatchObject({ valid: true, events: 4 });
    await second.stop();
  }, 120_000);
});
