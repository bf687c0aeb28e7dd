import { describe, expect, it } from 'vitest';
import { verifyStaffChain } from '../../../functions/audit/staff-chain.js';
import { staffSchema } from '../../../functions/use-cases/inputs.js';
import { putStaff } from '../../../functions/use-cases/staff/put-staff.js';
import { fakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { CLOCK_START } from '../../support/policies.js';

const ADMIN = { role: 'admin', subject: 'ADM1' } as const;
const body = (roles: string[], branchId?: string) => staffSchema.parse({ name: '李娜', email: 'li@insurer.example', roles, ...(branchId ? { branchId } : {}) });

describe('the staff change log', () => {
  it('chains each change to the one before; the same body again appends nothing', async () => {
    const deps = fakeDependencies(CLOCK_START);
    expect((await putStaff(deps, 'S1', body(['branch'], 'BR-SH'), ADMIN)).created).toBe(true);
    expect((await putStaff(deps, 'S1', body(['branch'], 'BR-SH'), ADMIN)).created).toBe(false);
    await putStaff(deps, 'S1', body(['manager']), ADMIN);
    const log = await deps.staff.history('S1');
    expect(log.map((c) => c.seq)).toEqual([1, 2]);
    expect(log[1]?.before).toEqual(log[0]?.after);
    expect(log[1]?.prevHash).toBe(log[0]?.hash);
    expect(verifyStaffChain(log)).toEqual({ valid: true, changes: 2 });
    expect((await deps.staff.get('S1'))?.roles).toEqual(['manager']);
  });

  it('names the first altered or missing change', async () => {
    const deps = fakeDependencies(CLOCK_START);
    for (const roles of [['agent'], ['agent', 'compliance'], ['compliance']]) await putStaff(deps, 'S1', body(roles), ADMIN);
    const log = await deps.staff.history('S1');
    const altered = log.map((c) => (c.seq === 2 ? { ...c, after: { ...c.after, roles: ['admin' as const] } } : c));
    expect(verifyStaffChain(altered)).toMatchObject({ valid: false, firstBrokenAt: 2 });
    expect(verifyStaffChain([log[0]!, log[2]!])).toMatchObject({ valid: false, firstBrokenAt: 2 });
  });

  it('heals an entry a crash left behind its log when the same body is sent again', async () => {
    const deps = fakeDependencies(CLOCK_START);
    await putStaff(deps, 'S1', body(['agent']), ADMIN);
    const project = deps.staff.project.bind(deps.staff);
    deps.staff.project = async () => { throw new Error('crash before the projection'); };
    await expect(putStaff(deps, 'S1', body(['compliance']), ADMIN)).rejects.toThrow('crash');
    deps.staff.project = project;
    expect((await deps.staff.get('S1'))?.roles).toEqual(['agent']);
    const again = await putStaff(deps, 'S1', body(['compliance']), ADMIN);
    expect(again).toMatchObject({ created: false, entry: { roles: ['compliance'], version: 2 } });
    expect((await deps.staff.get('S1'))?.version).toBe(2);
  });
});
