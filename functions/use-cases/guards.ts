import type { PolicyState } from '../lifecycle/policy-state.js';
import type { Caller } from './caller.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import { branchScopeOf, OUT_OF_BRANCH_SCOPE } from './scope.js';

/** Who may be held to some policies only: an agent (its own), staff held to a branch (that branch's). */
type Restricted = { readonly role: string; readonly subject?: string; readonly branchId?: string };

/**
 * What a restricted caller is told of a policy outside its reach. A policy that does not exist
 * gets the same answer, word for word: authorization comes before existence, so neither the
 * policy's existence nor its owner or branch leaks. Undefined for callers who see every policy.
 */
function refusal(caller: Restricted, policyId: string): ForbiddenError | undefined {
  if (caller.role === 'agent') return new ForbiddenError(`agent ${caller.subject ?? '(none)'} acts only on its own policies, and ${policyId} is not one of them`);
  const scope = branchScopeOf(caller);
  if (scope !== undefined) return new ForbiddenError(`${caller.role} ${caller.subject ?? ''} is held to branch ${scope}, and ${policyId} is not one of its policies`.replace(/ {2}/g, ' '), OUT_OF_BRANCH_SCOPE);
  return undefined;
}

/** A missing policy: 404 for callers who see every policy, else the same refusal as for one outside their reach. */
export function policyNotFound(policyId: string, caller: Restricted): Error {
  return refusal(caller, policyId) ?? new NotFoundError(`policy ${policyId} not found`);
}

/**
 * An agent acts and reads only on its own policies; a caller held to a branch only on that
 * branch's (docs/api.md, Authentication and roles; Staff and scope).
 */
export function assertMayOwn(owner: { readonly agentId: string; readonly branchId: string }, policyId: string, caller: Restricted): void {
  const scope = branchScopeOf(caller);
  const outside = (caller.role === 'agent' && caller.subject !== owner.agentId) || (scope !== undefined && scope !== owner.branchId);
  if (outside) throw refusal(caller, policyId) ?? new ForbiddenError(`policy ${policyId} is out of reach`);
}

export function assertMayActOn(state: PolicyState, caller: Caller): void {
  assertMayOwn({ agentId: state.policy.agent.agentId, branchId: state.policy.branchId }, state.policy.policyId, caller);
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
