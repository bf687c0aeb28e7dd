import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { attempt, CLOCK_START, registration } from '../support/policies.js';
import { expectError } from './e2e-helpers.js';

type Found = { policyId: string; seq: number; at: string; type: string; agentId: string; branchId: string; actor: { role: string }; data: Record<string, unknown>; hash: string };
type Page = { events: Found[]; nextCursor?: string };

let t: TestSystem;
const FROM = CLOCK_START.toISOString();
const TO = new Date(CLOCK_START.getTime() + 90 * 86_400_000).toISOString();

const agent = (n: number) => ({ agentId: `AG${n}`, name: '王芳', phone: `1390000000${n}`, email: `ag${n}@insurer.example` });
const register = async (policyId: string, agentNo: number, branchId: string) => {
  const response = await t.api.post('upstream', '/v1/policies', registration(policyId, await t.api.now(), { agent: agent(agentNo), branchId }));
  expect(response.status, response.text).toBe(201);
};

beforeAll(async () => {
  t = await startTestSystem(CLOCK_START);
  // Two agents in two branches, events over two calendar months (March and April).
  await register('S-1', 1, 'BR-A');
  await register('S-2', 1, 'BR-B');
  await register('S-3', 2, 'BR-A');
  await t.api.advance('P10D');
  for (const id of ['S-1', 'S-2', 'S-3']) expect((await t.api.post('callcentre', `/v1/policies/${id}/callback-attempts`, attempt(1, await t.api.now(), { reached: true }))).status).toBe(200);
  await t.api.advance('P25D');
  await register('S-4', 2, 'BR-B');
  for (const id of ['S-1', 'S-3']) expect((await t.api.post('upstream', `/v1/policies/${id}/receipt`, { returnedAt: (await t.api.now()).toISOString() })).status).toBe(200);
});
afterAll(async () => { await t.stop(); });

const search = (query: Record<string, string>, credential = 'auditor') =>
  t.api.get<Page>(credential, `/v1/audit/events?${new URLSearchParams({ from: FROM, to: TO, ...query })}`);

/** Every page of a search; `during` runs concurrently with each page request. */
async function allPages(query: Record<string, string>, during?: () => Promise<void>): Promise<Found[]> {
  const found: Found[] = [];
  let cursor: string | undefined;
  do {
    const [response] = await Promise.all([search({ ...query, ...(cursor ? { cursor } : {}) }), during?.()]);
    expect(response.status, response.text).toBe(200);
    found.push(...response.body.events);
    cursor = response.body.nextCursor;
  } while (cursor);
  return found;
}

const ids = (events: Found[]) => events.map((e) => `${e.policyId}#${e.seq}`);
const byTime = (events: Found[]) => [...events].sort((a, b) => (`${a.at}#${a.policyId}#${String(a.seq).padStart(10, '0')}` < `${b.at}#${b.policyId}#${String(b.seq).padStart(10, '0')}` ? -1 : 1));

