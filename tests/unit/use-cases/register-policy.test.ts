import { describe, expect, it } from 'vitest';
import { registerPolicy } from '../../../functions/use-cases/policies/register-policy.js';
import { ConflictError, ValidationError } from '../../../functions/use-cases/errors.js';
import { fakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { CLOCK_START } from '../../support/policies.js';
import { registrationInput, UPSTREAM } from './use-case-fixtures.js';

describe('registering a printed policy', () => {
  it('records it once and starts its lifecycle; the same body again answers the same view', async () => {
    const deps = fakeDependencies(CLOCK_START);
    const first = await registerPolicy(deps, registrationInput('P-10'), UPSTREAM);
    const again = await registerPolicy(deps, registrationInput('P-10'), UPSTREAM);
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, view: first.view });
    expect(first.view).toMatchObject({ policyId: 'P-10', stage: 'WAITING_FIRST_CALLBACK', ruleSet: { name: 'default' } });
    // Starting is idempotent, so the replay also heals a crash between the append and the start.
    expect(deps.workflow.started).toEqual(['P-10', 'P-10']);
    // The new policy's execution starts from the plan; the replay's reads the log (it may have moved on).
    expect(deps.workflow.plans[0]).toMatchObject({ policyId: 'P-10', callbackStage: 'AWAIT_FIRST_DATE', receiptStage: 'AWAITING' });
    expect(deps.workflow.plans[0]?.timeouts.firstCallbackDate).toBeGreaterThan(9 * 86_400);
    expect(deps.workflow.plans[1]).toBeUndefined();
    expect((await deps.repository.load('P-10'))?.events).toHaveLength(1);
  });

  it('refuses the same id with a different body', async () => {
    const deps = fakeDependencies(CLOCK_START);
    await registerPolicy(deps, registrationInput('P-11'), UPSTREAM);
    const different = registerPolicy(deps, registrationInput('P-11', { commission: { amount: '999.00' } }), UPSTREAM);
    await expect(different).rejects.toBeInstanceOf(ConflictError);
    await expect(different).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('refuses a printing date in the future, naming the field', async () => {
    const deps = fakeDependencies(CLOCK_START);
    const input = { ...registrationInput('P-12'), printedAt: new Date(CLOCK_START.getTime() + 3_600_000).toISOString() };
    const error = await registerPolicy(deps, input, UPSTREAM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details[0]).toMatchObject({ field: 'printedAt', rule: 'not_in_future' });
    expect(deps.workflow.started).toEqual([]);
  });

  it('keeps the rule set it was registered under', async () => {
    const deps = { ...fakeDependencies(CLOCK_START), defaultRuleSet: 'strict-72h' };
    const { view } = await registerPolicy(deps, registrationInput('P-13'), UPSTREAM);
    expect(view).toMatchObject({ ruleSet: { name: 'strict-72h' } });
  });
});
