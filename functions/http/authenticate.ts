import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, isRole } from '../use-cases/caller.js';
import { UnauthorizedError } from '../use-cases/errors.js';

const LOCAL_BEARER = /^Bearer local:([a-z]+)(?::([A-Za-z0-9_-]{1,64}))?$/;

/** Local mode only: `Authorization: Bearer local:<role>[:<subject>]` (docs/api.md, Authentication and roles). */
function fromLocalBearer(event: APIGatewayProxyEvent): Caller {
  const header = event.headers?.Authorization ?? event.headers?.authorization;
  if (!header) throw new UnauthorizedError('missing Authorization header (local mode: "Bearer local:<role>[:<subject>]")');
  const match = LOCAL_BEARER.exec(header.trim());
  if (!match || !match[1] || !isRole(match[1])) throw new UnauthorizedError('unrecognised credential; expected "Bearer local:<role>[:<subject>]" with a known role');
  return match[2] ? { role: match[1], subject: match[2] } : { role: match[1] };
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

export function authenticate(event: APIGatewayProxyEvent): Caller {
  return process.env.AUTH_MODE === 'local' ? fromLocalBearer(event) : fromIamIdentity(event);
}
