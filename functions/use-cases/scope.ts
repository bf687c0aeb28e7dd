import type { Caller } from './caller.js';
import { ForbiddenError } from './errors.js';

/**
 * Branch scope (docs/api.md, Staff and scope): the one place that says who is held to a branch.
 * `caller.branchId` is set by caller resolution (staff/resolve-caller.ts) only for roles held to
 * a branch — branch staff and a branch's manager — so every check here reads just that field.
 * Head office (a manager without a branch), compliance, auditors and the call centre see all
 * branches; agents stay on their own policies (guards.ts).
 */
export function branchScopeOf(caller: Pick<Caller, 'branchId'>): string | undefined {
  return caller.branchId;
}

export const OUT_OF_BRANCH_SCOPE = 'OUT_OF_BRANCH_SCOPE';

/** 403 `OUT_OF_BRANCH_SCOPE` when the caller is held to a branch other than `branchId`. */
export function assertBranchInScope(caller: Caller, branchId: string, what: string): void {
  const scope = branchScopeOf(caller);
  if (scope !== undefined && scope !== branchId) {
    throw new ForbiddenError(`${caller.role} ${caller.subject ?? ''} of branch ${scope} may not touch ${what} of branch ${branchId}`.replace(/ {2}/g, ' '), OUT_OF_BRANCH_SCOPE);
  }
}

/**
 * The branch a list or report is read for: the caller's own branch when held to one (asking
 * for another is 403), else what was asked (undefined: every branch).
 */
export function branchFilterFor(caller: Caller, requested: string | undefined, what: string): string | undefined {
  const scope = branchScopeOf(caller);
  if (scope === undefined) return requested;
  if (requested !== undefined) assertBranchInScope(caller, requested, what);
  return scope;
}

/** Whole-company operations (running a settlement) are head office's, never one branch's. */
export function assertNotHeldToBranch(caller: Caller, what: string): void {
  const scope = branchScopeOf(caller);
  if (scope !== undefined) throw new ForbiddenError(`${what} is for head office; ${caller.role} ${caller.subject ?? ''} is held to branch ${scope}`, OUT_OF_BRANCH_SCOPE);
}
