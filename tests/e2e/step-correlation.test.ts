import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerDataAccess, LOG_READER, scrubText } from '../../functions/domain/customer-privacy.js';
import { executionArnOf } from '../../functions/adapters/stepfunctions/execution-arn.js';
import { localStateMachineArn } from '../../infra/local/workflow-definitions.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

/**
 * docs/operations.md "Observability": a lifecycle's step log lines carry the id of the API
 * request that registered the policy. The system runs in this process; its Lambda sandboxes
 * (worker threads) write through this process's stdout, which is captured.
 */
let t: TestSystem;
const lines: string[] = [];

beforeAll(async () => {
  // The sandboxes share this environment: every step logs its "workflow step" debug line.
  vi.stubEnv('LOG_LEVEL', 'debug');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(...String(chunk).split('\n')) > 0);
  t = await startTestSystem(CLOCK_START);
});
afterAll(async () => {
  await t.stop();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('the correlation id in the step logs', () => {
  it('is the registering request\'s id on every step line of its lifecycle, to the end', async () => {
    const s = new Scenario(t.api, newPolicyId());
    await s.toFirstCallback();
    await s.call(1, { reached: true });
    await s.returnReceipt();
    const execution = t.system.stepFunctions.describeExecution(executionArnOf(localStateMachineArn('policy-lifecycle'), s.policyId));
    expect(execution.status).toBe('SUCCEEDED');
    const { correlationId } = JSON.parse(execution.input ?? '{}') as { correlationId?: string };
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);

    const steps = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => r.message === 'workflow step' && r.policyId === s.policyId);
    // Both tracks: the first callback date, the round, the receipt.
    expect(steps.map((r) => r.action)).toEqual(expect.arrayContaining(['awaitFirstCallbackDate', 'openCallbackRound', 'awaitReceipt']));
    // As every log line is scrubbed of phone-like digit runs, so is a request id that has one (a UUID may).
    const logged = scrubText(correlationId!, customerDataAccess(LOG_READER, {}));
    expect(steps.map((r) => r.correlation_id)).toEqual(steps.map(() => logged));
  }, 60_000);
});
