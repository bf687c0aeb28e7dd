import { describe, expect, it } from 'vitest';
import { recordCallbackAttempt } from '../../../functions/use-cases/callbacks/record-callback-attempt.js';
import { Crash, crashAfterWrites } from '../../support/fakes/crashing-dependencies.js';
import { attemptInput, CALL_CENTRE, policyInFirstRound } from './use-case-fixtures.js';

/** runPolicyCommand and its signals (docs/architecture.md §5: use cases against in-memory fakes). */
describe('a command that ends a wait', () => {
  it('completes it with the token read along with the log, without reading the tokens again', async () => {
    const deps = await policyInFirstRound('P-1');
    const before = deps.repository.calls.loadTokens ?? 0;
    const result = await recordCallbackAttempt(deps, 'P-1', attemptInput(1, deps.clock.now(), { reached: true }), CALL_CENTRE);
    expect(result.roundStatus).toBe('PASSED');
    expect(deps.workflow.completed).toEqual([{ token: 'token-round1', output: { status: 'PASSED' } }]);
    expect((deps.repository.calls.loadTokens ?? 0) - before).toBe(0);
  });

  it('finds a wait parked after the log was read (no token then) by reading the tokens again', async () => {
    const deps = await policyInFirstRound('P-6');
    deps.repository.dropTokens('P-6');
    deps.repository.beforeAppend = (policyId) => deps.repository.saveToken(policyId, 'round1', 'token-parked-late');
    await recordCallbackAttempt(deps, 'P-6', attemptInput(1, deps.clock.now(), { reached: true }), CALL_CENTRE);
    expect(deps.workflow.completed).toEqual([{ token: 'token-parked-late', output: { status: 'PASSED' } }]);
  });

  it('retries with the token stored now when the one read with the log is stale (the wait was parked again)', async () => {
    const deps = await policyInFirstRound('P-2');
    deps.workflow.staleTokens.add('token-round1');
    // The execution is resumed meanwhile and parks the round again under a new token.
    deps.repository.beforeAppend = (policyId) => deps.repository.saveToken(policyId, 'round1', 'token-round1-resumed');
    await recordCallbackAttempt(deps, 'P-2', attemptInput(1, deps.clock.now(), { reached: true }), CALL_CENTRE);
    expect(deps.workflow.completed).toEqual([{ token: 'token-round1-resumed', output: { status: 'PASSED' } }]);
  });

  it('takes a wait that already ended (stale token, nothing newer) as done', async () => {
    const deps = await policyInFirstRound('P-3');
    deps.workflow.staleTokens.add('token-round1');
    const result = await recordCallbackAttempt(deps, 'P-3', attemptInput(1, deps.clock.now(), { reached: true }), CALL_CENTRE);
    expect(result.roundStatus).toBe('PASSED');
    expect(deps.workflow.completed).toEqual([]);
    expect(deps.repository.calls.loadTokens).toBe(1);
  });

  it('leaves the wait alone while the round stays open', async () => {
    const deps = await policyInFirstRound('P-4');
    const result = await recordCallbackAttempt(deps, 'P-4', attemptInput(1, deps.clock.now(), { reached: false, reason: 'NO_ANSWER' }), CALL_CENTRE);
    expect(result.roundStatus).toBe('OPEN');
    expect(deps.workflow.completed).toEqual([]);
  });
});

describe('a command that loses the append race', () => {
  it('decides again on the fresh log, so a concurrent duplicate has exactly one effect', async () => {
    const deps = await policyInFirstRound('P-5');
    const input = attemptInput(1, deps.clock.now(), { reached: false, reason: 'BUSY' });
    deps.repository.beforeAppend = async () => { await recordCallbackAttempt(deps, 'P-5', input, CALL_CENTRE); };
    const result = await recordCallbackAttempt(deps, 'P-5', input, CALL_CENTRE);
    expect(result.roundStatus).toBe('OPEN');
    const loaded = await deps.repository.load('P-5');
    const recorded = loaded?.events.filter((e) => e.data.type === 'CallbackAttemptRecorded') ?? [];
    expect(recorded).toHaveLength(1);
  });
});

describe('a request replayed after a crash', () => {
  it('completes what the first attempt left undone: the view and the signal to the workflow', async () => {
    const deps = await policyInFirstRound('P-7');
    const input = attemptInput(1, deps.clock.now(), { reached: true });
    // The first attempt dies right after the event is stored: no view, no signal.
    const crashing = crashAfterWrites(deps, 1);
    await expect(recordCallbackAttempt(crashing.deps, 'P-7', input, CALL_CENTRE)).rejects.toBeInstanceOf(Crash);
    expect(crashing.log).toEqual(['repository.appendEvent']);
    const stored = await deps.repository.load('P-7');
    expect(stored?.viewVersion).toBe((stored?.state.version ?? 0) - 1);
    expect(deps.repository.view('P-7')?.work?.bucket).toBe('DIAL');
    expect(deps.workflow.completed).toEqual([]);

    const replay = await recordCallbackAttempt(deps, 'P-7', input, CALL_CENTRE);
    expect(replay.roundStatus).toBe('PASSED');
    expect(deps.repository.view('P-7')).toMatchObject({ version: stored?.state.version, work: { bucket: 'WAITING' } });
    expect(deps.workflow.completed).toEqual([{ token: 'token-round1', output: { status: 'PASSED' } }]);
    expect((await deps.repository.load('P-7'))?.events.filter((e) => e.data.type === 'CallbackAttemptRecorded')).toHaveLength(1);
  });
});
