import type { ConsoleConfig } from './session.js';

/**
 * Cognito hosted UI sign-in with the authorization-code flow and PKCE (no client secret in a
 * browser, no token in the address bar): the verifier waits in sessionStorage for the return.
 */
const VERIFIER = 'console.pkce';

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636 S256: base64url(sha256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

const redirectUri = () => `${location.origin}/`;

export async function startCognitoSignIn(config: ConsoleConfig): Promise<void> {
  if (!config.cognito) return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  sessionStorage.setItem(VERIFIER, verifier);
  const params = new URLSearchParams({
    response_type: 'code', client_id: config.cognito.clientId, redirect_uri: redirectUri(), scope: 'openid email profile',
    code_challenge_method: 'S256', code_challenge: await pkceChallenge(verifier),
  });
  location.assign(`https://${config.cognito.domain}/oauth2/authorize?${params}`);
}

/** Back from the hosted UI with `?code=`: trades it for the ID token. */
export async function finishCognitoSignIn(config: ConsoleConfig, code: string): Promise<string | undefined> {
  const verifier = sessionStorage.getItem(VERIFIER);
  sessionStorage.removeItem(VERIFIER);
  if (!config.cognito || !verifier) return undefined;
  const response = await fetch(`https://${config.cognito.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.cognito.clientId, code, redirect_uri: redirectUri(), code_verifier: verifier }),
  });
  if (!response.ok) return undefined;
  return ((await response.json()) as { id_token?: string }).id_token;
}
