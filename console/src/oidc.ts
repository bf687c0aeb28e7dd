import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { Auth } from './auth.js';
import type { ConsoleConfig, Person } from './session.js';

type CognitoConfig = NonNullable<ConsoleConfig['cognito']>;

/** Where to come back to after the hosted UI, carried in the OIDC `state` (the library checks it). */
interface ReturnState { readonly returnTo: string }

const SIGNED_IN_AT = 'console.signedInAt';
/** A second 401 this soon after signing in is not an expired token (e.g. no role group): do not loop through the hosted UI. */
const LOOP_GUARD_MS = 30_000;

/**
 * AWS: the Cognito hosted UI with oidc-client-ts: authorization code + PKCE + state; the
 * tokens in sessionStorage (this tab, never localStorage); renewed in the background with
 * the refresh token Cognito issues for the code flow, and a clean sign-in again when that fails.
 * Loaded only in this mode (a chunk of its own, importing nothing of the console's at run
 * time, so the first screen stays one script): local mode does not download it.
 */
export function cognitoAuth(cognito: CognitoConfig, personOf: (claims: Record<string, unknown>) => Person | undefined): Auth {
  const manager = new UserManager({
    authority: `https://cognito-idp.${cognito.region}.amazonaws.com/${cognito.userPoolId}`,
    client_id: cognito.clientId,
    redirect_uri: cognito.redirectUri,
    post_logout_redirect_uri: cognito.redirectUri,
    response_type: 'code',
    scope: cognito.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: true,
    // Cognito's discovery names no end_session_endpoint, and it has no session-check iframe.
    monitorSession: false,
  });
  manager.events.addSilentRenewError(() => void manager.removeUser());

  const finishSignIn = async (): Promise<void> => {
    const params = new URLSearchParams(location.search);
    if (!params.has('state') || !(params.has('code') || params.has('error'))) return;
    let returnTo = '/';
    try {
      const user = await manager.signinRedirectCallback();
      returnTo = (user.state as ReturnState | undefined)?.returnTo ?? '/';
      sessionStorage.setItem(SIGNED_IN_AT, String(Date.now()));
    } catch { /* refused or replayed: the sign-in page is shown again */ }
    history.replaceState(null, '', returnTo.startsWith('/') ? returnTo : '/');
  };

  /** A renewal with the refresh token only: Cognito's hosted UI is not for an iframe (no prompt=none renewal). */
  const refresh = async (): Promise<User | null> => {
    if (!(await manager.getUser())?.refresh_token) return null;
    try { return await manager.signinSilent(); } catch { await manager.removeUser(); return null; }
  };

  const current = async (): Promise<User | null> => {
    const user = await manager.getUser();
    return !user || !user.expired ? user : refresh();
  };

  const signIn = async (returnTo: string): Promise<void> => {
    const state: ReturnState = { returnTo };
    await manager.signinRedirect({ state });
  };

  return {
    async person() {
      await finishSignIn();
      const user = await current();
      return user ? personOf(user.profile as Record<string, unknown>) : undefined;
    },
    async credential() {
      const user = await current();
      // The API's Cognito authorizer reads the ID token (groups, custom:subject).
      return user?.id_token ? `Bearer ${user.id_token}` : undefined;
    },
    async renew() {
      return Boolean((await refresh())?.id_token);
    },
    signIn,
    async signInAgain(returnTo) {
      if (Date.now() - Number(sessionStorage.getItem(SIGNED_IN_AT) ?? 0) < LOOP_GUARD_MS) return;
      await manager.removeUser();
      await signIn(returnTo);
    },
    async signOut() {
      await manager.removeUser();
      // Cognito's own logout endpoint (not OIDC RP-initiated logout): client_id and logout_uri.
      const params = new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.redirectUri });
      location.assign(`https://${cognito.domain}/logout?${params}`);
    },
  };
}
