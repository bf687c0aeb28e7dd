import { claimsPerson, localCredential, localPerson, type ConsoleConfig, type Person } from './session.js';

/** How the console signs people in: locally without a password, on AWS with Cognito (oidc.ts). */
export interface Auth {
  /** The person signed in (after finishing a sign-in the address carries), or none: show the sign-in page. */
  person(): Promise<Person | undefined>;
  /** The Authorization header value for the next API call. */
  credential(): Promise<string | undefined>;
  /** After a 401: a fresh credential without leaving the page (Cognito's refresh token); false if none. */
  renew(): Promise<boolean>;
  /** Leaves to sign in (the hosted UI), coming back to `returnTo`. */
  signIn(returnTo: string): Promise<void>;
  /** After a 401 that renewing did not cure: the same, unless it just happened (no loop). */
  signInAgain(returnTo: string): Promise<void>;
  signOut(): Promise<void>;
}

const KEY = 'console.identity';

/**
 * Local mode: `/?as=<role>[+<role>…][:<subject>]` or the sign-in form. What is kept in
 * localStorage is that text (no secret: the local server trusts it, AWS never accepts it).
 */
export function localAuth(onSignedOut: () => void): Auth {
  const read = (): Person | undefined => localPerson(localStorage.getItem(KEY) ?? '');
  return {
    async person() {
      const params = new URLSearchParams(location.search);
      // In a query string `+` reads as a space: `?as=branch+compliance:S1` means both roles.
      const as = params.get('as')?.replace(/ /g, '+') ?? null;
      if (as !== null) {
        if (localPerson(as)) localStorage.setItem(KEY, as);
        params.delete('as');
        const query = params.toString();
        history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
      }
      return read();
    },
    async credential() {
      const person = read();
      return person ? localCredential(person) : undefined;
    },
    async renew() { return false; },
    async signIn() { onSignedOut(); },
    async signInAgain() { localStorage.removeItem(KEY); onSignedOut(); },
    async signOut() { localStorage.removeItem(KEY); onSignedOut(); },
  };
}

/** Local sign-in form: remembers the person and draws again. */
export function signInLocally(as: string): boolean {
  if (!localPerson(as)) return false;
  localStorage.setItem(KEY, as);
  return true;
}

export async function authFor(config: ConsoleConfig, onSignedOut: () => void): Promise<Auth> {
  if (config.mode === 'cognito' && config.cognito) return (await import('./oidc.js')).cognitoAuth(config.cognito, claimsPerson);
  return localAuth(onSignedOut);
}
