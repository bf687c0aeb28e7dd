import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateRequest } from '../../../functions/http/authenticate.js';
import type { Caller } from '../../../functions/use-cases/caller.js';
import { ForbiddenError, UnauthorizedError } from '../../../functions/use-cases/errors.js';
import { type CredentialSource, resolveCaller } from '../../../functions/use-cases/staff/resolve-caller.js';
import { InMemoryStaffDirectory } from '../../support/fakes/in-memory-staff-directory.js';

const directory = new InMemoryStaffDirectory();
const entry = (subjectId: string, roles: Caller['role'][], branchId?: string) =>
  directory.project({ subjectId, name: 'n', email: 'e@x.example', roles, ...(branchId ? { branchId } : {}), version: 1, updatedAt: '2026-03-02T01:00:00.000Z' });

async function resolved(caller: Caller, source: CredentialSource): Promise<Caller | string> {
  try {
    return await resolveCaller({ staff: directory }, caller, source);
  } catch (error) {
    if (error instanceof ForbiddenError) return error.code;
    throw error;
  }
}

describe('caller resolution against the staff directory', () => {
  beforeEach(async () => {
    await entry('B1', ['branch'], 'BR-SH');
    await entry('M1', ['manager', 'auditor'], 'BR-SH');
    await entry('C1', ['compliance'], 'BR-SH');
  });

  it('gives a found subject its branch scope, only for the roles held to a branch, with one read', async () => {
    const before = directory.gets;
    expect(await resolved({ role: 'branch', subject: 'B1' }, 'cognito')).toEqual({ role: 'branch', subject: 'B1', branchId: 'BR-SH', inDirectory: true });
    expect(directory.gets - before).toBe(1);
    expect(await resolved({ role: 'manager', subject: 'M1' }, 'local')).toMatchObject({ branchId: 'BR-SH' });
    // The same person as auditor, and compliance with a home branch, see every branch.
    expect(await resolved({ role: 'auditor', subject: 'M1' }, 'local')).toEqual({ role: 'auditor', subject: 'M1', inDirectory: true });
    expect(await resolved({ role: 'compliance', subject: 'C1' }, 'iam')).toEqual({ role: 'compliance', subject: 'C1', inDirectory: true });
  });

  it('refuses a role the entry does not assign (ROLE_NOT_ASSIGNED), in every mode', async () => {
    for (const source of ['local', 'iam', 'cognito'] as const) expect(await resolved({ role: 'compliance', subject: 'B1' }, source)).toBe('ROLE_NOT_ASSIGNED');
  });

  it('local mode: an unknown subject or none keeps role-only behaviour', async () => {
    expect(await resolved({ role: 'branch', subject: 'NOBODY' }, 'local')).toEqual({ role: 'branch', subject: 'NOBODY' });
    expect(await resolved({ role: 'manager' }, 'local')).toEqual({ role: 'manager' });
  });

  it('AWS: an unknown person is refused (UNKNOWN_SUBJECT); systems and the IAM admin are not people', async () => {
    expect(await resolved({ role: 'branch', subject: 'NOBODY' }, 'cognito')).toBe('UNKNOWN_SUBJECT');
    expect(await resolved({ role: 'agent', subject: 'A9' }, 'iam')).toBe('UNKNOWN_SUBJECT');
    expect(await resolved({ role: 'admin', subject: 'ops' }, 'cognito')).toBe('UNKNOWN_SUBJECT');
    expect(await resolved({ role: 'admin', subject: 'ops' }, 'iam')).toEqual({ role: 'admin', subject: 'ops' });
    expect(await resolved({ role: 'upstream', subject: 'core-system' }, 'iam')).toEqual({ role: 'upstream', subject: 'core-system' });
  });
});

