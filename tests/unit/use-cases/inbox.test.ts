import { describe, expect, it } from 'vitest';
import { planAppend } from '../../../functions/lifecycle/event-append.js';
import { decideSpecialRequest } from '../../../functions/use-cases/callbacks/decide-special-request.js';
import { fileSpecialRequest } from '../../../functions/use-cases/callbacks/file-special-request.js';
import { claimInboxItem, releaseInboxItem } from '../../../functions/use-cases/inbox/claim-inbox-item.js';
import { listInbox } from '../../../functions/use-cases/inbox/list-inbox.js';
import { sweepSpecialRequests } from '../../../functions/use-cases/inbox/special-request-mails.js';
import { registerPolicy } from '../../../functions/use-cases/policies/register-policy.js';
import { openCallbackRound } from '../../../functions/use-cases/workflow/workflow-steps.js';
import { ConflictError, ForbiddenError } from '../../../functions/use-cases/errors.js';
import { fakeDependencies, type FakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { AGENT_ID, CLOCK_START } from '../../support/policies.js';
import { registrationInput, UPSTREAM } from './use-case-fixtures.js';

const HOUR = 3_600_000;
const AGENT = { role: 'agent', subject: AGENT_ID } as const;
const BRANCH = { role: 'branch', subject: 'B7' } as const;
const REASON = '客户张三在国外，电话 13812345678';
const later = (deps: FakeDependencies, hours: number) => deps.clock.set(new Date(deps.clock.now().getTime() + hours * HOUR));
const exempt = { type: 'EXEMPT' as const, reason: REASON, signedConfirmationRef: 'DOC-77' };

async function withRequest(branchId = 'BR-SH', type: 'EARLY' | 'EXEMPT' = 'EXEMPT', policyId = 'P-IN-1') {
  const deps = fakeDependencies(CLOCK_START);
  await registerPolicy(deps, registrationInput(policyId, { branchId }), UPSTREAM);
  const { requestId } = await fileSpecialRequest(deps, policyId, type === 'EXEMPT' ? exempt : { type, reason: REASON }, AGENT);
  return { deps, requestId, policyId };
}

const page = (deps: FakeDependencies, caller: Parameters<typeof listInbox>[1], query: Partial<Parameters<typeof listInbox>[2]> = {}) =>
  listInbox(deps, caller, { limit: 100, ...query });
const reminderEvents = async (deps: FakeDependencies, policyId: string) =>
  (await deps.repository.load(policyId))!.events.filter((e) => e.data.type === 'SpecialRequestEscalated').length;

describe('a special request in the branch inbox', () => {
  it('appears with its SLA, mails the branch once (a replayed filing too), and carries no reason text', async () => {
    const { deps, requestId } = await withRequest();
    await fileSpecialRequest(deps, 'P-IN-1', exempt, AGENT);
    const { items } = await page(deps, BRANCH);
    expect(items).toEqual([expect.objectContaining({ kind: 'SPECIAL_REQUEST', itemId: requestId, type: 'EXEMPT', filedBy: AGENT_ID, dueSoon: false, overdue: false })]);
    expect(items[0]!.dueAt).toBe(new Date(CLOCK_START.getTime() + 48 * HOUR).toISOString());
    expect(deps.notifier.sent.map((m) => m.template)).toEqual(['special-request-filed']);
    expect(JSON.stringify([items, deps.notifier.sent])).not.toMatch(/国外|张三|13812345678|DOC-77/);
  });

  it('keeps branch-scoped staff to their own branch', async () => {
    const { deps, requestId } = await withRequest('BR-SH');
    const beijing = { role: 'branch', subject: 'B9', branchId: 'BR-BJ' } as const;
    expect((await page(deps, beijing)).items).toEqual([]);
    await expect(page(deps, beijing, { branchId: 'BR-SH' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(claimInboxItem(deps, beijing, 'SPECIAL_REQUEST', requestId)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await page(deps, { ...beijing, branchId: 'BR-SH' })).items).toHaveLength(1);
  });

  it('leaves the inbox when it can no longer matter: an early callback once the first callback started', async () => {
    const { deps, requestId, policyId } = await withRequest('BR-SH', 'EARLY');
    deps.clock.set(new Date(CLOCK_START.getTime() + 240 * HOUR));
    await openCallbackRound(deps, policyId, 1, 'tok-1');
    expect((await page(deps, BRANCH)).items).toEqual([]);
    await expect(claimInboxItem(deps, BRANCH, 'SPECIAL_REQUEST', requestId)).rejects.toMatchObject({ code: 'ITEM_CLOSED' });
  });

  it('is claimed by one person; releasing takes the claimer or a manager', async () => {
    const { deps, requestId } = await withRequest();
    expect(await claimInboxItem(deps, BRANCH, 'SPECIAL_REQUEST', requestId)).toMatchObject({ claimedBy: 'B7' });
    const taken = await claimInboxItem(deps, { role: 'branch', subject: 'B8' }, 'SPECIAL_REQUEST', requestId).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictError);
    expect(taken).toMatchObject({ code: 'ALREADY_CLAIMED', details: [{ claimedBy: 'B7' }] });
    expect((await page(deps, { role: 'auditor' })).items[0]).toMatchObject({ claimedBy: 'B7' });
    await expect(releaseInboxItem(deps, { role: 'branch', subject: 'B8' }, 'SPECIAL_REQUEST', requestId)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await releaseInboxItem(deps, { role: 'manager' }, 'SPECIAL_REQUEST', requestId)).toMatchObject({ released: true, claimedBy: 'B7' });
    await expect(claimInboxItem(deps, { role: 'branch' }, 'SPECIAL_REQUEST', requestId)).rejects.toMatchObject({ details: [{ field: 'subject' }] });
  });
});

describe('the special-request sweep', () => {
  it('reminds once per reminder due, past escalateAfterDays then daily, and not after the decision', async () => {
    const { deps, requestId, policyId } = await withRequest();
    later(deps, 71);
    expect(await sweepSpecialRequests(deps)).toMatchObject({ reminded: 0, nextReminderAt: new Date(CLOCK_START.getTime() + 72 * HOUR).toISOString() });
    later(deps, 1);
    expect(await sweepSpecialRequests(deps)).toMatchObject({ reminded: 1, nextReminderAt: new Date(CLOCK_START.getTime() + 96 * HOUR).toISOString() });
    await sweepSpecialRequests(deps);
    expect(await reminderEvents(deps, policyId)).toBe(1);
    expect(deps.notifier.sent.map((m) => m.template)).toEqual(['special-request-filed', 'special-request-overdue']);
    expect(deps.notifier.sent[1]!.data.reminderNumber).toBe('1');

    later(deps, 24);
    await sweepSpecialRequests(deps);
    expect(await reminderEvents(deps, policyId)).toBe(2);
    expect((await page(deps, BRANCH)).items[0]).toMatchObject({ escalations: 2, overdue: true });

    await decideSpecialRequest(deps, requestId, { approve: false }, BRANCH);
    later(deps, 48);
    expect(await sweepSpecialRequests(deps)).toEqual({ open: 0, reminded: 0 });
    expect(deps.notifier.sent).toHaveLength(3);
  });

  it('sends a notice whose send failed at filing (the request stays filed)', async () => {
    const deps = fakeDependencies(CLOCK_START);
    await registerPolicy(deps, registrationInput('P-IN-2'), UPSTREAM);
    deps.notifier.failures.push(new Error('SES is down'));
    const { requestId } = await fileSpecialRequest(deps, 'P-IN-2', exempt, AGENT);
    expect(deps.notifier.sent).toEqual([]);
    await sweepSpecialRequests(deps);
    await sweepSpecialRequests(deps);
    expect(deps.notifier.sent.map((m) => [m.template, m.data.requestId])).toEqual([['special-request-filed', requestId]]);
  });

  it('re-derives an entry left behind its log by a crash before the entry write', async () => {
    const { deps, requestId, policyId } = await withRequest();
    // The decision's event is stored, its projection (view and entry) is not: as if the process died in between.
    const loaded = (await deps.repository.load(policyId))!;
    const plan = planAppend(policyId, loaded.state, { at: deps.clock.now().toISOString(), actor: BRANCH, data: { type: 'SpecialRequestDecided', requestId, approve: false } });
    await deps.repository.appendEvent(plan.event);
    expect((await deps.repository.listOpenRequests(10)).map((e) => e.requestId)).toEqual([requestId]);
    expect((await page(deps, BRANCH)).items).toEqual([]);
    await sweepSpecialRequests(deps);
    expect(await deps.repository.listOpenRequests(10)).toEqual([]);
  });
});
