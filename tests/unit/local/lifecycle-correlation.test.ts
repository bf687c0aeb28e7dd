import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock.js';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/local-step-functions.js';
import { loadWorkflowDefinitions, localStateMachineArn } from '../../../infra/local/workflow-definitions.js';
import { logger } from '../../../functions/adapters/logger.js';
import type { WorkflowPlan } from '../../../functions/lifecycle/workflow-plan.js';

// The real lifecycle definition and the real workflow-step handler (its Powertools chain
// included) on the local engine; only the use cases and the table are stand-ins.
vi.mock('../../../functions/adapters/dependencies-from-env.js', () => ({ dependenciesFromEnv: () => ({}) }));
vi.mock('../../../functions/use-cases/workflow/workflow-steps.js', () => {
  const step = (action: string) => async (_deps: unknown, policyId: string) => {
    logger.info('step ran', { action, policyId });
  };
  return {
    loadLifecycle: async (_deps: unknown, policyId: string) => {
      logger.info('step ran', { action: 'load', policyId });
      return planOf(policyId);
    },
    ...Object.fromEntries(['awaitFirstCallbackDate', 'openCallbackRound', 'closeRoundTimedOut', 'openContactWindow', 'closeContactWindow', 'awaitManualVisit',
      'escalateManualVisit', 'awaitReview', 'escalateReview', 'awaitReceipt', 'recordReceiptNeverReturned'].map((a) => [a, step(a)])),
  };
});
const { handler } = await import('../../../functions/handlers/workflow/workflow-step.js');

const SM = localStateMachineArn('policy-lifecycle');
const DAY_S = 86_400;

function planOf(policyId: string): WorkflowPlan {
  return {
    policyId, callbackStage: 'FIRST_ROUND', receiptStage: 'AWAITING',
    timeouts: { firstCallbackDate: DAY_S, firstRound: 10 * DAY_S, contactWindow: DAY_S, secondRound: DAY_S, receipt: 30 * DAY_S },
    manualVisitTimeout: { seconds: DAY_S }, reviewTimeout: { seconds: DAY_S },
  };
}

const hosts: LocalStepFunctions[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) h.close();
  vi.restoreAllMocks();
});

/** One lifecycle execution from `input` until both tracks park, then to its end; the payloads and log lines of its steps. */
async function run(name: string, input: object) {
  const payloads: Record<string, unknown>[] = [];
  const lines: Record<string, unknown>[] = [];
  // Powertools writes through a Console on process.stdout (in Lambda and here alike).
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
    return true;
  });
  const sfn = new LocalStepFunctions({
    clock: new VirtualClock({ start: new Date('2026-03-01T00:00:00Z') }),
    invokeLambda: async (_fn, payload) => {
      payloads.push(payload as Record<string, unknown>);
      return handler(payload);
    },
  });
  hosts.push(sfn);
  sfn.registerStateMachine(SM, loadWorkflowDefinitions().get('policy-lifecycle')!);
  const { executionArn } = sfn.startExecution({ stateMachineArn: SM, name, input: JSON.stringify(input) });
  await sfn.settle();
  const parked = sfn.openTokens(executionArn);
  expect(parked.map((t) => t.stateName).sort()).toEqual(['Await signed receipt', 'Open first callback round']);
  for (const { token } of parked) sfn.sendTaskSuccess(token, JSON.stringify({ status: 'PASSED' }));
  await sfn.settle();
  vi.mocked(process.stdout.write).mockRestore();
  return { payloads, lines, status: sfn.describeExecution(executionArn).status };
}

describe('the correlation id on every lifecycle step', () => {
  it('is the registration request\'s, from the execution input, on each step\'s payload and log line', async () => {
    const { payloads, lines, status } = await run('P-1', { ...planOf('P-1'), correlationId: 'api-req-1' });
    expect(status).toBe('SUCCEEDED');
    // The happy path is unchanged: the plan came with the input, so no Load lifecycle.
    expect(payloads.map((p) => p.action).sort()).toEqual(['awaitReceipt', 'openCallbackRound']);
    expect(payloads.map((p) => p.correlationId)).toEqual(['api-req-1', 'api-req-1']);
    const ran = lines.filter((l) => l.message === 'step ran');
    expect(ran).toHaveLength(2);
    for (const line of ran) expect(line).toMatchObject({ correlation_id: 'api-req-1', policyId: 'P-1' });
  });

  it.each([
    ['a resumed execution (input {policyId} only)', { policyId: 'P-2' }, 'P-2'],
    ['an execution started with a plan but no correlationId', planOf('P-2'), 'P-2'],
    ['a replayed registration (no plan, with its correlationId)', { policyId: 'P-2', correlationId: 'api-req-2' }, 'api-req-2'],
  ])('%s still runs: Load lifecycle supplies the id (else the execution name) to the later steps', async (_label, input, expected) => {
    const { payloads, lines, status } = await run('P-2', input);
    expect(status).toBe('SUCCEEDED');
    expect(payloads[0]).toMatchObject({ action: 'load', executionName: 'P-2', executionInput: input });
    expect(payloads.slice(1).map((p) => [p.action, p.correlationId]).sort()).toEqual([['awaitReceipt', expected], ['openCallbackRound', expected]]);
    const ran = lines.filter((l) => l.message === 'step ran');
    expect(ran.map((l) => l.correlation_id)).toEqual([expected, expected, expected]);
  });

  it('is reset between invocations: a sandbox reused by a payload without one logs none', async () => {
    await run('P-3', { ...planOf('P-3'), correlationId: 'api-req-3' });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0);
    await handler({ action: 'closeContactWindow', policyId: 'P-3' });
    vi.mocked(process.stdout.write).mockRestore();
    const ran = lines.join('').split('\n').filter((l) => l.includes('step ran'));
    expect(ran).toHaveLength(1);
    expect(ran[0]).not.toContain('correlation_id');
  });
});
