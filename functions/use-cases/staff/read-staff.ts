import { verifyStaffChain } from '../../audit/staff-chain.js';
import { recordAccess } from '../audit/access-log.js';
import type { Caller, Role } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { NotFoundError } from '../errors.js';
import { assertBranchInScope, branchFilterFor } from '../scope.js';
import { shownStaffFields, staffEntryView } from './staff-views.js';

/** `GET /v1/staff/{subjectId}` (a manager held to a branch reads that branch's staff only). */
export async function getStaff(deps: Dependencies, subjectId: string, caller: Caller) {
  const entry = await deps.staff.get(subjectId);
  if (!entry) throw new NotFoundError(`staff ${subjectId} not found`);
  if (caller.branchId !== undefined) assertBranchInScope(caller, entry.branchId ?? '(head office)', `staff ${subjectId}`);
  return staffEntryView(entry, caller);
}

/** `GET /v1/staff?branchId&role&limit&cursor`: entries in subject order; the cursor is the last subject served. */
export async function listStaff(deps: Dependencies, caller: Caller, query: { readonly branchId?: string; readonly role?: Role; readonly limit: number; readonly cursor?: string }) {
  const branchId = branchFilterFor(caller, query.branchId, 'the staff');
  const page = await deps.staff.list({ ...(branchId !== undefined ? { branchId } : {}), ...(query.role ? { role: query.role } : {}) }, query.limit, query.cursor);
  return { staff: page.entries.map((e) => staffEntryView(e, caller)), ...(page.next !== undefined ? { nextCursor: page.next } : {}) };
}

/**
 * `GET /v1/staff/{subjectId}/history`: every change of the subject (who, when, before, after)
 * with the chain's verdict; the read is recorded in the access log first.
 */
export async function getStaffHistory(deps: Dependencies, subjectId: string, caller: Caller) {
  await recordAccess(deps, caller, 'staff-history', { filters: { subjectId } });
  const changes = await deps.staff.history(subjectId);
  if (changes.length === 0) throw new NotFoundError(`staff ${subjectId} not found`);
  return {
    subjectId,
    changes: changes.map((c) => ({
      seq: c.seq, at: c.at, actor: c.actor, before: c.before === null ? null : shownStaffFields(c.before, caller), after: shownStaffFields(c.after, caller), prevHash: c.prevHash, hash: c.hash,
    })),
    verification: verifyStaffChain(changes),
  };
}
