import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildSystem, type ChildSystem } from '../support/child-system.js';
import { LocalApi } from '../support/local-api.js';
import { attempt, CLOCK_START, registration } from '../support/policies.js';

/**
 * docs/privacy.md, walked end to end: every role reads every channel (view, queues, history,
 * search, reports JSON/CSV, statement JSON/CSV, command responses) while one policy waits for
 * its manual visit and again after everything happened; the e-mails and the log lines (debug
 * level) are scanned too. A customer's full name, phone or address appears only where the
 * matrix allows it, and does appear where the reader needs it; an ID-card number never.
 */
type Field = 'name' | 'phone' | 'address' | 'idNumber';
interface Customer { readonly policyId: string; readonly name: string; readonly phones: string[]; readonly addresses: string[]; readonly idNumber: string }

const ID = '11010519491231002X';
const customer = (policyId: string, name: string, phone: string, address: string): Customer => ({ policyId, name, phones: [phone], addresses: [address], idNumber: ID });
const visit = customer('PM-visit', '欧阳明月', '13811110001', '上海市浦东新区世纪大道100号');
const review = customer('PM-review', '司马青云', '13822220002', '杭州市西湖区文三路200号');
const cancel = customer('PM-cancel', '诸葛长风', '13833330003', '南京市鼓楼区中山路300号');
const dial = customer('PM-dial', '上官晓雪', '13844440004', '苏州市姑苏区人民路400号');
const CUSTOMERS = [visit, review, cancel, dial];

const OWNER = 'agent:A1001';
const READERS = ['upstream', 'callcentre', OWNER, 'agent:A9999', 'branch', 'compliance', 'manager', 'auditor'] as const;
type Phase = 'visit due' | 'after';

/**
 * The matrix, written out independently of the code under test. All policies are A1001's;
 * `visitDue` is whether the customer's policy waits for the branch's manual visit.
 */
function allowed(reader: string, visitDue: boolean): readonly Field[] {
  if (reader === OWNER) return ['name', 'phone', 'address'];
  if (reader === 'callcentre') return ['name', 'phone'];
  if (reader === 'branch' && visitDue) return ['name', 'phone', 'address'];
  return [];
}

function fieldsIn(text: string, c: Customer): Field[] {
  const found: Field[] = [];
  if (text.includes(c.name)) found.push('name');
  if (c.phones.some((p) => text.includes(p))) found.push('phone');
  if (c.addresses.some((a) => text.includes(a))) found.push('address');
  if (text.includes(c.idNumber)) found.push('idNumber');
  return found;
}

interface Read { readonly reader: string; readonly channel: string; readonly phase: Phase; readonly status: number; readonly text: string }
const reads: Read[] = [];
let child: ChildSystem;
let api: LocalApi;
let dataDir: string;

const ok = (r: { status: number; text: string }) => expect(r.status, r.text).toBeLessThan(300);
const now = async () => (await api.now()).toISOString();
const call = async (policyId: string, round: number, outcome: Parameters<typeof attempt>[2]) =>
  ok(await api.post('callcentre', `/v1/policies/${policyId}/callback-attempts`, attempt(round, await api.now(), outcome)));

/** A command's response is a channel too: the view as its caller may see it. */
async function command(reader: string, method: 'POST' | 'PUT', path: string, body: unknown, phase: Phase) {
  const response = await api.call(reader, method, path, body);
  ok(response);
  reads.push({ reader, channel: 'command response', phase, status: response.status, text: response.text });
  return response;
}

