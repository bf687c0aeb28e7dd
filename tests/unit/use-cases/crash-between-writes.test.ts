import { describe, expect, it } from 'vitest';
import { callbackAttemptSchema, cancellationSchema, contactUpdateSchema, receiptSchema, reviewDecisionSchema } from '../../../functions/use-cases/inputs.js';
import type { StoredEvent } from '../../../functions/lifecycle/events.js';
import type { Projection } from '../../../functions/lifecycle/projection.js';
import type { WorkflowEngine } from '../../../functions/ports/workflow-engine.js';
import { cancelPolicy } from '../../../functions/use-cases/policies/cancel-policy.js';
import type { Dependencies } from '../../../functions/use-cases/dependencies.js';
import { decideReview } from '../../../functions/use-cases/visits-and-reviews/decide-review.js';
import { recordCallbackAttempt } from '../../../functions/use-cases/callbacks/record-callback-attempt.js';
import { recordReceipt } from '../../../functions/use-cases/policies/record-receipt.js';
import { registerPolicy } from '../../../functions/use-cases/policies/register-policy.js';
import { updateContact } from '../../../functions/use-cases/callbacks/update-contact.js';
import * as steps from '../../../functions/use-cases/workflow/workflow-steps.js';
import { Crash, crashAfterWrites } from '../../support/fakes/crashing-dependencies.js';
import { fakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { CLOCK_START } from '../../support/policies.js';
import { CALL_CENTRE, registrationInput, UPSTREAM } from './use-case-fixtures.js';

const DAY = 86_400_000;
const AGENT = { role: 'agent', subject: 'A1001' } as const;
const COMPLIANCE = { role: 'compliance', subject: 'C1' } as const;

/** Step Functions as the lifecycle sees it: a token is live while its wait is parked, then refused (TaskDoesNotExist). */
class LiveTokens implements WorkflowEngine {
  private readonly live = new Set<string>();
  readonly started = new Set<string>();
  /** What each wait was ended with: `token → status` (completed) or `token → !error` (failed). */
  readonly ended = new Map<string, string>();

  park(token: string): void {
    this.live.add(token);
  }

  timeOut(token: string): void {
    this.live.delete(token);
  }

  async startLifecycle(policyId: string): Promise<void> {
    this.started.add(policyId);
  }

  async completeTask(token: string, output: unknown): Promise<void> {
    this.end(token, String((output as { status?: unknown }).status));
  }

  async failTask(token: string, error: string): Promise<void> {
    this.end(token, `!${error}`);
  }

  async startSettlement(): Promise<void> {}

  async settlementStatus(): Promise<'NOT_FOUND'> {
    return 'NOT_FOUND';
  }

  private end(token: string, outcome: string): void {
    if (!this.live.delete(token)) throw Object.assign(new Error(`task ${token} does not exist`), { name: 'TaskDoesNotExist' });
    this.ended.set(token, outcome);
  }
}

type Step = (deps: Dependencies) => Promise<unknown>;

/**
 * Two lifecycles through every kind of write: registration, workflow steps that park a wait and
 * record a stage, requests that end a wait (attempt, contact update, review decision, receipt),
 * a timeout, an overdue reminder, and a cancellation that fails every wait. Each step is what one Lambda invocation does.
 */
function script(engine: LiveTokens, setTime: (days: number) => void): Step[] {
  const at = (days: number) => new Date(CLOCK_START.getTime() + days * DAY).toISOString();
  const park = (token: string, step: Step): Step => async (deps) => {
    engine.park(token);
    return step(deps);
  };
  const when = (days: number, step: Step): Step => async (deps) => {
    setTime(days);
    return step(deps);
  };
  const attempt = (id: string, round: number, days: number, outcome: object) => callbackAttemptSchema.parse({ attemptId: id, round, calledAt: at(days), operatorId: 'OP7', ...outcome });
  return [
    when(0, (d) => registerPolicy(d, registrationInput('C-1'), UPSTREAM)),
    when(0, (d) => registerPolicy(d, registrationInput('C-2'), UPSTREAM)),
    park('c1-receipt', (d) => steps.awaitReceipt(d, 'C-1', 'c1-receipt')),
    park('c2-receipt', (d) => steps.awaitReceipt(d, 'C-2', 'c2-receipt')),
    when(10, park('c1-r1', (d) => steps.openCallbackRound(d, 'C-1', 1, 'c1-r1'))),
    park('c2-r1', (d) => steps.openCallbackRound(d, 'C-2', 1, 'c2-r1')),
    (d) => recordCallbackAttempt(d, 'C-1', attempt('a1', 1, 10, { reached: false, reason: 'NO_ANSWER' }), CALL_CENTRE),
    when(11, (d) => cancelPolicy(d, 'C-2', cancellationSchema.parse({ cancelledAt: at(11), reason: 'surrendered' }), UPSTREAM)),
    when(20, async (d) => {
      engine.timeOut('c1-r1');
      return steps.closeRoundTimedOut(d, 'C-1', 1);
    }),
    park('c1-cw', (d) => steps.openContactWindow(d, 'C-1', 'c1-cw')),
    when(21, (d) => updateContact(d, 'C-1', contactUpdateSchema.parse({ confirm: true }), AGENT)),
    park('c1-r2', (d) => steps.openCallbackRound(d, 'C-1', 2, 'c1-r2')),
    (d) => recordCallbackAttempt(d, 'C-1', attempt('a2', 2, 21, { reached: true, findings: { proxySignature: true, misleading: false } }), CALL_CENTRE),
    park('c1-review', (d) => steps.awaitReview(d, 'C-1', 'c1-review')),
    // The review is overdue on day 31 (10 days): one reminder, recorded once however often the step runs.
    when(31, async (d) => {
      engine.timeOut('c1-review');
      return steps.escalateReview(d, 'C-1');
    }),
    park('c1-review-2', (d) => steps.awaitReview(d, 'C-1', 'c1-review-2')),
    when(32, (d) => decideReview(d, 'C-1', reviewDecisionSchema.parse({ decision: 'UPHOLD', note: 'proxy signature confirmed' }), COMPLIANCE)),
    when(33, (d) => recordReceipt(d, 'C-1', receiptSchema.parse({ returnedAt: at(33) }), UPSTREAM)),
  ];
}

interface Outcome {
  readonly logs: Record<string, readonly StoredEvent[]>;
  readonly views: Record<string, Projection | undefined>;
  readonly ended: Record<string, string>;
  readonly started: string[];
  readonly writes: number;
  readonly crashes: number;
}

/** Runs the script; the step a crash interrupts is run again (a retried Lambda, a re-sent request, a restart). */
async function run(crashAfter: number): Promise<Outcome> {
  const fake = fakeDependencies(CLOCK_START);
  const engine = new LiveTokens();
  const crashing = crashAfterWrites({ ...fake, workflow: engine }, crashAfter);
  let crashes = 0;
  for (const step of script(engine, (days) => fake.clock.set(new Date(CLOCK_START.getTime() + days * DAY)))) {
    try {
      await step(crashing.deps);
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      crashes++;
      crashing.disarm();
      await step(crashing.deps);
    }
  }
  const ids = ['C-1', 'C-2'];
  const logs = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await fake.repository.load(id))?.events ?? []])));
  return {
    logs,
    views: Object.fromEntries(ids.map((id) => [id, fake.repository.view(id)])),
    ended: Object.fromEntries([...engine.ended.entries()].sort()),
    started: [...engine.started].sort(),
    writes: crashing.writes(),
    crashes,
  };
}

