import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../functions/ports/notifier.js';
import { planAppend } from '../../../functions/lifecycle/event-append.js';
import { dispatchMail } from '../../../functions/use-cases/notifications/dispatch-mail.js';
import {
  awaitManualVisit, closeContactWindow, closeRoundTimedOut, escalateManualVisit, loadLifecycle, openCallbackRound, openContactWindow,
} from '../../../functions/use-cases/workflow/workflow-steps.js';
import type { FakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { policyInFirstRound } from './use-case-fixtures.js';

const DAY = 86_400_000;
const WORKFLOW = { role: 'workflow' } as const;
const later = (deps: FakeDependencies, days: number) => deps.clock.set(new Date(deps.clock.now().getTime() + days * DAY));
const eventTypes = async (deps: FakeDependencies, id: string) => (await deps.repository.load(id))!.events.map((e) => e.data.type);

/** The first round failed: the next step opens the contact-update window. */
async function firstRoundFailed(id: string): Promise<FakeDependencies> {
  const deps = await policyInFirstRound(id);
  later(deps, 10);
  await closeRoundTimedOut(deps, id, 1);
  return deps;
}

/** Both rounds failed: the next step holds the commission and orders a manual visit. */
async function secondRoundFailed(id: string): Promise<FakeDependencies> {
  const deps = await firstRoundFailed(id);
  await openContactWindow(deps, id, 'tok-window');
  later(deps, 10);
  await closeContactWindow(deps, id);
  await openCallbackRound(deps, id, 2, 'tok-round2');
  later(deps, 10);
  await closeRoundTimedOut(deps, id, 2);
  deps.notifier.sent.length = 0;
  return deps;
}

describe('a mail implied by a recorded fact', () => {
  it('is sent once after a send that failed right after the append: the retried step finds the fact and sends it', async () => {
    const deps = await firstRoundFailed('M-1');
    deps.notifier.failures.push(new Error('SES unavailable'));
    await expect(openContactWindow(deps, 'M-1', 'tok-1')).rejects.toThrow('SES unavailable');
    expect(await eventTypes(deps, 'M-1')).toContain('ContactWindowOpened');
    expect(deps.notifier.sent).toEqual([]);

    await openContactWindow(deps, 'M-1', 'tok-2');
    await openContactWindow(deps, 'M-1', 'tok-3');
    expect(deps.notifier.sent).toHaveLength(1);
    const [mail] = deps.notifier.sent;
    expect(mail!.template).toBe('contact-update-required');
    expect(mail!.id).toMatch(/^M-1#\d+#contact-update-required$/);
    expect((await eventTypes(deps, 'M-1')).filter((t) => t === 'ContactWindowOpened')).toHaveLength(1);
  });

  it('is sent by a resumed execution when the process died between the append and the send', async () => {
    const deps = await firstRoundFailed('M-2');
    // The step's append happened, then the process died: the fact is in the log, no mail out.
    const loaded = (await deps.repository.load('M-2'))!;
    const plan = planAppend('M-2', loaded.state, { at: deps.clock.now().toISOString(), actor: WORKFLOW, data: { type: 'ContactWindowOpened', closesAt: new Date(deps.clock.now().getTime() + 10 * DAY).toISOString() } });
    await deps.repository.appendEvent(plan.event);
    await deps.repository.project(plan.projection);
    expect(deps.notifier.sent).toEqual([]);

    const resumed = await loadLifecycle(deps, 'M-2');
    expect(resumed.callbackStage).toBe('CONTACT_WINDOW');
    await openContactWindow(deps, 'M-2', 'tok-resumed');
    expect(deps.notifier.sent.map((m) => m.template)).toEqual(['contact-update-required']);
    // What it says is what the step would have said: the window's closing time, masked customer data.
    expect(deps.notifier.sent[0]!.data.customerPhone).toMatch(/^\d{3}\*+\d{4}$/);
  });

  it('is not sent twice by a retried step that had succeeded', async () => {
    const deps = await secondRoundFailed('M-3');
    await awaitManualVisit(deps, 'M-3', 'tok-visit');
    await awaitManualVisit(deps, 'M-3', 'tok-visit-retry');
    expect(deps.notifier.sent.map((m) => m.template)).toEqual(['commission-held-manual-visit']);
  });

  it('reminds once per due reminder: a retried escalation appends and sends nothing more', async () => {
    const deps = await secondRoundFailed('M-4');
    await awaitManualVisit(deps, 'M-4', 'tok-visit');
    later(deps, 30);
    const first = await escalateManualVisit(deps, 'M-4');
    const retried = await escalateManualVisit(deps, 'M-4');
    expect(retried).toEqual(first);
    expect((await eventTypes(deps, 'M-4')).filter((t) => t === 'ManualVisitEscalated')).toHaveLength(1);
    later(deps, 1);
    await escalateManualVisit(deps, 'M-4');
    const reminders = deps.notifier.sent.filter((m) => m.template === 'manual-visit-overdue');
    expect(reminders.map((m) => m.data.reminderNumber)).toEqual(['1', '2']);
    expect(new Set(reminders.map((m) => m.id)).size).toBe(2);
  });

  it('sends a reminder whose send failed when the escalation step is retried', async () => {
    const deps = await secondRoundFailed('M-5');
    await awaitManualVisit(deps, 'M-5', 'tok-visit');
    later(deps, 30);
    deps.notifier.failures.push(new Error('throttled'));
    await expect(escalateManualVisit(deps, 'M-5')).rejects.toThrow('throttled');
    await escalateManualVisit(deps, 'M-5');
    expect(deps.notifier.sent.filter((m) => m.template === 'manual-visit-overdue').map((m) => m.data.reminderNumber)).toEqual(['1']);
    expect((await eventTypes(deps, 'M-5')).filter((t) => t === 'ManualVisitEscalated')).toHaveLength(1);
  });
});

const mail = (id: string): Notification => ({ id, to: ['someone@insurer.example'], template: 'settlement-branch-summary', data: {} });
const FAST = { leaseMs: 50, pollMs: 5 };

describe('dispatchMail: claim, send, mark sent', () => {
  it('sends each id once, and again never', async () => {
    const deps = await policyInFirstRound('D-1');
    expect(await dispatchMail(deps, mail('x'), FAST)).toBe(true);
    expect(await dispatchMail(deps, mail('x'), FAST)).toBe(false);
    expect(deps.notifier.sent.map((m) => m.id)).toEqual(['x']);
    expect(deps.mail.entries.get('x')?.status).toBe('SENT');
  });

  it('sends once when two dispatchers race for the same mail', async () => {
    const deps = await policyInFirstRound('D-2');
    const results = await Promise.all([dispatchMail(deps, mail('y'), FAST), dispatchMail(deps, mail('y'), FAST), dispatchMail(deps, mail('y'), FAST)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(deps.notifier.sent).toHaveLength(1);
  });

  it('takes over a claim left by a sender that died before marking it, once its lease ran out', async () => {
    const deps = await policyInFirstRound('D-3');
    deps.mail.entries.set('z', { status: 'CLAIMED', token: 'dead-sender', leaseUntil: Date.now() + 30 });
    expect(await dispatchMail(deps, mail('z'), FAST)).toBe(true);
    expect(deps.notifier.sent.map((m) => m.id)).toEqual(['z']);
  });

  it('waits for a live sender and sends nothing once that one marks the mail sent', async () => {
    const deps = await policyInFirstRound('D-4');
    deps.mail.entries.set('w', { status: 'CLAIMED', token: 'live-sender', leaseUntil: Date.now() + 10_000 });
    setTimeout(() => void deps.mail.markSent('w', new Date().toISOString()), 20);
    expect(await dispatchMail(deps, mail('w'), { leaseMs: 10_000, pollMs: 5 })).toBe(false);
    expect(deps.notifier.sent).toEqual([]);
  });

  it('gives the claim back when the send fails, so the retry sends at once', async () => {
    const deps = await policyInFirstRound('D-5');
    deps.notifier.failures.push(new Error('SES unavailable'));
    await expect(dispatchMail(deps, mail('v'), { leaseMs: 60_000, pollMs: 5 })).rejects.toThrow('SES unavailable');
    expect(deps.mail.entries.has('v')).toBe(false);
    expect(await dispatchMail(deps, mail('v'), { leaseMs: 60_000, pollMs: 5 })).toBe(true);
  });

  it('sends nothing and records nothing when there is nobody to send to', async () => {
    const deps = await policyInFirstRound('D-6');
    expect(await dispatchMail(deps, { ...mail('u'), to: [] }, FAST)).toBe(false);
    expect(deps.mail.entries.size).toBe(0);
  });
});
