import { GENESIS_HASH, canonicalJson } from '../../lifecycle/event-hash.js';
import { hashStaffChange } from '../../audit/staff-chain.js';
import { ConcurrentStaffChangeError, type StaffChange, type StaffEntry, type StaffFields } from '../../ports/staff-directory.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import type { StaffInput } from '../inputs.js';
import { staffEntryView } from './staff-views.js';

const MAX_ATTEMPTS = 5;

const fieldsOf = (input: StaffInput): StaffFields => ({
  name: input.name, email: input.email, roles: [...input.roles], ...(input.branchId !== undefined ? { branchId: input.branchId } : {}),
});

const entryAfter = (change: StaffChange): StaffEntry => ({ subjectId: change.subjectId, ...change.after, version: change.seq, updatedAt: change.at });

/**
 * `PUT /v1/staff/{subjectId}`: records the change in the subject's hash-chained log (who,
 * when, before, after), then projects the entry. The same body again changes nothing (200)
 * and heals an entry a crash left behind its log; concurrent writers resolve by the log's
 * conditional append.
 */
export async function putStaff(deps: Dependencies, subjectId: string, input: StaffInput, caller: Caller) {
  const after = fieldsOf(input);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const last = await deps.staff.lastChange(subjectId);
    if (last && canonicalJson(last.after) === canonicalJson(after)) {
      const entry = entryAfter(last);
      await deps.staff.project(entry);
      return { created: false, entry: staffEntryView(entry, caller) };
    }
    const base = {
      subjectId,
      seq: (last?.seq ?? 0) + 1,
      at: deps.clock.now().toISOString(),
      actor: { role: caller.role, ...(caller.subject !== undefined ? { subject: caller.subject } : {}) },
      before: last?.after ?? null,
      after,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const change: StaffChange = { ...base, prevHash, hash: hashStaffChange(prevHash, base) };
    try {
      await deps.staff.appendChange(change);
    } catch (error) {
      if (error instanceof ConcurrentStaffChangeError) continue;
      throw error;
    }
    const entry = entryAfter(change);
    await deps.staff.project(entry);
    return { created: last === undefined, entry: staffEntryView(entry, caller) };
  }
  throw new ConflictError('CONTENTION', `staff ${subjectId} is being changed concurrently; retry`);
}