describe('a crash between any two writes changes no outcome', () => {
  it('ends every log, view, queue entry and workflow signal as the uninterrupted run, wherever the crash falls', async () => {
    const reference = await run(Infinity);
    expect(reference.crashes).toBe(0);
    // The reference is the behaviour: both lifecycles ended as the rules say.
    expect(reference.ended).toEqual({
      'c1-cw': 'CONFIRMED', 'c1-r2': 'FINDINGS', 'c1-receipt': 'RETURNED', 'c1-review-2': 'UPHOLD', 'c2-r1': '!PolicyCancelled', 'c2-receipt': '!PolicyCancelled',
    });
    expect(reference.logs['C-1']?.filter((e) => e.data.type === 'ReviewEscalated')).toHaveLength(1);
    expect(reference.views['C-1']?.commissionFacts?.callback.outcome).toBe('FORFEITED');
    expect(reference.views['C-1']?.work).toBeUndefined();
    expect(reference.views['C-2']?.commissionFacts?.cancelledAt).toBeDefined();
    expect(reference.writes).toBeGreaterThan(30);

    for (let crashAfter = 0; crashAfter < reference.writes; crashAfter++) {
      const crashed = await run(crashAfter);
      expect(crashed.crashes, `crash after write ${crashAfter}`).toBe(1);
      const { writes: _w, crashes: _c, ...outcome } = crashed;
      const { writes: _rw, crashes: _rc, ...expected } = reference;
      expect(outcome, `crash after write ${crashAfter}`).toEqual(expected);
    }
  });
});
