/** Who is signed in: locally `/?as=<role>[+<role>…]:<subject>`, on AWS a Cognito ID token. */
export const ROLES = ['callcentre', 'agent', 'branch', 'compliance', 'manager', 'auditor'] as const;
const OTHER_ROLES = ['admin', 'upstream'] as const;
export type Role = (typeof ROLES)[number] | (typeof OTHER_ROLES)[number];

export interface ConsoleConfig {
  /** local: `Bearer local:<roles>:<subject>`; cognito: the hosted UI's ID token. */
  readonly mode: 'local' | 'cognito';
  /** Where the API is; '' = same origin. */
  readonly apiBase: string;
  /** Written by the deployment (infra/constructs/console-deployment.ts). */
  readonly cognito?: {
    readonly domain: string;
    readonly clientId: string;
    readonly region: string;
    readonly userPoolId: string;
    /** The app client's callback and sign-out URL, character for character. */
    readonly redirectUri: string;
    /** The scopes the app client allows. */
    readonly scope: string;
  };
}

/** A signed-in person: every role they hold (groups) and their subject. */
export interface Person {
  readonly roles: readonly Role[];
  readonly subject?: string;
}

/** The person acting in one of their roles: what pages read. */
export interface Identity extends Person {
  readonly role: Role;
}

const KNOWN: readonly string[] = [...ROLES, ...OTHER_ROLES];
const isRole = (value: string): value is Role => KNOWN.includes(value);
const AS = /^([a-z]+(?:\+[a-z]+)*)(?::([A-Za-z0-9_-]{1,64}))?$/;

/** `<role>[+<role>…][:<subject>]` (local mode), the same text the API reads after `Bearer local:`. */
export function localPerson(as: string): Person | undefined {
  const match = AS.exec(as);
  const roles = match?.[1]?.split('+') ?? [];
  if (!match || roles.length === 0 || !roles.every(isRole) || new Set(roles).size !== roles.length) return undefined;
  return { roles, ...(match[2] ? { subject: match[2] } : {}) };
}

export function localCredential(person: Person): string {
  return `Bearer local:${person.roles.join('+')}${person.subject ? `:${person.subject}` : ''}`;
}

/** The person an ID token's claims name (for display and the acting role; the API checks the token itself). */
export function claimsPerson(claims: Record<string, unknown>): Person | undefined {
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'].map(String) : [];
  const subject = claims['custom:subject'];
  const roles = groups.filter(isRole);
  return roles.length ? { roles, ...(typeof subject === 'string' ? { subject } : {}) } : undefined;
}