async function read(reader: string, channel: string, path: string, phase: Phase, accept = 'application/json'): Promise<void> {
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer local:${reader}`, accept } });
  reads.push({ reader, channel, phase, status: response.status, text: await response.text() });
}

const PERIOD = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

async function readEverything(phase: Phase): Promise<void> {
  for (const reader of READERS) {
    for (const c of CUSTOMERS) {
      await read(reader, 'view', `/v1/policies/${c.policyId}`, phase);
      await read(reader, 'history', `/v1/policies/${c.policyId}/history`, phase);
    }
    await read(reader, 'dialling queue', '/v1/callbacks/due?limit=1000', phase);
    await read(reader, 'manual-visit list', '/v1/manual-visits/open', phase);
    await read(reader, 'review list', '/v1/reviews/open', phase);
    await read(reader, 'search', `/v1/audit/events?${PERIOD}&limit=500`, phase);
    await read(reader, 'report', '/v1/reports/cooling-off-at-risk?withinDays=30', phase);
    await read(reader, 'report', '/v1/reports/regulatory-evidence?quarter=2026-Q1', phase);
    if (phase === 'after') {
      await read(reader, 'report', '/v1/reports/false-contact?quarter=2026-Q1', phase);
      await read(reader, 'report CSV', '/v1/reports/false-contact?quarter=2026-Q1', phase, 'text/csv');
      await read(reader, 'report', `/v1/reports/quality?branchId=BR-SH&${PERIOD}`, phase);
      await read(reader, 'report', '/v1/reports/integrity?quarter=2026-Q1', phase);
      await read(reader, 'report CSV', '/v1/reports/integrity?quarter=2026-Q1&branchId=BR-SH', phase, 'text/csv');
      await read(reader, 'statement', '/v1/settlements/2026-03', phase);
      await read(reader, 'statement CSV', '/v1/settlements/2026-03', phase, 'text/csv');
    }
  }
}

async function timeline(): Promise<void> {
  for (const c of CUSTOMERS) {
    await command('upstream', 'POST', '/v1/policies', registration(c.policyId, await api.now(), { policyholder: { name: c.name, phone: c.phones[0], address: c.addresses[0] } }), 'visit due');
  }
  // Free text quoting the customer: a reason, a decision note, a cancellation reason.
  const quote = (c: Customer) => `${c.name}, ${c.addresses[0]}, tel ${c.phones[0]}, ID ${c.idNumber}`;
  const filed = await command(OWNER, 'POST', `/v1/policies/${visit.policyId}/special-requests`, { type: 'EARLY', reason: `abroad: ${quote(visit)}` }, 'visit due');
  const { requestId } = filed.body as { requestId: string };
  await command('branch', 'POST', `/v1/special-requests/${requestId}/decision`, { approve: false, note: `declined, ${quote(visit)}` }, 'visit due');
  await command('upstream', 'POST', `/v1/policies/${cancel.policyId}/cancellation`, { cancelledAt: await now(), reason: `surrender: ${quote(cancel)}` }, 'visit due');

  await api.advance('P10D'); // 2026-03-12 09:00: first rounds open
  await call(visit.policyId, 1, { reached: false, reason: 'WRONG_NUMBER' });
  visit.phones.push('13811119999');
  visit.addresses.push('上海市黄浦区南京东路500号');
  await command(OWNER, 'PUT', `/v1/policies/${visit.policyId}/contact`, { phone: visit.phones[1], address: visit.addresses[1] }, 'visit due');
  await call(visit.policyId, 2, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
  await call(review.policyId, 1, { reached: true, findings: { proxySignature: true, misleading: false } });
  await readEverything('visit due');

  await command('compliance', 'POST', `/v1/policies/${review.policyId}/review`, { decision: 'UPHOLD', note: `customer confirmed: ${quote(review)}` }, 'after');
  await command('branch', 'POST', `/v1/policies/${visit.policyId}/manual-visit`, { visitedAt: await now(), success: true, phoneWrongOrOutOfUse: true, visitorId: 'V1' }, 'after');
  await api.advanceTo(new Date('2026-03-20T02:00:00Z')); // the March settlement ran at 09:00 Shanghai
  await readEverything('after');
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qc-privacy-'));
  child = await startChildSystem(dataDir, CLOCK_START, { LOG_LEVEL: 'debug' });
  api = new LocalApi(child.url);
  await timeline();
}, 300_000);

afterAll(async () => {
  await child?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The visit customer's policy waits for the branch only in the first phase. */
const visitDue = (c: Customer, phase: Phase) => c === visit && phase === 'visit due';

function leaksOf(r: Read): string[] {
  return CUSTOMERS.flatMap((c) => fieldsIn(r.text, c)
    .filter((f) => !allowed(r.reader, visitDue(c, r.phase)).includes(f))
    .map((f) => `${r.reader} / ${r.channel} / ${r.phase}: ${c.policyId} ${f}`));
}

const answered = (channel: string) => reads.filter((r) => r.channel === channel && r.status === 200);
const body = (reader: string, channel: string, phase: Phase, path?: string) => {
  const found = reads.find((r) => r.reader === reader && r.channel === channel && r.phase === phase && r.status === 200 && (!path || r.text.includes(path)));
  expect(found, `${reader} ${channel} ${phase}`).toBeDefined();
  return found?.text ?? '';
};

describe('the privacy matrix, role × channel', () => {
  it.each([
    'view', 'history', 'dialling queue', 'manual-visit list', 'review list', 'search', 'report', 'report CSV', 'statement', 'statement CSV', 'command response',
  ])('%s: nothing shown beyond the matrix, to any role', (channel) => {
    expect(answered(channel).length).toBeGreaterThan(0);
    expect(answered(channel).flatMap(leaksOf)).toEqual([]);
  });

  it('each channel answers exactly the roles its route allows (others 403)', () => {
    const roles = (channel: string) => [...new Set(answered(channel).map((r) => r.reader))].sort();
    expect(roles('view')).toEqual([OWNER, 'auditor', 'branch', 'callcentre', 'compliance', 'manager'].sort());
    expect(roles('history')).toEqual([OWNER, 'auditor', 'compliance', 'manager'].sort());
    expect(roles('dialling queue')).toEqual(['callcentre']);
    expect(roles('manual-visit list')).toEqual(['branch', 'manager']);
    expect(roles('search')).toEqual(['auditor', 'compliance', 'manager']);
    expect(roles('statement CSV')).toEqual(['auditor', 'manager']);
    expect(reads.filter((r) => ![200, 201, 403].includes(r.status)).map((r) => `${r.reader} ${r.channel} ${r.status}`)).toEqual([]);
  });

  it('shows what each reader needs: the call centre whom to dial, the owning agent its customers', () => {
    const queue = JSON.parse(body('callcentre', 'dialling queue', 'visit due')) as { policyId: string; name: string; phone: string }[];
    expect(queue.find((e) => e.policyId === dial.policyId)).toMatchObject({ name: dial.name, phone: dial.phones[0] });
    expect(fieldsIn(body('callcentre', 'view', 'visit due', dial.policyId), dial)).toEqual(['name', 'phone']);
    expect(fieldsIn(body(OWNER, 'view', 'after', visit.policyId), visit)).toEqual(['name', 'phone', 'address']);
    expect(fieldsIn(body(OWNER, 'history', 'after', visit.policyId), visit)).toEqual(['name', 'phone', 'address']);
  });

  it('shows the branch the customer to visit while the visit is due, and masks it again afterwards', () => {
    const list = JSON.parse(body('branch', 'manual-visit list', 'visit due')) as { policyId: string; policyholder?: unknown }[];
    expect(list.find((e) => e.policyId === visit.policyId)?.policyholder).toEqual({ name: visit.name, phone: visit.phones[1], address: visit.addresses[1] });
    expect(fieldsIn(body('branch', 'view', 'visit due', visit.policyId), visit)).toEqual(['name', 'phone', 'address']);
    expect(fieldsIn(body('branch', 'view', 'after', visit.policyId), visit)).toEqual([]);
    const managers = JSON.parse(body('manager', 'manual-visit list', 'visit due')) as { policyId: string; policyholder?: unknown }[];
    expect(managers.find((e) => e.policyId === visit.policyId)?.policyholder).toEqual({ name: '欧***', phone: '138****9999', address: '***' });
  });

  it('scrubs free text for readers who may not see the customer (reason, notes, cancellation reason)', () => {
    const view = JSON.parse(body('manager', 'view', 'visit due', visit.policyId)) as { specialRequests: { reason: string; note?: string }[] };
    expect(view.specialRequests[0]).toMatchObject({ reason: 'abroad: 欧***, ***, tel 138****0001, ID **************002X', note: 'declined, 欧***, ***, tel 138****0001, ID **************002X' });
    const history = body('auditor', 'history', 'after', review.policyId);
    expect(history).toContain('customer confirmed: 司***, ***, tel 138****0002, ID **************002X');
    const cancelled = JSON.parse(body('upstream', 'command response', 'visit due', '"CANCELLED"')) as { cancelled: { reason: string } };
    expect(cancelled.cancelled.reason).toBe('surrender: 诸***, ***, tel 138****0003, ID **************002X');
  });
});

describe('the unattended channels: e-mail and logs', () => {
  it('no e-mail carries a full name, phone, address or ID number', async () => {
    const emails = await api.emails();
    expect(emails.map((m) => m.subject).join('\n')).toMatch(/人工回访[\s\S]*合规复核[\s\S]*佣金结算/);
    const leaks = emails.flatMap((m) => CUSTOMERS.flatMap((c) => fieldsIn(`${m.subject}\n${m.text}`, c).map((f) => `${m.subject}: ${c.policyId} ${f}`)));
    expect(leaks).toEqual([]);
  });

  it('no log line does', () => {
    const lines = child.output().split('\n');
    expect(lines.filter((l) => l.includes('"workflow step"')).length).toBeGreaterThan(10);
    const leaks = lines.flatMap((line) => CUSTOMERS.flatMap((c) => fieldsIn(line, c).map((f) => `${c.policyId} ${f}: ${line.slice(0, 200)}`)));
    expect(leaks).toEqual([]);
  });
});
