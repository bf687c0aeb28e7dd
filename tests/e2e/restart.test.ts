import { afterAll, describe, expect, it } from 'vitest';
import { ChildSystems } from '../support/child-system.js';
import type { LocalApi } from '../support/local-api.js';
import { CLOCK_START, registration } from '../support/policies.js';

const POLICIES = ['R-pass', 'R-window', 'R-round', 'R-waiting', 'R-visit'] as const;
const systems = new ChildSystems(CLOCK_START);
const boot = (dataDir: string) => systems.boot(dataDir);

afterAll(() => systems.cleanup());

const attempt = async (api: LocalApi, policyId: string, id: string, round: number, outcome: object) => {
  const response = await api.post('callcentre', `/v1/policies/${policyId}/callback-attempts`, { attemptId: id, round, calledAt: (await api.now()).toISOString(), operatorId: 'OP1', ...outcome });
  expect(response.status, response.text).toBe(200);
};

/** Part one: five lifecycles brought to different stages. */
async function firstHalf(api: LocalApi): Promise<void> {
  for (const id of POLICIES.filter((p) => p !== 'R-waiting')) {
    expect((await api.post('upstream', '/v1/policies', registration(id, await api.now()))).status).toBe(201);
  }
  await api.advance('P10D');
  expect((await api.post('upstream', '/v1/policies', registration('R-waiting', await api.now()))).status).toBe(201);
  await attempt(api, 'R-pass', 'a1', 1, { reached: true });
  await attempt(api, 'R-window', 'a2', 1, { reached: false, reason: 'WRONG_NUMBER' });
  await attempt(api, 'R-visit', 'a3', 1, { reached: false, reason: 'EMPTY_NUMBER' });
  await api.advance('P10DT1H');
  await attempt(api, 'R-visit', 'a4', 2, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
}

const DAY = 86_400_000;
const at = (days: number) => new Date(CLOCK_START.getTime() + days * DAY + 3_600_000);

/** Part two, on absolute instants (a crashed run resumes from wherever its clock stood). */
async function secondHalf(api: LocalApi): Promise<void> {
  await api.advanceTo(at(23));
  await attempt(api, 'R-window', 'a5', 2, { reached: true });
  await api.advanceTo(at(35));
  expect((await api.post('upstream', '/v1/policies/R-pass/receipt', { returnedAt: (await api.now()).toISOString() })).status).toBe(200);
  const visit = await api.post('branch', '/v1/policies/R-visit/manual-visit', { visitedAt: (await api.now()).toISOString(), success: true, phoneWrongOrOutOfUse: true, visitorId: 'V1' });
  expect(visit.status, visit.text).toBe(200);
  await api.advanceTo(at(75));
}

/** The mails as a sorted list of what each says (when one went out may differ after a crash). */
async function mails(api: LocalApi) {
  return (await api.emails()).map((m) => JSON.stringify([m.to, m.subject, m.text])).sort();
}

async function views(api: LocalApi) {
  const result: Record<string, unknown> = {};
  for (const id of POLICIES) {
    const response = await api.get('auditor', `/v1/policies/${id}`);
    expect(response.status).toBe(200);
    result[id] = response.body;
  }
  return result;
}

describe('no lifecycle lost on restart', () => {
  it('continues every open lifecycle after kill -9 and ends exactly as an uninterrupted run, mail included', async () => {
    const referenceDir = await systems.dataDir('qc-reference-');
    const crashDir = await systems.dataDir('qc-crash-');

    const reference = await boot(referenceDir);
    await firstHalf(reference.api);
    await secondHalf(reference.api);
    const expected = await views(reference.api);
    const expectedMails = await mails(reference.api);
    expect(expectedMails.length).toBeGreaterThan(5);
    await reference.child.stop();

    const first = await boot(crashDir);
    await firstHalf(first.api);
    const mailedBeforeKill = await first.api.emails();
    expect(mailedBeforeKill.length).toBeGreaterThan(0);
    // A clock advance in flight when the process dies: timers half fired.
    const inFlight = first.api.advanceTo(at(23)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await first.child.kill9();
    await inFlight;

    const second = await boot(crashDir);
    expect(second.child.output()).toMatch(/resumed:\s+5 open lifecycle/);
    // The mail sent before the kill is still listed, as it was, in the same order.
    expect((await second.api.emails()).slice(0, mailedBeforeKill.length)).toEqual(mailedBeforeKill);
    await secondHalf(second.api);
    const actual = await views(second.api);
    expect(actual).toEqual(expected);
    // Every mail of the uninterrupted run, each once: none lost by the kill, none doubled by the resume.
    expect(await mails(second.api)).toEqual(expectedMails);
    const summary = Object.fromEntries(Object.entries(actual).map(([id, v]) => {
      const view = v as { stage: string; commission: { status: string; net: string } };
      return [id, `${view.stage}/${view.commission.status}/${view.commission.net}`];
    }));
    expect(summary).toEqual({
      'R-pass': 'COMPLETED/PAID/1200.00', // paid by the April settlement (run by the clock on the 20th)
      'R-window': 'COMPLETED/PENDING/1200.00',
      'R-round': 'MANUAL_VISIT/HELD/1200.00',
      'R-waiting': 'MANUAL_VISIT/HELD/1200.00',
      'R-visit': 'COMPLETED/PENDING/1160.00',
    });
    await second.child.stop();
  }, 120_000);
});
