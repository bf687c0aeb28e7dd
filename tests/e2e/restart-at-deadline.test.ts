import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildSystems, startChildSystem } from '../support/child-system.js';
import type { LocalApi } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';

/**
 * kill -9 at the very instant T at which 40 first callbacks fall due, while their deadlines
 * fire; restart; the advance to T re-sent. With no further advance, every view, the dialling
 * queue and an immediate burst of failed calls must come out as in the uninterrupted run: a
 * wait that fell due at T fires at T (not at the next advance), so each contact window opens
 * at its call and closes ten days later.
 */
const POLICIES = Array.from({ length: 40 }, (_, i) => `D-${String(i + 1).padStart(2, '0')}`);
const DAY = 86_400_000;
const T = new Date(CLOCK_START.getTime() + 10 * DAY);
const systems = new ChildSystems(CLOCK_START);
afterAll(() => systems.cleanup());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function register(api: LocalApi): Promise<void> {
  const printedAt = await api.now();
  const answers = await Promise.all(POLICIES.map((id) => api.post('upstream', '/v1/policies', registration(id, printedAt))));
  for (const answer of answers) expect(answer.status, answer.text).toBe(201);
}

const HOUR = 3_600_000;
const CALLS_AT = new Date(T.getTime() + 1.5 * HOUR); // 10:30 in Shanghai, the morning's calls
const SECOND_ROUND_AT = new Date(T.getTime() + 10 * DAY + 2 * HOUR); // 11:00, ten days later

const views = async (api: LocalApi) => Object.fromEntries(await Promise.all(POLICIES.map(async (id) => {
  const view = await api.get('auditor', `/v1/policies/${id}`);
  expect(view.status, view.text).toBe(200);
  return [id, view.body] as const;
})));

const dueList = async (api: LocalApi) => {
  const due = await api.get('callcentre', '/v1/callbacks/due?limit=1000');
  expect(due.status, due.text).toBe(200);
  return due.body;
};

const burst = async (api: LocalApi, round: 1 | 2, at: Date) => (await Promise.all(POLICIES.map((id) => api.post('callcentre', `/v1/policies/${id}/callback-attempts`, {
  attemptId: `${id}-r${round}`, round, calledAt: at.toISOString(), operatorId: 'OP1', reached: round === 2, ...(round === 1 ? { reason: 'WRONG_NUMBER' } : {}),
})))).map((r) => [r.status, r.body]);

/** What a user sees once the advance to T is done: the views and the dialling queue; then the rest of the story. */
async function observe(api: LocalApi) {
  const atT = { due: await dueList(api), views: await views(api), burstAtT: await burst(api, 1, T) };
  await api.advanceTo(CALLS_AT);
  const morning = { due: await dueList(api), views: await views(api) };
  await api.advanceTo(SECOND_ROUND_AT);
  const secondRound = { due: await dueList(api), burst: await burst(api, 2, SECOND_ROUND_AT), views: await views(api) };
  return { atT, morning, secondRound };
}

describe('a restart at the instant deadlines fall due', () => {
  it('fires what fell due at that instant, at that instant: views, due lists and bursts as uninterrupted', async () => {
    const reference = await systems.boot(await systems.dataDir('qc-deadline-ref-'));
    await register(reference.api);
    await reference.api.advanceTo(T);
    const expected = await observe(reference.api);
    await reference.child.stop();
    const window = (expected.atT.views['D-01'] as { callback: { contactWindow?: { openedAt: string; closesAt: string } } }).callback.contactWindow;
    expect(window).toBeUndefined();
    const later = (expected.secondRound.views['D-01'] as { callback: { status: string } }).callback;
    expect(later.status).toBe('PASSED');

    // The kill lands at several points of the advance to T: as it starts, while T's deadlines fire.
    for (const delayMs of [100, 300, 600]) {
      const dir = await systems.dataDir('qc-deadline-crash-');
      let current = await systems.boot(dir);
      await register(current.api);
      let done = false;
      const inFlight = current.api.advanceTo(T).then(() => { done = true; }, () => undefined);
      await sleep(delayMs);
      await current.child.kill9();
      await inFlight;
      current = await systems.boot(dir);
      await current.api.advanceTo(T);
      expect(await observe(current.api), `killed ${delayMs} ms into the advance (${done ? 'after' : 'before'} it was answered)`).toEqual(expected);
      await current.child.stop();
    }
  }, 300_000);

  it('resumes no earlier than the newest recorded event, and refuses data without its clock file', async () => {
    const dir = await systems.dataDir('qc-clock-file-');
    const first = await systems.boot(dir);
    await register(first.api);
    await first.api.advanceTo(T);
    await first.child.stop();
    // A clock file put back from an older backup: the clock opens at the newest event (the rounds opened at T).
    await writeFile(join(dir, 'clock.json'), JSON.stringify({ now: CLOCK_START.toISOString(), phase: 'idle' }));
    const lagging = await systems.boot(dir);
    expect(await lagging.api.now()).toEqual(T);
    await lagging.child.stop();
    await rm(join(dir, 'clock.json'));
    await expect(startChildSystem(dir, CLOCK_START)).rejects.toThrow(/holds data but no clock\.json/);
  }, 120_000);
});
