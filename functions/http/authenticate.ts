import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, isRole, type Role } from '../use-cases/caller.js';
import { UnauthorizedError } from '../use-cases/errors.js';
import type { CredentialSource } from '../use-cases/staff/resolve-caller.js';

/** `local:<role>[+<role>…][:<subject>]`: several roles stand for a person in several Cognito groups. */
const LOCAL_BEARER = /^Bearer local:([a-z]+(?:\+[a-z]+)*)(?::([A-Za-z0-9_-]{1,64}))?$/;

export interface Authenticated {
  readonly caller: Caller;
  readonly source: CredentialSource;
}

/**
 * The role a request acts in, the same rule for Cognito groups and local roles: one role acts
 * without asking; several need `X-Acting-Role`, and the header must name one of them.
 */
function actingRole(roles: readonly Role[], event: APIGatewayProxyEvent): Role {
  const asked = event.headers?.['X-Acting-Role'] ?? event.headers?.['x-acting-role'];
  const role = asked === undefined ? (roles.length === 1 ? roles[0] : undefined) : roles.find((r) => r === asked);
  if (role === undefined) {
    throw new UnauthorizedError(roles.length === 0 ? 'the sign-in is in no role group' : `choose the acting role with X-Acting-Role (one of ${roles.join(', ')})`);
  }
  return role;
}

/** Local mode only: `Authorization: Bearer local:<role>[+<role>…][:<subject>]` (docs/api.md, Authentication and roles). */
function fromLocalBearer(event: APIGatewayProxyEvent): Caller {
  const header = event.headers?.Authorization ?? event.headers?.authorization;
  if (!header) throw new UnauthorizedError('missing Authorization header (local mode: "Bearer local:<role>[:<subject>]")');
  const match = LOCAL_BEARER.exec(header.trim());
  const roles = match?.[1]?.split('+') ?? [];
  if (!match || roles.length === 0 || !roles.every(isRole) || new Set(roles).size !== roles.length) {
    throw new UnauthorizedError('unrecognised credential; expected "Bearer local:<role>[+<role>…][:<subject>]" with known roles');
  }
  const role = actingRole(roles, event);
  return match[2] ? { role, subject: match[2] } : { role };
}

/**
 * AWS: API Gateway has verified the SigV4 signature (AWS_IAM). The caller assumed one of the
 * per-role IAM roles `<prefix><role>`; the session name is the subject (agent or staff id).
 */
function fromIamIdentity(event: APIGatewayProxyEvent): Caller {
  const arn = event.requestContext?.identity?.userArn ?? '';
  const prefix = process.env.IAM_ROLE_PREFIX ?? '';
  const match = /:assumed-role\/([^/]+)\/([^/]+)$/.exec(arn);
  if (!match?.[1] || !match[2] || !match[1].startsWith(prefix)) throw new UnauthorizedError('the caller is not one of the service roles');
  const role = match[1].slice(prefix.length).replace(/^-/, '');
  if (!isRole(role)) throw new UnauthorizedError(`unknown service role ${match[1]}`);
  return { role, subject: match[2] };
}

/** `cognito:groups` as API Gateway hands it over: "a,b", "[a b]" or an array. */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

/**
 * AWS, people: the console API's Cognito authorizer has verified the ID token. Its groups are
 * roles, `custom:subject` is the person's directory subject. One who holds several roles says
 * which one acts with `X-Acting-Role` (it must be one of the groups).
 */
function fromCognitoClaims(claims: Record<string, unknown>, event: APIGatewayProxyEvent): Caller {
  const subject = claims['custom:subject'];
  if (typeof subject !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(subject)) throw new UnauthorizedError('the sign-in carries no subject (custom:subject)');
  return { role: actingRole(groupsOf(claims['cognito:groups']).filter(isRole), event), subject };
}

export function authenticateRequest(event: APIGatewayProxyEvent): Authenticated {
  if (process.env.AUTH_MODE === 'local') return { caller: fromLocalBearer(event), source: 'local' };
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  if (claims) return { caller: fromCognitoClaims(claims, event), source: 'cognito' };
  return { caller: fromIamIdentity(event), source: 'iam' };
}

export function authenticate(event: APIGatewayProxyEvent): Caller {
  return authenticateRequest(event).caller;
}
