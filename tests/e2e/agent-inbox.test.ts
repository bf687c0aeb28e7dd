import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { CLOCK_START, CUSTOMER_PHONE, newPolicyId } from '../support/policies.js';
import { Scenario } from '../support/scenario.js';
import { expectError } from './e2e-helpers.js';

/**
 * The agent's inbox through the running local system (docs/api.md, Work inboxes): two agents,
 * each seeing only its own policies' open contact windows, missing receipts and the special
 * requests it filed; each item leaves once done; no customer data. One system, one clock.
 */
type Item = {
  kind: string; itemId: string; policyId: string; branchId: string; agentId: string; openedAt: string; dueAt: string;
  dueSoon: boolean; overdue: boolean; summary: string; claimedBy?: string; givenUpAt?: string; nextSettlementCutoff?: string;
  type?: string; filedBy?: string; escalations?: number;
};
type Page = { items: Item[]; nextCursor?: string };

const OTHER_AGENT = { agentId: 'A2002', name: '李强', phone: '13900000002', email: 'a2002@insurer.example' };
const HOUR = 3_600_000;

let t: TestSystem;
let mine: [Scenario, Scenario];
let theirs: [Scenario, Scenario];
let requestId = '';

beforeAll(async () => { t = await startTestSystem(CLOCK_START); });
afterAll(async () => { await t.stop(); });

