import { maskName } from '../../domain/masking.js';
import type { StaffEntry, StaffFields } from '../../ports/staff-directory.js';
import type { Caller } from '../caller.js';

/**
 * A person's name and e-mail are personal data: administrators (who keep them) and auditors
 * (who trace responsibility to a person) see them; a manager reading its staff sees the name
 * masked like a customer's and no address.
 */
export function seesStaffPersonalData(caller: Caller): boolean {
  return caller.role === 'admin' || caller.role === 'auditor';
}

const MASKED_EMAIL = '***';

export function shownStaffFields<T extends StaffFields>(fields: T, caller: Caller): T {
  return seesStaffPersonalData(caller) ? fields : { ...fields, name: maskName(fields.name), email: MASKED_EMAIL };
}

/** The entry as the API answers it. */
export function staffEntryView(entry: StaffEntry, caller: Caller) {
  const { subjectId, name, email, roles, branchId, version, updatedAt } = shownStaffFields(entry, caller);
  return { subjectId, name, email, roles: [...roles], ...(branchId !== undefined ? { branchId } : {}), version, updatedAt };
}
