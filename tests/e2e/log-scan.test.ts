import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildSystem, type ChildSystem } from '../support/child-system.js';
import { LocalApi } from '../support/local-api.js';
import { AGENT_PHONE, CLOCK_START, registration } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';

/**
 * docs/rules.md §7: no full customer phone number in any log line or e-mail. Every path of the
 * lifecycle runs in a child system logging at debug level; everything it writes (its own
 * output and dynalite's) and every e-mail is scanned for the phone numbers registered.
 */
let child: ChildSystem;
let api: LocalApi;
let dataDir: string;
const customerPhones: string[] = [];
const readBodies: string[] = [];

/** A fresh customer phone per policy, so each one registered is known. */
const nextPhone = () => {
  const phone = `1371234${String(customerPhones.length).padStart(4, '0')}`;
  customerPhones.push(phone);
  return phone;
};

function scenario(name: string): Scenario {
  const s = new Scenario(api, `LS-${name}`);
  const register = s.register.bind(s);
  s.register = (overrides = {}) => register({ policyholder: { name: '张三', phone: nextPhone(), address: '上海市浦东新区 13712340000 号' }, ...overrides });
  return s;
}

const ok = (r: { status: number; text: string }) => expect(r.status, r.text).toBeLessThan(300);
const now = async () => (await api.now()).toISOString();

async function everyPath(): Promise<void> {
  const pass = scenario('pass');
  await pass.toFirstCallback();
  await pass.call(1, { reached: true });
  await pass.returnReceipt();

  const update = scenario('update');
  await update.toContactUpdate();
  const newPhone = nextPhone();
  ok(await api.put('agent:A1001', `/v1/policies/${update.policyId}/contact`, { phone: newPhone, address: '北京市朝阳区' }));
  await update.call(2, { reached: true });

  const unanswered = scenario('window');
  await unanswered.toContactUpdate();
  await api.advance('P10DT1H');

  for (const [name, visit] of [['visit-ok', { success: true, phoneWrongOrOutOfUse: false }], ['visit-wrong', { success: true, phoneWrongOrOutOfUse: true }], ['visit-fail', { success: false, phoneWrongOrOutOfUse: false }]] as const) {
    const s = scenario(name);
    await s.toManualVisit();
    ok(await api.post('branch', `/v1/policies/${s.policyId}/manual-visit`, { visitedAt: await now(), visitorId: 'V1', ...visit }));
  }
  const overdue = scenario('visit-overdue');
  await overdue.toManualVisit();
  await api.advance('P32D');

  for (const decision of ['DISMISS', 'UPHOLD']) {
    const s = scenario(`review-${decision}`);
    await s.toReview();
    await api.advance('P12D'); // overdue reminders first
    ok(await api.post('compliance', `/v1/policies/${s.policyId}/review`, { decision, note: `customer called back from ${customerPhones.at(-1)}` }));
  }

  const early = scenario('early');
  await early.register();
  const filed = await api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${early.policyId}/special-requests`, { type: 'EARLY', reason: `abroad, reachable at ${customerPhones.at(-1)}` });
  ok(filed);
  ok(await api.post('branch', `/v1/special-requests/${filed.body.requestId}/decision`, { approve: true }));

  const exempt = scenario('exempt');
  await exempt.toFirstCallback();
  const exemption = await api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${exempt.policyId}/special-requests`, { type: 'EXEMPT', reason: 'signed', signedConfirmationRef: 'DOC-1' });
  ok(await api.post('branch', `/v1/special-requests/${exemption.body.requestId}/decision`, { approve: true }));

  const cancelled = scenario('cancel');
  await cancelled.toFirstCallback();
  ok(await api.post('upstream', `/v1/policies/${cancelled.policyId}/cancellation`, { cancelledAt: await now(), reason: 'surrender' }));

  const agentPhone = new Scenario(api, 'LS-agent-phone');
  await agentPhone.toFirstCallback({ policyholder: { name: '李四', phone: AGENT_PHONE } });
  await agentPhone.call(1, { reached: true });
  expect((await api.put('agent:A1001', `/v1/policies/${agentPhone.policyId}/contact`, { phone: AGENT_PHONE })).status).toBe(422);

  // Bad input carrying phone numbers: rejected, and not echoed into the logs.
  expect((await api.post('upstream', '/v1/policies', registration('LS-bad', await api.now(), { policyholder: { name: 'x', phone: `${nextPhone()}-oops-not-a-phone` } }))).status).toBe(400);

  // The scenarios above span several quarters: the false-contact reports went out at each close.
  await api.advance('P1D');

  // The audit reads, by the roles that must see masked data.
  const from = CLOCK_START.toISOString();
  const to = new Date(CLOCK_START.getTime() + 360 * 86_400_000).toISOString();
  const current = await api.now();
  const lastDays = `from=${new Date(current.getTime() - 30 * 86_400_000).toISOString()}&to=${new Date(current.getTime() + 86_400_000).toISOString()}`;
  for (const path of [
    `/v1/policies/${update.policyId}/history`, `/v1/policies/${pass.policyId}/history/verify`,
    `/v1/audit/events?from=${from}&to=${to}&limit=500`, '/v1/reports/false-contact?quarter=2026-Q1',
    `/v1/reports/quality?branchId=BR-SH&from=${from}&to=${to}`, `/v1/audit/events?${lastDays}&limit=500`,
  ]) {
    for (const role of ['auditor', 'manager']) {
      const response = await api.get(role, path);
      if (response.status === 200) readBodies.push(response.text);
    }
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qc-log-scan-'));
  child = await startChildSystem(dataDir, CLOCK_START, { LOG_LEVEL: 'debug' });
  api = new LocalApi(child.url);
  await everyPath();
}, 300_000);

afterAll(async () => {
  await child?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The full numbers found in a text (masked forms such as 137****0001 do not match). */
const fullPhonesIn = (text: string) => customerPhones.filter((phone) => text.includes(phone));

describe('no customer phone number leaves the system unmasked', () => {
  it('ran every path and captured the logs', async () => {
    expect(customerPhones.length).toBeGreaterThan(10);
    const lines = child.output().split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.some((l) => l.includes('"workflow step"'))).toBe(true);
    // The check itself would see a number written in full.
    expect(fullPhonesIn(`x ${customerPhones[0]} y`)).toEqual([customerPhones[0]]);
  });

  it('in no log line', () => {
    const leaks = child.output().split('\n').filter((line) => fullPhonesIn(line).length > 0);
    expect(leaks).toEqual([]);
  });

  it('in no e-mail', async () => {
    const emails = await api.emails();
    expect(emails.length).toBeGreaterThan(10);
    expect(emails.filter((m) => m.subject.includes('虚假客户联系信息')).length).toBeGreaterThanOrEqual(2);
    expect(emails.filter((m) => fullPhonesIn(`${m.subject}\n${m.text}`).length > 0)).toEqual([]);
  });

  it('in no history, search or report the auditor or a manager reads', () => {
    expect(readBodies.length).toBeGreaterThanOrEqual(10);
    expect(readBodies.filter((body) => fullPhonesIn(body).length > 0)).toEqual([]);
  });
});
