import type { ClaimableInboxKind, InboxKind } from '../../domain/inbox-sla.js';
import type { Caller, Role } from '../caller.js';
import { ForbiddenError, ValidationError } from '../errors.js';

/** The kinds each role works (and may claim); managers and auditors see every staff kind, read-only. */
const WORKS: Partial<Record<Role, readonly ClaimableInboxKind[]>> = {
  branch: ['SPECIAL_REQUEST', 'MANUAL_VISIT'],
  compliance: ['REVIEW'],
  callcentre: ['CALLBACK_ROUND'],
};
const ALL: readonly InboxKind[] = ['SPECIAL_REQUEST', 'MANUAL_VISIT', 'REVIEW', 'CALLBACK_ROUND'];
/** An agent's own tasks: its policies only, never claimed (nobody else works them). */
const AGENT: readonly InboxKind[] = ['CONTACT_WINDOW', 'RECEIPT_MISSING', 'SPECIAL_REQUEST'];

/** The inbox roles: those who work items, those who oversee them, and agents for their own policies. */
export const INBOX_READERS: readonly Role[] = ['branch', 'compliance', 'callcentre', 'manager', 'auditor', 'agent'];

export function kindsVisibleTo(caller: Caller): readonly InboxKind[] {
  if (caller.role === 'agent') return AGENT;
  return caller.role === 'manager' || caller.role === 'auditor' ? ALL : (WORKS[caller.role] ?? []);
}

export function worksKind(caller: Caller, kind: ClaimableInboxKind): boolean {
  return (WORKS[caller.role] ?? []).includes(kind);
}

/** The branch a caller's inbox read covers: its own when it has one (another is refused), else the one asked for, else all. */
export function branchInScope(caller: Caller, asked: string | undefined): string | undefined {
  if (caller.branchId !== undefined && asked !== undefined && asked !== caller.branchId) {
    throw new ForbiddenError(`staff of branch ${caller.branchId} may not read the inbox of branch ${asked}`);
  }
  return caller.branchId ?? asked;
}

/** Items of another branch are out of reach of branch-scoped staff. */
export function assertItemInScope(caller: Caller, branchId: string, what: string): void {
  if (caller.branchId !== undefined && caller.branchId !== branchId) {
    throw new ForbiddenError(`staff of branch ${caller.branchId} may not act on ${what} of branch ${branchId}`);
  }
}

/** A claim names a person, an agent's inbox its agent: the credential must carry a subject. */
export function subjectOf(caller: Caller, purpose = 'to claim or release an inbox item'): string {
  if (caller.subject === undefined) {
    throw new ValidationError(`subject is required ${purpose}`, [
      { field: 'subject', rule: 'required', message: 'the credential must name a person (locally: Bearer local:<role>:<subject>)' },
    ]);
  }
  return caller.subject;
}
