import { afterAll, describe, expect, it } from 'vitest';
import { ChildSystems } from '../support/child-system.js';
import type { LocalApi } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';

/**
 * kill -9 in the middle of long clock advances (timers firing: rounds timing out, contact
 * windows opening and closing, second rounds, manual visits, the March settlement), the
 * advance re-sent after each restart: the clock resumes at the instant whose timers were
 * firing (never behind what they recorded), time never runs backwards in any log, every wait
 * closes at its own deadline, and every view ends as in the uninterrupted run.
 */
const WINDOWS = Array.from({ length: 12 }, (_, i) => `T-window-${i + 1}`);
const POLICIES = ['T-silent-1', 'T-silent-2', ...WINDOWS, 'T-pass'];
const systems = new ChildSystems(CLOCK_START);
afterAll(() => systems.cleanup());

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (days: number) => new Date(CLOCK_START.getTime() + days * DAY);
/** The long advance, in legs; each leg crosses a day on which many timers fall due. */
const LEGS = [at(21), at(31), at(45)] as const;

async function setUp(api: LocalApi): Promise<void> {
  for (const id of POLICIES) expect((await api.post('upstream', '/v1/policies', registration(id, await api.now()))).status).toBe(201);
  await api.advanceTo(at(10));
  for (const id of WINDOWS) {
    const body = { attemptId: `${id}-a1`, round: 1, calledAt: at(10).toISOString(), operatorId: 'OP1', reached: false, reason: 'WRONG_NUMBER' };
    expect((await api.post('callcentre', `/v1/policies/${id}/callback-attempts`, body)).status).toBe(200);
  }
  const passed = { attemptId: 'T-pass-a1', round: 1, calledAt: at(10).toISOString(), operatorId: 'OP1', reached: true };
  expect((await api.post('callcentre', '/v1/policies/T-pass/callback-attempts', passed)).status).toBe(200);
}

type Entry = { kind: string; seq?: number; at: string; type: string };

async function observe(api: LocalApi) {
  const views: Record<string, unknown> = {};
  for (const id of POLICIES) {
    const view = await api.get('auditor', `/v1/policies/${id}`);
    expect(view.status, view.text).toBe(200);
    views[id] = view.body;
    const history = await api.get<{ timeline: Entry[] }>('auditor:AU1', `/v1/policies/${id}/history`);
    expect(history.status, history.text).toBe(200);
    const events = history.body.timeline.filter((e) => e.kind === 'event');
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.at >= events[i - 1]!.at, `${id}: ${events[i]!.type} at ${events[i]!.at} after ${events[i - 1]!.type} at ${events[i - 1]!.at}`).toBe(true);
    }
    const verify = await api.get<{ valid: boolean; reason?: string }>('auditor:AU1', `/v1/policies/${id}/history/verify`);
    expect(verify.body.valid, `${id}: ${verify.body.reason}`).toBe(true);
  }
  return views;
}

describe('time across restarts in the middle of a clock advance', () => {
  it('never runs backwards, closes every wait at its deadline and ends as the uninterrupted run', async () => {
    const reference = await systems.boot(await systems.dataDir('qc-time-ref-'));
    await setUp(reference.api);
    for (const leg of LEGS) await reference.api.advanceTo(leg);
    const expected = await observe(reference.api);
    await reference.child.stop();
    // What the issue saw go wrong: a second round opened 10 days after its contact window closed, at that instant.
    const window = expected['T-window-1'] as { callback: { rounds: { round: number; notBefore: string; deadline: string }[] } };
    const second = window.callback.rounds.find((r) => r.round === 2);
    expect(second?.notBefore).toBe(at(20).toISOString());

    const dir = await systems.dataDir('qc-time-crash-');
    let current = await systems.boot(dir);
    await setUp(current.api);
    // Each leg killed while the timers of an instant inside it fire (a different point of their work each time), restarted, and re-sent.
    let from = at(10);
    for (const [i, leg] of LEGS.entries()) {
      let done = false;
      const inFlight = current.api.advanceTo(leg).then(() => { done = true; }, () => undefined);
      for (let now = from; !done && !(now > from && now < leg); await sleep(2)) now = (await current.api.now().catch(() => undefined)) ?? now;
      await sleep(15 * i);
      await current.child.kill9();
      await inFlight;
      expect(done, `leg ${i + 1} finished before the kill`).toBe(false);
      current = await systems.boot(dir);
      const resumedAt = await current.api.now();
      expect(resumedAt > from && resumedAt < leg, `resumed at ${resumedAt.toISOString()}`).toBe(true);
      await current.api.advanceTo(leg);
      from = leg;
    }
    expect(await observe(current.api)).toEqual(expected);
    await current.child.stop();
  }, 240_000);
});