async function inbox(credential: string, query = ''): Promise<Page> {
  const response = await t.api.get<Page>(credential, `/v1/inbox${query}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}
const keys = (page: Page) => page.items.map((i) => `${i.kind}:${i.itemId}`).sort();
const contactWindowClosesAt = async (s: Scenario) =>
  (await t.api.get<{ deadlines: { contactWindowClosesAt: string } }>('auditor', `/v1/policies/${s.policyId}`)).body.deadlines.contactWindowClosesAt;

describe("the agent's inbox", () => {
  it('lists each agent its own missing receipts, due when they turn late, and the requests it filed', async () => {
    mine = [new Scenario(t.api, newPolicyId('AIA')), new Scenario(t.api, newPolicyId('AIB'))];
    theirs = [new Scenario(t.api, newPolicyId('AIC')), new Scenario(t.api, newPolicyId('AID'))];
    for (const s of mine) await s.register();
    for (const s of theirs) await s.register({ agent: OTHER_AGENT });
    const filed = await t.api.post<{ requestId: string }>('agent:A1001', `/v1/policies/${mine[0].policyId}/special-requests`, { type: 'EXEMPT', reason: `客户张三 ${CUSTOMER_PHONE}`, signedConfirmationRef: 'DOC-9' });
    expect(filed.status, filed.text).toBe(201);
    requestId = filed.body.requestId;

    const a = await inbox('agent:A1001');
    expect(keys(a)).toEqual([`RECEIPT_MISSING:${mine[0].policyId}`, `RECEIPT_MISSING:${mine[1].policyId}`, `SPECIAL_REQUEST:${requestId}`].sort());
    // Effective 2026-03-02: on time through 2026-06-02 (Shanghai), late from the next day; never returned a year on.
    expect(a.items.find((i) => i.itemId === mine[1].policyId)).toMatchObject({
      kind: 'RECEIPT_MISSING', agentId: 'A1001', branchId: 'BR-SH', openedAt: CLOCK_START.toISOString(),
      dueAt: '2026-06-02T16:00:00.000Z', givenUpAt: '2027-03-02T16:00:00.000Z', nextSettlementCutoff: '2026-03-19T16:00:00.000Z', dueSoon: false, overdue: false,
    });
    expect(a.items.find((i) => i.itemId === requestId)).toMatchObject({ kind: 'SPECIAL_REQUEST', policyId: mine[0].policyId, type: 'EXEMPT', filedBy: 'A1001', escalations: 0 });
    expect(keys(await inbox('agent:A2002'))).toEqual(theirs.map((s) => `RECEIPT_MISSING:${s.policyId}`).sort());

    // No customer data, no free text, nothing of the other agent (docs/privacy.md, Work inboxes).
    const text = JSON.stringify(a);
    for (const secret of ['张三', CUSTOMER_PHONE, 'DOC-9', 'A2002', ...theirs.map((s) => s.policyId)]) expect(text).not.toContain(secret);
    expect(a.items.every((i) => i.claimedBy === undefined)).toBe(true);
    // Staff inboxes are as before: the agent kinds are not theirs.
    expect((await inbox('manager')).items.some((i) => i.kind === 'RECEIPT_MISSING')).toBe(false);
    expectError(await t.api.get('manager', '/v1/inbox?kind=RECEIPT_MISSING'), 403, 'FORBIDDEN');
  });

  it("shows an open contact window to its agent only, due when it closes, until the contact is updated", async () => {
    await t.api.advance('P10D');
    for (const s of [mine[0], theirs[0]]) expect((await s.call(1, { reached: false, reason: 'WRONG_NUMBER' })).roundStatus).toBe('FAILED');
    const a = await inbox('agent:A1001', '?kind=CONTACT_WINDOW');
    expect(a.items).toEqual([expect.objectContaining({ kind: 'CONTACT_WINDOW', itemId: mine[0].policyId, dueAt: await contactWindowClosesAt(mine[0]), dueSoon: false, overdue: false })]);
    expect((await inbox('agent:A2002', '?kind=CONTACT_WINDOW')).items.map((i) => i.policyId)).toEqual([theirs[0].policyId]);

    expect((await t.api.put('agent:A1001', `/v1/policies/${mine[0].policyId}/contact`, { phone: '13787654321' })).status).toBe(200);
    expect((await inbox('agent:A1001', '?kind=CONTACT_WINDOW')).items).toEqual([]);
    expect(JSON.stringify(await inbox('agent:A1001'))).not.toContain('13787654321');
    expect((await inbox('agent:A2002', '?kind=CONTACT_WINDOW')).items).toHaveLength(1);
  });

  it('turns due soon before the window closes, and drops it when it closes unanswered', async () => {
    const closesAt = Date.parse(await contactWindowClosesAt(theirs[0]));
    await t.api.advanceTo(new Date(closesAt - 12 * HOUR));
    expect((await inbox('agent:A2002', '?kind=CONTACT_WINDOW')).items[0]).toMatchObject({ itemId: theirs[0].policyId, dueSoon: true, overdue: false });
    await t.api.advanceTo(new Date(closesAt + HOUR));
    // (Its sibling's first round has lapsed uncalled meanwhile: its own window is open now.)
    expect((await inbox('agent:A2002', '?kind=CONTACT_WINDOW')).items.map((i) => i.policyId)).toEqual([theirs[1].policyId]);
  });

  it('drops a receipt once it is returned, for its agent only', async () => {
    await mine[1].returnReceipt();
    expect(keys(await inbox('agent:A1001', '?kind=RECEIPT_MISSING'))).toEqual([`RECEIPT_MISSING:${mine[0].policyId}`]);
    expect(keys(await inbox('agent:A2002', '?kind=RECEIPT_MISSING'))).toHaveLength(2);
  });

  it('pages earliest due first with a cursor bound to the filters', async () => {
    const all = await inbox('agent:A1001');
    expect(all.items.map((i) => i.dueAt)).toEqual(all.items.map((i) => i.dueAt).sort());
    const first = await inbox('agent:A1001', '?limit=1');
    expect(first.items).toEqual([all.items[0]]);
    expect((await inbox('agent:A1001', `?limit=1&cursor=${first.nextCursor!}`)).items).toEqual([all.items[1]]);
  });

  it('names the field and the rule of a bad kind, and keeps other kinds and other agents out of reach', async () => {
    const bad = expectError(await t.api.get('agent:A1001', '/v1/inbox?kind=VISIT'), 400, 'VALIDATION_FAILED');
    expect(bad.error.details[0]).toMatchObject({ field: 'query.kind', rule: expect.any(String) });
    expect(bad.error.details[0]!.message).toContain('CONTACT_WINDOW');
    // A kind that exists but is not the agent's: 403, as for every role.
    expectError(await t.api.get('agent:A1001', '/v1/inbox?kind=MANUAL_VISIT'), 403, 'FORBIDDEN');
    const noSubject = expectError(await t.api.get('agent', '/v1/inbox'), 400, 'VALIDATION_FAILED');
    expect(noSubject.error.details[0]).toMatchObject({ field: 'subject', rule: 'required' });
    // Agents claim nothing: the answer is the same for its own item, another agent's and none at all.
    const answers = await Promise.all([requestId, 'SR-unknown'].map((id) => t.api.call('agent:A2002', 'POST', `/v1/inbox/SPECIAL_REQUEST/${id}/claim`)));
    for (const answer of answers) expectError(answer, 403, 'FORBIDDEN');
    expect(answers[0]!.text).toBe(answers[1]!.text.replace('SR-unknown', requestId));
  });
});