describe('authentication on AWS: Cognito claims for people, IAM for systems', () => {
  const saved = process.env.AUTH_MODE;
  beforeEach(() => { delete process.env.AUTH_MODE; });
  afterEach(() => { if (saved === undefined) delete process.env.AUTH_MODE; else process.env.AUTH_MODE = saved; });
  const cognito = (claims: Record<string, unknown>, headers: Record<string, string> = {}) =>
    ({ headers, requestContext: { authorizer: { claims } } }) as unknown as APIGatewayProxyEvent;

  it('reads the role from cognito:groups and the subject from custom:subject', () => {
    expect(authenticateRequest(cognito({ 'cognito:groups': 'branch', 'custom:subject': 'B1' }))).toEqual({ caller: { role: 'branch', subject: 'B1' }, source: 'cognito' });
    expect(authenticateRequest(cognito({ 'cognito:groups': ['auditor'], 'custom:subject': 'AU1' })).caller).toEqual({ role: 'auditor', subject: 'AU1' });
  });

  it('one in several groups chooses with X-Acting-Role, among its groups only', () => {
    const claims = { 'cognito:groups': '[manager auditor]', 'custom:subject': 'M1' };
    expect(authenticateRequest(cognito(claims, { 'X-Acting-Role': 'auditor' })).caller).toEqual({ role: 'auditor', subject: 'M1' });
    expect(() => authenticateRequest(cognito(claims))).toThrow(UnauthorizedError);
    expect(() => authenticateRequest(cognito(claims, { 'x-acting-role': 'admin' }))).toThrow(UnauthorizedError);
  });

  it('refuses a sign-in without a subject or without a role group', () => {
    expect(() => authenticateRequest(cognito({ 'cognito:groups': 'branch' }))).toThrow(/custom:subject/);
    expect(() => authenticateRequest(cognito({ 'custom:subject': 'B1' }))).toThrow(/no role group/);
    expect(() => authenticateRequest(cognito({ 'cognito:groups': 'root', 'custom:subject': 'B1' }))).toThrow(UnauthorizedError);
  });

  it('keeps the IAM path for callers without Cognito claims', () => {
    process.env.IAM_ROLE_PREFIX = 'qc';
    const event = { headers: {}, requestContext: { identity: { userArn: 'arn:aws:sts::1:assumed-role/qc-upstream/core' } } } as unknown as APIGatewayProxyEvent;
    expect(authenticateRequest(event)).toEqual({ caller: { role: 'upstream', subject: 'core' }, source: 'iam' });
  });
});

describe('local authentication: one role, or several like a person in several Cognito groups', () => {
  const saved = process.env.AUTH_MODE;
  beforeEach(() => { process.env.AUTH_MODE = 'local'; });
  afterEach(() => { if (saved === undefined) delete process.env.AUTH_MODE; else process.env.AUTH_MODE = saved; });
  const local = (authorization: string, headers: Record<string, string> = {}) => ({ headers: { authorization, ...headers } }) as unknown as APIGatewayProxyEvent;

  it('keeps `local:<role>[:<subject>]` as it was', () => {
    expect(authenticateRequest(local('Bearer local:agent:A1001'))).toEqual({ caller: { role: 'agent', subject: 'A1001' }, source: 'local' });
    expect(authenticateRequest(local('Bearer local:upstream')).caller).toEqual({ role: 'upstream' });
  });

  it('`local:<role>+<role>:<subject>` acts as the role X-Acting-Role names, one of them, as on AWS', () => {
    expect(authenticateRequest(local('Bearer local:branch+compliance:S1', { 'x-acting-role': 'compliance' })).caller).toEqual({ role: 'compliance', subject: 'S1' });
    expect(authenticateRequest(local('Bearer local:branch+compliance:S1', { 'X-Acting-Role': 'branch' })).caller).toEqual({ role: 'branch', subject: 'S1' });
    expect(() => authenticateRequest(local('Bearer local:branch+compliance:S1'))).toThrow(/X-Acting-Role/);
    expect(() => authenticateRequest(local('Bearer local:branch+compliance:S1', { 'x-acting-role': 'auditor' }))).toThrow(UnauthorizedError);
    expect(() => authenticateRequest(local('Bearer local:agent:A1', { 'x-acting-role': 'branch' }))).toThrow(UnauthorizedError);
  });

  it('refuses unknown or repeated roles', () => {
    for (const bad of ['Bearer local:branch+root:S1', 'Bearer local:branch+branch:S1', 'Bearer local:+branch', 'Bearer local:branch+']) {
      expect(() => authenticateRequest(local(bad, { 'x-acting-role': 'branch' })), bad).toThrow(UnauthorizedError);
    }
  });
});
