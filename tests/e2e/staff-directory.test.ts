import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../functions/use-cases/caller.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

/** docs/api.md, Staff and scope: the directory's endpoints, who may write and read them, and the change log auditors verify. */
type Entry = { subjectId: string; name: string; email: string; roles: string[]; branchId?: string; version: number; updatedAt: string };
type History = {
  subjectId: string;
  changes: { seq: number; actor: { role: string; subject?: string }; before: Omit<Entry, 'subjectId' | 'version' | 'updatedAt'> | null; after: Omit<Entry, 'subjectId' | 'version' | 'updatedAt'>; prevHash: string; hash: string }[];
  verification: { valid: boolean; changes: number };
};

let t: TestSystem;
const LI = { name: '李娜', email: 'li.na@insurer.example', roles: ['branch'], branchId: 'BR-SH' };

beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('PUT /v1/staff/{subjectId}', () => {
  it('creates (201), answers the same body again unchanged (200), records a change (200)', async () => {
    const created = await t.api.put<Entry>('admin:ADM1', '/v1/staff/S-LI', LI);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({ subjectId: 'S-LI', ...LI, version: 1, updatedAt: CLOCK_START.toISOString() });
    const again = await t.api.put<Entry>('admin:ADM1', '/v1/staff/S-LI', LI);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    await t.api.advance('PT1H');
    const moved = await t.api.put<Entry>('admin:ADM2', '/v1/staff/S-LI', { ...LI, roles: ['branch', 'manager'], branchId: 'BR-BJ' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 2, roles: ['branch', 'manager'], branchId: 'BR-BJ' });
    expect((await t.api.get<Entry>('admin', '/v1/staff/S-LI')).body).toEqual(moved.body);
  });

  it.each(ROLES.filter((r) => r !== 'admin'))('is refused to %s (403)', async (role) => {
    expectError(await t.api.put(role, '/v1/staff/S-X', LI), 403, 'FORBIDDEN');
  });

  it('names the field of a bad body', async () => {
    const response = expectError(await t.api.put('admin', '/v1/staff/S-X', { ...LI, roles: ['branch', 'branch'] }), 400, 'VALIDATION_FAILED');
    expect(response.error.details.map((d) => d.field)).toEqual(['roles']);
    expect(expectError(await t.api.put('admin', '/v1/staff/S-X', { ...LI, roles: ['branch'], branchId: undefined }), 400).error.details.map((d) => d.field)).toEqual(['branchId']);
  });
});

describe('GET /v1/staff and /v1/staff/{subjectId}', () => {
  beforeAll(async () => {
    for (const [id, roles, branchId] of [['S-A1', ['agent'], 'BR-SH'], ['S-C1', ['compliance'], undefined], ['S-M1', ['manager'], 'BR-SH'], ['S-M2', ['manager'], undefined]] as const) {
      expect((await t.api.put('admin', `/v1/staff/${id}`, { name: `员工${id}`, email: `${id}@insurer.example`, roles, ...(branchId ? { branchId } : {}) })).status).toBe(201);
    }
  });

  it('404 for an unknown subject', async () => {
    expectError(await t.api.get('admin', '/v1/staff/NOBODY'), 404, 'NOT_FOUND');
  });

  it('filters by branch and role, and pages with a cursor', async () => {
    const ids = async (query: string) => (await t.api.get<{ staff: Entry[]; nextCursor?: string }>('auditor', `/v1/staff${query}`)).body;
    expect((await ids('?branchId=BR-SH')).staff.map((s) => s.subjectId)).toEqual(['S-A1', 'S-M1']);
    expect((await ids('?role=manager')).staff.map((s) => s.subjectId)).toEqual(['S-LI', 'S-M1', 'S-M2']);
    const first = await ids('?limit=2');
    expect(first.staff.map((s) => s.subjectId)).toEqual(['S-A1', 'S-C1']);
    expect(first.nextCursor).toBe('S-C1');
    const rest = await ids(`?limit=10&cursor=${first.nextCursor}`);
    expect(rest.staff.map((s) => s.subjectId)).toEqual(['S-LI', 'S-M1', 'S-M2']);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('shows names and e-mails to admin and auditor, masks them for a manager, and holds a branch manager to its branch', async () => {
    expect((await t.api.get<Entry>('auditor', '/v1/staff/S-A1')).body).toMatchObject({ name: '员工S-A1', email: 'S-A1@insurer.example' });
    const masked = (await t.api.get<Entry>('manager', '/v1/staff/S-A1')).body;
    expect(masked.email).toBe('***');
    expect(masked.name).not.toContain('S-A1');
    const own = await t.api.get<{ staff: Entry[] }>('manager:S-M1', '/v1/staff');
    expect(own.body.staff.map((s) => s.subjectId)).toEqual(['S-A1', 'S-M1']);
    expectError(await t.api.get('manager:S-M1', '/v1/staff/S-LI'), 403, 'OUT_OF_BRANCH_SCOPE');
    expectError(await t.api.get('manager:S-M1', '/v1/staff?branchId=BR-BJ'), 403, 'OUT_OF_BRANCH_SCOPE');
    for (const role of ['agent', 'branch', 'callcentre', 'compliance', 'upstream']) expectError(await t.api.get(role, '/v1/staff'), 403, 'FORBIDDEN');
  });
});

describe('GET /v1/staff/{subjectId}/history: the audit trail of the directory', () => {
  it('lists who changed what and when, before and after, hash-linked and verified; the read is logged', async () => {
    const history = await t.api.get<History>('auditor:AU1', '/v1/staff/S-LI/history');
    expect(history.status, history.text).toBe(200);
    const [first, second] = history.body.changes;
    expect(history.body.changes).toHaveLength(2);
    expect(first).toMatchObject({ seq: 1, actor: { role: 'admin', subject: 'ADM1' }, before: null, after: LI, prevHash: '0'.repeat(64) });
    expect(second).toMatchObject({ seq: 2, actor: { role: 'admin', subject: 'ADM2' }, before: LI, after: { roles: ['branch', 'manager'], branchId: 'BR-BJ' }, prevHash: first?.hash });
    expect(history.body.verification).toEqual({ valid: true, changes: 2 });
    const log = await t.api.get<{ records: { subject?: string; action: string; filters?: Record<string, string> }[] }>('auditor', '/v1/audit/access-log?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z');
    expect(log.body.records).toContainEqual(expect.objectContaining({ subject: 'AU1', action: 'staff-history', filters: { subjectId: 'S-LI' } }));
    expectError(await t.api.get('manager', '/v1/staff/S-LI/history'), 403, 'FORBIDDEN');
    expectError(await t.api.get('auditor', '/v1/staff/NOBODY/history'), 404, 'NOT_FOUND');
  });
});
