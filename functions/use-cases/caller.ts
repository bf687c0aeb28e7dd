/** The roles of docs/api.md; each is a separate permission (segregation of duties, docs/rules.md §7). */
export const ROLES = ['upstream', 'callcentre', 'agent', 'branch', 'compliance', 'manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a role and, for agents and staff, a subject id. */
export interface Caller {
  readonly role: Role;
  readonly subject?: string;
  /**
   * Set when the subject's staff directory entry names a branch (branch staff, a branch's
   * manager): the caller is held to that branch (functions/use-cases/staff/scope.ts).
   */
  readonly branchId?: string;
  /** True when the subject was found in the staff directory (its roles were checked against it). */
  readonly inDirectory?: boolean;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
