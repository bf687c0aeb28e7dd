import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaPool } from '../../../infra/local/lambda/lambda-pool.js';
import { SharedInstant } from '../../../infra/local/lambda/shared-clock.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/handlers', import.meta.url));

describe('Lambda sandboxes (worker threads)', () => {
  let pool: LambdaPool | undefined;
  afterEach(async () => {
    await pool?.close();
    delete process.env.PROBE_SETTING;
  });

  it('runs a handler module with the event, the Lambda context and the environment set after start', async () => {
    pool = new LambdaPool(new SharedInstant(), 2, FIXTURES);
    process.env.PROBE_SETTING = 'set-later';
    await expect(pool.invoke('probe.ts', { action: 'echo', value: { a: [1, 2] } }, 'probe-fn'))
      .resolves.toEqual({ value: { a: [1, 2] }, functionName: 'probe-fn', env: 'set-later' });
  });

  it('reads business time from the shared instant as the main thread moves it', async () => {
    const instant = new SharedInstant();
    pool = new LambdaPool(instant, 1, FIXTURES);
    instant.set(Date.parse('2026-03-01T00:00:00Z'));
    await expect(pool.invoke('probe.ts', { action: 'now' })).resolves.toBe('2026-03-01T00:00:00.000Z');
    instant.set(Date.parse('2026-03-11T09:30:00Z'));
    await expect(pool.invoke('probe.ts', { action: 'now' })).resolves.toBe('2026-03-11T09:30:00.000Z');
  });

  it('keeps the error name, which Step Functions Catch clauses match on', async () => {
    pool = new LambdaPool(new SharedInstant(), 1, FIXTURES);
    await expect(pool.invoke('probe.ts', { action: 'fail' })).rejects.toMatchObject({ name: 'PolicyCancelled', message: 'the policy was cancelled' });
  });

  it('fails the invocations of a sandbox that dies and replaces it', async () => {
    pool = new LambdaPool(new SharedInstant(), 1, FIXTURES);
    await expect(pool.invoke('probe.ts', { action: 'crash' })).rejects.toThrow('exited with code 3');
    // Named as Step Functions names a Lambda that died: the state machines retry the step, which finishes what it left undone.
    await expect(pool.invoke('probe.ts', { action: 'crash' })).rejects.toMatchObject({ name: 'Lambda.Unknown' });
    await expect(pool.invoke('probe.ts', { action: 'echo', value: 'after' })).resolves.toMatchObject({ value: 'after' });
  });

  // Only the stuck handler gets a short timeout: the others may take their time on a busy machine.
  const timeouts = (module: string) => (module === 'stuck.ts' ? 0.5 : 120);

  it('fails a call that outlives its timeout with Sandbox.Timedout and keeps a sandbox that still answers', async () => {
    pool = new LambdaPool(new SharedInstant(), 1, FIXTURES, timeouts, 500);
    await expect(pool.invoke('probe.ts', { action: 'echo', value: 'warm' })).resolves.toMatchObject({ value: 'warm' });
    const started = Date.now();
    const hung = pool.invoke('stuck.ts', { action: 'hang' });
    expect(pool.inFlight()).toMatchObject([{ module: 'stuck.ts', sandbox: 0 }]);
    await expect(pool.invoke('probe.ts', { action: 'echo', value: 'alive' })).resolves.toMatchObject({ value: 'alive' });
    await expect(hung).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(pool.inFlight()).toEqual([]);
    await expect(pool.invoke('probe.ts', { action: 'echo', value: 'same sandbox' })).resolves.toMatchObject({ value: 'same sandbox' });
  });

  it('replaces a wedged sandbox when its call times out, so later calls run', async () => {
    pool = new LambdaPool(new SharedInstant(), 1, FIXTURES, timeouts, 500);
    await expect(pool.invoke('stuck.ts', { action: 'spin' })).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    await expect(pool.invoke('probe.ts', { action: 'echo', value: 'fresh' })).resolves.toMatchObject({ value: 'fresh' });
  });

  it('refuses work once closed', async () => {
    pool = new LambdaPool(new SharedInstant(), 1, FIXTURES);
    await pool.close();
    await expect(pool.invoke('probe.ts', { action: 'echo' })).rejects.toThrow('closed');
  });
});
