import type { Caller, Role } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ForbiddenError } from '../errors.js';

/** Roles held to the branch of their directory entry; every other role sees all branches (scope.ts). */
/** How the caller proved who it is (functions/http/authenticate.ts). */
export type CredentialSource = 'local' | 'iam' | 'cognito';

const BRANCH_HELD: ReadonlySet<Role> = new Set(['branch', 'manager']);

export const ROLE_NOT_ASSIGNED = 'ROLE_NOT_ASSIGNED';
export const UNKNOWN_SUBJECT = 'UNKNOWN_SUBJECT';

/**
 * Who may act without a directory entry. Local mode: anyone (scripts, the README story).
 * AWS: systems (`upstream`, IAM) are not people; `admin` through IAM is the operators'
 * break-glass and bootstrap path (the first administrators are entered by it; CloudTrail
 * names who assumed the role). Every person signing in through Cognito needs an entry.
 */
function mayActWithoutEntry(role: Role, source: CredentialSource): boolean {
  if (source === 'local') return true;
  return role === 'upstream' || (role === 'admin' && source === 'iam');
}

/**
 * After authentication: the subject's directory entry (one read per request) decides its
 * scope. A credential role the entry does not assign is 403 `ROLE_NOT_ASSIGNED`; an unknown
 * subject is 403 `UNKNOWN_SUBJECT` where an entry is required.
 */
export async function resolveCaller(deps: Pick<Dependencies, 'staff'>, caller: Caller, source: CredentialSource): Promise<Caller> {
  if (caller.role === 'upstream') return caller;
  const entry = caller.subject === undefined ? undefined : await deps.staff.get(caller.subject);
  if (!entry) {
    if (mayActWithoutEntry(caller.role, source)) return caller;
    throw new ForbiddenError(`subject ${caller.subject ?? '(none)'} is not in the staff directory`, UNKNOWN_SUBJECT);
  }
  if (!entry.roles.includes(caller.role)) {
    throw new ForbiddenError(`subject ${entry.subjectId} is not assigned the role ${caller.role} (assigned: ${entry.roles.join(', ')})`, ROLE_NOT_ASSIGNED);
  }
  const branchId = BRANCH_HELD.has(caller.role) ? entry.branchId : undefined;
  return { ...caller, inDirectory: true, ...(branchId !== undefined ? { branchId } : {}) };
}
