import { finishCognitoSignIn } from './cognito.js';

/** Who is signed in: locally `/?as=<role>:<subject>`, on AWS a Cognito ID token. */
export const ROLES = ['callcentre', 'agent', 'branch', 'compliance', 'manager', 'auditor'] as const;
export type Role = (typeof ROLES)[number] | 'admin' | 'upstream';

export interface ConsoleConfig {
  /** local: `Bearer local:<role>:<subject>`; cognito: the hosted UI's ID token. */
  readonly mode: 'local' | 'cognito';
  /** Where the API is; '' = same origin (local). */
  readonly apiBase: string;
  readonly cognito?: { readonly domain: string; readonly clientId: string };
}

export interface Identity {
  readonly role: Role;
  readonly subject?: string;
  /** The Authorization header value sent with every API call. */
  readonly authorization: string;
}

const KEY = 'console.identity';
const AS = /^([a-z]+)(?::([A-Za-z0-9_-]{1,64}))?$/;

export function localIdentity(as: string): Identity | undefined {
  const match = AS.exec(as);
  if (!match?.[1]) return undefined;
  const [, role, subject] = match;
  return { role: role as Role, ...(subject ? { subject } : {}), authorization: `Bearer local:${role}${subject ? `:${subject}` : ''}` };
}

/** The identity an ID token names (for display and the header; the API checks the token itself). */
export function tokenIdentity(token: string): Identity | undefined {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const groups = Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as string[]) : [];
    const subject = typeof payload['custom:subject'] === 'string' ? payload['custom:subject'] : undefined;
    const role = groups.find((group) => (ROLES as readonly string[]).includes(group)) ?? groups[0];
    // Display only: the API checks the token itself.
    return role ? { role: role as Role, ...(subject ? { subject } : {}), authorization: `Bearer ${token}` } : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a sign-in from the address (then removes it from the address bar), else the stored one. */
export async function resolveIdentity(config: ConsoleConfig, location: Location): Promise<Identity | undefined> {
  const params = new URLSearchParams(location.search);
  const as = params.get('as');
  const code = params.get('code');
  let signedIn: Identity | undefined;
  if (config.mode === 'local' && as) signedIn = localIdentity(as);
  if (config.mode === 'cognito' && code) {
    const idToken = await finishCognitoSignIn(config, code);
    if (idToken) signedIn = tokenIdentity(idToken);
  }
  if (as || code) {
    params.delete('as');
    params.delete('code');
    params.delete('state');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
  }
  if (signedIn) {
    store(signedIn);
    return signedIn;
  }
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Identity | null;
    return stored ?? undefined;
  } catch {
    return undefined;
  }
}

export function store(identity: Identity | undefined): void {
  if (identity) localStorage.setItem(KEY, JSON.stringify(identity));
  else localStorage.removeItem(KEY);
}
