import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { SpecialRequestDecisionInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertDeciderIsNotFiler } from '../duties.js';
import { assertMayActOn, assertNotCancelled } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/**
 * The branch coordinator approves or rejects a special request.
 * An approved early callback ends the wait for day 10; an approved exemption satisfies the
 * callback condition (marked exempt, never pass). Deciding the same way twice is a replay.
 */
export async function decideSpecialRequest(deps: Dependencies, requestId: string, input: SpecialRequestDecisionInput, caller: Caller): Promise<PolicyView> {
  const policyId = await deps.repository.findRequestPolicy(requestId);
  if (!policyId) throw new NotFoundError(`special request ${requestId} not found`);
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    const request = state.specialRequests.find((r) => r.requestId === requestId);
    if (!request) throw new NotFoundError(`special request ${requestId} not found`);
    // Decided by a coordinator of the policy's branch who did not file it.
    assertMayActOn(state, caller);
    assertDeciderIsNotFiler(request, caller);
    if (request.status !== 'PENDING') {
      if ((request.status === 'APPROVED') === input.approve) return { result: (s) => policyView(s, caller) };
      throw new ConflictError('ALREADY_DECIDED', `special request ${requestId} was already ${request.status.toLowerCase()}`);
    }
    assertNotCancelled(state);
    // What the approval ends (the wait for day 10, or whichever callback wait is parked) the lifecycle core derives from the fact.
    if (input.approve && request.type === 'EXEMPT' && state.callbackOutcome) {
      throw new ConflictError('CALLBACK_ALREADY_RESOLVED', `the callback of policy ${policyId} is already resolved`);
    }
    return {
      event: { type: 'SpecialRequestDecided', requestId, approve: input.approve, ...(input.note ? { note: input.note } : {}) },
      result: (s) => policyView(s, caller),
    };
  });
}
