/** The roles of docs/api.md; each is a separate permission (segregation of duties, docs/rules.md §7). */
export const ROLES = ['upstream', 'callcentre', 'agent', 'branch', 'compliance', 'manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a role and, for agents and staff, a subject id. */
export interface Caller {
  readonly role: Role;
  readonly subject?: string;
  readonly branchId?: string;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
