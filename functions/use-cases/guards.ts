import type { PolicyState } from '../lifecycle/policy-state.js';
import type { Caller } from './caller.js';
import { ConflictError, ForbiddenError, ValidationError } from './errors.js';
import { assertBranchInScope } from './scope.js';

/**
 * An agent acts and reads only on its own policies; a caller held to a branch only on that
 * branch's (docs/api.md, Authentication and roles; Staff and scope).
 */
export function assertMayActOn(state: PolicyState, caller: Caller): void {
  if (caller.role === 'agent' && caller.subject !== state.policy.agent.agentId) {
    throw new ForbiddenError(`agent ${caller.subject ?? '(none)'} may not act on policy ${state.policy.policyId} of another agent`);
  }
  assertBranchInScope(caller, state.policy.branchId, `policy ${state.policy.policyId}`);
}

export function assertNotCancelled(state: PolicyState): void {
  if (state.cancelled) throw new ConflictError('POLICY_CANCELLED', `policy ${state.policy.policyId} was cancelled on ${state.cancelled.cancelledAt}`);
}

/** Facts are reported after they happen; a report from the future is a client error. */
export function assertNotInFuture(field: string, at: string, now: Date): void {
  if (new Date(at).getTime() > now.getTime() + 60_000) {
    throw new ValidationError(`${field} is in the future`, [{ field, rule: 'not_in_future', message: `must not be later than now (${now.toISOString()})` }]);
  }
}

/** Same id, different body: the caller replayed an id for a different request. */
export function replayConflict(what: string): ConflictError {
  return new ConflictError('IDEMPOTENCY_CONFLICT', `${what} was already recorded with a different body`);
}