describe('searching events across policies', () => {
  it('finds one agent\'s events, oldest first, over two months, and pages them without gaps or repeats', async () => {
    const whole = await search({ agentId: 'AG1', limit: '500' });
    expect(whole.status, whole.text).toBe(200);
    expect(whole.body.nextCursor).toBeUndefined();
    const events = whole.body.events;
    expect(new Set(events.map((e) => e.policyId))).toEqual(new Set(['S-1', 'S-2']));
    expect(events.every((e) => e.agentId === 'AG1')).toBe(true);
    expect(ids(events)).toEqual(ids(byTime(events)));
    expect(events.filter((e) => e.policyId === 'S-1').map((e) => e.type)).toEqual(['PolicyRegistered', 'CallbackRoundOpened', 'CallbackAttemptRecorded', 'ReceiptReturned']);
    expect(new Set(events.map((e) => e.at.slice(0, 7)))).toEqual(new Set(['2026-03', '2026-04']));
    for (const limit of ['1', '2', '3']) expect(ids(await allPages({ agentId: 'AG1', limit }))).toEqual(ids(events));
  });

  it('filters by branch, by type, by combinations, and with no filter reads the month partitions', async () => {
    const all = await allPages({ limit: '4' });
    expect(new Set(all.map((e) => e.policyId))).toEqual(new Set(['S-1', 'S-2', 'S-3', 'S-4']));
    expect(ids(all)).toEqual(ids(byTime(all)));
    const branch = await allPages({ branchId: 'BR-A', limit: '2' });
    expect(ids(branch)).toEqual(ids(all.filter((e) => e.branchId === 'BR-A')));
    const type = await allPages({ type: 'CallbackAttemptRecorded' });
    expect(type.map((e) => e.policyId).sort()).toEqual(['S-1', 'S-2', 'S-3']);
    const combined = await allPages({ agentId: 'AG2', branchId: 'BR-B', type: 'PolicyRegistered', limit: '1' });
    expect(ids(combined)).toEqual(['S-4#1']);
    expect(await allPages({ agentId: 'AG1', type: 'ReceiptReturned' })).toHaveLength(1);
    expect(await allPages({ agentId: 'NOBODY' })).toEqual([]);
  });

  it('narrows to the period, with `to` exclusive', async () => {
    const april = new Date('2026-04-01T00:00:00Z').toISOString();
    const march = await allPages({ to: april });
    expect(march.every((e) => e.at < april)).toBe(true);
    const later = await allPages({ from: april });
    expect(later.every((e) => e.at >= april)).toBe(true);
    expect(march.length + later.length).toBe((await allPages({})).length);
  });

  it('masks the customer in what it returns', async () => {
    const registered = (await allPages({ type: 'PolicyRegistered' }))[0]!;
    const policy = registered.data.policy as { policyholder: { name: string; phone: string }; agent: { phone: string } };
    expect(policy.policyholder).toEqual({ name: '张*', phone: '138****5678' });
    expect(policy.agent.phone).toMatch(/^139\*{4}\d{4}$/);
  });

  it('keeps pages stable while events are appended concurrently', async () => {
    const before = await allPages({ agentId: 'AG1', limit: '500' });
    let n = 0;
    const appendSome = async () => {
      n++;
      // New policies of the same agent, some before and some after the reader's position in key order.
      await Promise.all([register(`S-0new${n}`, 1, 'BR-A'), register(`S-9new${n}`, 1, 'BR-B')]);
      await t.api.post('upstream', '/v1/policies/S-2/receipt', { returnedAt: (await t.api.now()).toISOString() });
    };
    const paged = await allPages({ agentId: 'AG1', limit: '2' }, appendSome);
    expect(n).toBeGreaterThan(3);
    const seen = ids(paged);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids(before).includes(id))).toEqual(ids(before));
    expect(ids(paged)).toEqual(ids(byTime(paged)));
  });

  it('refuses bad queries with 400 naming the field, and roles without the right with 403', async () => {
    const first = await search({ agentId: 'AG1', limit: '1' });
    const cursor = first.body.nextCursor!;
    let e = expectError(await search({ agentId: 'AG2', limit: '1', cursor }), 400, 'VALIDATION_FAILED');
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'cursor', rule: 'cursor_filters_mismatch' }));
    e = expectError(await search({ agentId: 'AG1', cursor: 'bm90LWEtY3Vyc29y' }), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'cursor', rule: 'invalid_cursor' }));
    const forged = Buffer.from(JSON.stringify({ v: 1, f: JSON.parse(Buffer.from(cursor, 'base64url').toString()).f, m: '2026-03', a: '2030-01-01T00:00:00.000Z#S-1#0000000001' })).toString('base64url');
    expectError(await search({ agentId: 'AG1', limit: '1', cursor: forged }), 400);
    e = expectError(await t.api.get('auditor', `/v1/audit/events?to=${TO}`), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.from' }));
    e = expectError(await search({ to: new Date(CLOCK_START.getTime() + 400 * 86_400_000).toISOString() }), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.to' }));
    e = expectError(await search({ to: FROM }), 400);
    expect(e.error.details).toContainEqual(expect.objectContaining({ field: 'query.to' }));
    expectError(await search({ type: 'drop table' }), 400);
    expectError(await search({ limit: '0' }), 400);
    expectError(await search({ unknown: 'x' }), 400);
    for (const role of ['upstream', 'callcentre', 'branch', 'agent:AG1']) expectError(await search({}, role), 403, 'FORBIDDEN');
  });

  it('records each search with its filters', async () => {
    const at = (await t.api.now()).toISOString();
    expect((await search({ branchId: 'BR-B' }, 'compliance:C1')).status).toBe(200);
    const log = await t.api.get<{ records: { action: string; subject?: string; filters?: Record<string, string> }[] }>('auditor', `/v1/audit/access-log?from=${at}&to=${new Date(Date.parse(at) + 1).toISOString()}&limit=500`);
    expect(log.body.records).toContainEqual(expect.objectContaining({ action: 'event-search', subject: 'C1', filters: { from: FROM, to: TO, branchId: 'BR-B' } }));
  });
});
