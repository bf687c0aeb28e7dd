import { callbackAttemptSchema, registerPolicySchema } from '../../../functions/use-cases/inputs.js';
import { registerPolicy } from '../../../functions/use-cases/policies/register-policy.js';
import { openCallbackRound } from '../../../functions/use-cases/workflow/workflow-steps.js';
import { fakeDependencies, type FakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { attempt, CLOCK_START, registration } from '../../support/policies.js';

export const UPSTREAM = { role: 'upstream' } as const;
export const CALL_CENTRE = { role: 'callcentre', subject: 'OP7' } as const;
const DAY = 86_400_000;

/** Input as the HTTP layer hands it over: parsed by the route's schema. */
export const registrationInput = (policyId: string, overrides: Record<string, unknown> = {}) =>
  registerPolicySchema.parse(registration(policyId, new Date(CLOCK_START.getTime() - 60_000), overrides));
export const attemptInput = (round: number, calledAt: Date, outcome: Parameters<typeof attempt>[2]) =>
  callbackAttemptSchema.parse(attempt(round, calledAt, outcome));

/** A registered policy on day 10 with its first round open and its wait parked on `token`. */
export async function policyInFirstRound(policyId: string, token = 'token-round1'): Promise<FakeDependencies> {
  const deps = fakeDependencies(CLOCK_START);
  await registerPolicy(deps, registrationInput(policyId), UPSTREAM);
  deps.clock.set(new Date(CLOCK_START.getTime() + 10 * DAY));
  await openCallbackRound(deps, policyId, 1, token);
  return deps;
}
