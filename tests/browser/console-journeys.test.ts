import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleSession, launchBrowser, type ConsoleSession } from '../support/browser.js';
import { startTestSystem, type TestSystem } from '../support/local-api.js';
import { seedJourneys } from '../support/console-seed.js';
import { CLOCK_START, CUSTOMER_PHONE } from '../support/policies.js';
import type { Scenario } from '../support/scenario.js';

/**
 * The web console (docs/console.md) in headless Chromium against a real local system: one
 * journey per role, each through the pages a person would use, checked against the API.
 */
let t: TestSystem;
let browser: Browser;
const pageErrors: string[] = [];
const sessions: ConsoleSession[] = [];
let toCall: Scenario, toConfirm: Scenario, toVisit: Scenario, toReview: Scenario, toAsk: Scenario;

async function session(): Promise<ConsoleSession> {
  const opened = await consoleSession(browser, t.system.url);
  opened.page.on('pageerror', (error) => pageErrors.push(error.message));
  sessions.push(opened);
  return opened;
}

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestSystem(CLOCK_START), launchBrowser()]);
  ({ toCall, toConfirm, toVisit, toReview, toAsk } = await seedJourneys(t.api));
}, 120_000);

afterAll(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
  await t?.stop();
});

describe('the console in a browser', () => {
  it('serves the page at / without a credential, signs in from the address, is interactive in under a second, and switches identity', async () => {
    const s = await session();
    await s.open('/?as=callcentre:OP7');
    expect(s.page.url()).toBe(`${t.system.url}/`); // the sign-in leaves the address bar
    // Timed on the second load: the first pays for starting the browser's renderer, not for the console.
    await s.open('/');
    const readyAt = await s.page.evaluate<number>("performance.getEntriesByName('console-ready')[0].startTime");
    expect(readyAt).toBeGreaterThan(0);
    expect(readyAt).toBeLessThan(1000);
    expect(await s.page.textContent('[data-testid=signed-in-as]')).toContain('callcentre:OP7');
    // Switching: back to the sign-in form, then in as someone else.
    await s.redrawn(() => s.page.click('[data-testid=switch-identity]'));
    await s.page.selectOption('[data-testid=sign-in] select', 'auditor');
    await s.page.fill('[data-testid=sign-in] input[name=subject]', 'AU2');
    await s.redrawn(() => s.page.click('[data-testid=sign-in] button[type=submit]'));
    expect(await s.page.textContent('[data-testid=signed-in-as]')).toContain('auditor:AU2');
    expect(await s.page.$('[data-testid=audit-search]')).not.toBeNull();
  });

  it('call centre: picks a call from the queue, sees the calling rules, records a failed call', async () => {
    const s = await session();
    await s.open('/?as=callcentre:OP7');
    // The call centre sees the customer's phone in full (docs/privacy.md).
    expect(await s.page.textContent('[data-testid=queue-table]')).toContain(CUSTOMER_PHONE);
    await s.page.click(`[data-testid="call-${toCall.policyId}"]`);
    expect(await s.page.textContent('[data-testid=call-rules]')).toContain('09:00–21:00');
    expect(await s.page.getAttribute('[data-testid=call-rules]', 'class')).toContain('ok');
    await s.page.selectOption('[data-testid=reason]', 'NO_ANSWER');
    await s.page.click('[data-testid=call-form] button[type=submit]');
    expect(await s.page.textContent('[data-testid=call-panel] [role=status]')).toContain('进行中');
    const view = await toCall.view();
    const attempt = view.callback.rounds[0] as unknown as { attempts: { reason: string; operatorId: string; reached: boolean }[] };
    expect(attempt.attempts).toEqual([expect.objectContaining({ reached: false, reason: 'NO_ANSWER', operatorId: 'OP7' })]);
  });

  it('a person in two groups chooses the acting role, remembered by name; every call names it in X-Acting-Role', async () => {
    const s = await session();
    const calls: { role: string | undefined; status: number }[] = [];
    s.page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/v1/')) calls.push({ role: response.request().headers()['x-acting-role'], status: response.status() });
    });
    await s.open('/?as=branch+compliance:S1');
    expect(await s.page.textContent('[data-testid=role-chooser]')).toContain('compliance');
    expect(calls).toEqual([]); // nothing is asked before the role is chosen
    await s.redrawn(() => s.page.click('[data-testid=act-as-compliance]'));
    expect(await s.page.textContent('h1')).toContain('合规');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.role === 'compliance' && c.status === 200)).toBe(true);
    // Remembered: the next visit goes straight to the page, and the header switches the role.
    await s.open('/');
    expect(await s.page.$('[data-testid=role-chooser]')).toBeNull();
    calls.length = 0;
    await s.redrawn(() => s.page.selectOption('[data-testid=acting-role]', 'branch'));
    expect(await s.page.textContent('h1')).toContain('机构内勤');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.role === 'branch' && c.status === 200)).toBe(true);
    // Only the role's name is remembered in localStorage; the API refuses the credential without it.
    expect(await s.page.evaluate<string | null>("localStorage.getItem('console.actingRole')")).toBe('branch');
    expect((await fetch(`${t.system.url}/v1/inbox`, { headers: { authorization: 'Bearer local:branch+compliance:S1' } })).status).toBe(401);
  });

  it('call centre, rule set art15: a 401 mid-form leads to sign-in and the form comes back; the 400 shows at its field; fixed, the call is accepted', async () => {
    const s = await session();
    await s.open('/?as=callcentre:OP7');
    await s.page.click(`[data-testid="call-${toAsk.policyId}"]`);
    await s.page.check('[data-testid=reached]');
    // The rule set's mandatory points are marked before anything is sent (the policy's confirmationRules); the others are not.
    await s.page.waitForSelector('label.mandatory:has([data-testid="confirmations.coolingOff"])');
    expect(await s.page.getAttribute('label:has([data-testid="confirmations.identity"])', 'class')).toContain('mandatory');
    expect(await s.page.getAttribute('label:has([data-testid="confirmations.paymentTerms"])', 'class') ?? '').not.toContain('mandatory');
    for (const point of ['identity', 'purchasedAndSigned', 'readAndUnderstood', 'coverAndExclusions', 'surrenderLoss']) {
      await s.page.selectOption(`[data-testid="confirmations.${point}"]`, 'YES');
    }
    await s.page.fill('[data-testid=recordingRef]', 'rec/2026/03/0042');
    await s.page.fill('[data-testid=durationSeconds]', '305');
    // The sign-in goes stale (as an expired token would): the API answers 401 and the console asks to sign in again.
    await s.page.evaluate("localStorage.setItem('console.identity', 'expired')");
    await s.redrawn(() => s.page.click('[data-testid=call-form] button[type=submit]'));
    expect(await s.page.$('[data-testid=sign-in] form')).not.toBeNull();
    type Attempt = { confirmations: Record<string, string>; recordingRef: string; durationSeconds: number };
    const attempts = async () => ((await toAsk.view()).callback.rounds[0] as unknown as { attempts: Attempt[] }).attempts;
    expect(await attempts()).toEqual([]);
    await s.page.selectOption('[data-testid=sign-in] select', 'callcentre');
    await s.page.fill('[data-testid=sign-in] input[name=subject]', 'OP7');
    await s.redrawn(() => s.page.click('[data-testid=sign-in] button[type=submit]'));
    // The same call's form, as it was left.
    expect(await s.page.textContent('[data-testid=call-panel] h2')).toContain(toAsk.policyId);
    expect(await s.page.isChecked('[data-testid=reached]')).toBe(true);
    expect(await s.page.isVisible('[data-testid=confirmations]')).toBe(true);
    expect(await s.page.inputValue('[data-testid="confirmations.surrenderLoss"]')).toBe('YES');
    expect(await s.page.inputValue('[data-testid=recordingRef]')).toBe('rec/2026/03/0042');
    expect(await s.page.inputValue('[data-testid=durationSeconds]')).toBe('305');
    // The cooling-off point was not asked: art15 refuses the call, and says so at that point.
    await s.page.click('[data-testid=call-form] button[type=submit]');
    await s.page.waitForSelector('[data-testid="error-confirmations.coolingOff"]');
    expect(await s.page.getAttribute('[data-testid="confirmations.coolingOff"]', 'aria-invalid')).toBe('true');
    expect(await s.page.getAttribute('label:has([data-testid="confirmations.coolingOff"])', 'class')).toContain('mandatory');
    expect(await s.page.textContent('[data-testid=call-panel] [role=alert]:not(.field-error)')).toContain('VALIDATION_FAILED');
    await s.page.selectOption('[data-testid="confirmations.coolingOff"]', 'YES');
    await s.page.click('[data-testid=call-form] button[type=submit]');
    await s.page.waitForSelector('[data-testid=call-panel] [role=status]');
    expect(await s.page.textContent('[data-testid=call-panel] [role=status]')).toContain('通过');
    expect(await s.page.$('[data-testid="error-confirmations.coolingOff"]')).toBeNull();
    expect((await attempts())[0]).toMatchObject({ recordingRef: 'rec/2026/03/0042', durationSeconds: 305, confirmations: { identity: 'YES', coolingOff: 'YES', paymentTerms: 'NOT_ASKED' } });
  });

  it('agent: lists its work from the API, opens the policy from it, confirms the contact, and the window leaves the list', async () => {
    const s = await session();
    await s.open('/?as=agent:A1001');
    const windowDue = `[data-testid="due-CONTACT_WINDOW-${toConfirm.policyId}"]`;
    const receiptDue = `[data-testid="due-RECEIPT_MISSING-${toConfirm.policyId}"]`;
    // The item as the API lists it: its kind, its policy, its due date (docs/api.md, Work inboxes).
    const listed = await t.api.get<{ items: { policyId: string; dueAt: string }[] }>('agent:A1001', '/v1/inbox?kind=CONTACT_WINDOW');
    const item = listed.body.items.find((i) => i.policyId === toConfirm.policyId)!;
    const shown = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    expect(await s.page.textContent(`[data-testid=my-policies-table] tr:has(${windowDue})`)).toContain('更新客户联系方式');
    expect(await s.page.textContent(windowDue)).toBe(shown.format(new Date(item.dueAt)));
    await s.redrawn(() => s.page.click(`[data-testid=my-policies-table] tr:has(${windowDue}) a`));
    expect(await s.page.textContent('[data-testid=policy-summary]')).toContain(CUSTOMER_PHONE); // the owning agent sees it
    await s.redrawn(() => s.page.click('[data-testid=confirm-contact]'));
    await toConfirm.expectStage('SECOND_CALLBACK');
    expect(await s.page.$('[data-testid=contact-form]')).toBeNull();
    await s.open('/');
    expect(await s.page.$(windowDue)).toBeNull();
    expect(await s.page.$(receiptDue)).not.toBeNull(); // its receipt is still out
  });

  it('branch: finds the visit in its list, sees the customer to visit, and reports the visit', async () => {
    const s = await session();
    await s.open('/?as=branch:BC1');
    await s.redrawn(() => s.page.click(`[data-testid=inbox-MANUAL_VISIT] a:has-text("${toVisit.policyId}")`));
    // The branch sees the customer it must visit, with the number the agent gave (docs/privacy.md).
    expect(await s.page.textContent('[data-testid=policy-summary]')).toContain('13787654321');
    await s.page.check('[data-testid=visit-success]');
    await s.page.click('[data-testid=visit-form] button[type=submit]');
    await s.page.waitForSelector('[data-testid=visit-panel] [role=status]');
    const view = await toVisit.expectStage('COMPLETED');
    expect(view.callback.outcome).toBe('RELEASED');
  });

  it('compliance: opens the review with its call record and timeline, and dismisses it', async () => {
    const s = await session();
    await s.open('/?as=compliance:CP1');
    await s.redrawn(() => s.page.click(`[data-testid=inbox-REVIEW] a:has-text("${toReview.policyId}")`));
    expect(await s.page.textContent('[data-testid=call-record]')).toContain('代签名');
    expect(await s.page.textContent('[data-testid=timeline]')).toContain('PolicyRegistered');
    await s.page.selectOption('[data-testid=review-form] select', 'DISMISS');
    await s.page.fill('[data-testid=review-form] textarea', '录音核实为本人签字');
    await s.page.click('[data-testid=review-form] button[type=submit]');
    await s.page.waitForSelector('[data-testid=review-panel] [role=status]');
    const view = await toReview.view();
    expect(view.callback.status).toBe('PASSED');
  });

  it('auditor: a timeline with its verify result, the audit search, the access log; the language switch is remembered', async () => {
    const s = await session();
    await s.open(`/policies/${toReview.policyId}?as=auditor:AU1`);
    // The auditor gets the phone masked by the API, and the page shows just that.
    expect(await s.page.textContent('[data-testid=policy-summary]')).toContain('138****5678');
    expect(await s.page.textContent('main')).not.toContain(CUSTOMER_PHONE);
    await s.page.click('[data-testid=verify]');
    await s.page.waitForSelector('[data-testid=verify-result] .ok');
    expect(await s.page.textContent('[data-testid=verify-result]')).toContain('哈希链完整');
    await s.open('/');
    await s.page.fill('[data-testid=audit-agent]', 'A1001');
    await s.page.click('[data-testid=audit-search-submit]');
    await s.page.waitForSelector('[data-testid=audit-results], [data-testid=audit-search] [role=alert]');
    expect(await s.page.textContent('[data-testid=audit-results]')).toContain(toReview.policyId);
    await s.page.click('[data-testid=access-log-search]');
    await s.page.waitForSelector('[data-testid=access-log], [data-testid=access-log-panel] [role=alert]');
    expect(await s.page.textContent('[data-testid=access-log]')).toContain('event-search');

    await s.redrawn(() => s.page.click('[data-testid=lang]'));
    expect(await s.page.textContent('[data-testid=audit-search] h2')).toBe('Audit search');
    await s.open('/');
    expect(await s.page.getAttribute('html', 'lang')).toBe('en');
    await s.redrawn(() => s.page.click('[data-testid=lang]'));
    expect(await s.page.textContent('[data-testid=audit-search] h2')).toBe('审计检索');
  });

  it('manager: quality charts, the settlement statement and its CSV download', async () => {
    await t.api.advanceTo(new Date('2026-03-21T02:00:00Z')); // past the 20th: March is settled
    const run = await t.api.post('manager', '/v1/settlements', { month: '2026-03' });
    expect(run.status, run.text).toBeLessThan(300);
    const s = await session();
    await s.open('/?as=manager:M1');
    await s.page.waitForSelector('[data-testid=chart-holds]');
    expect(await s.page.locator('[data-testid=chart-pass] circle').count()).toBeGreaterThan(0);
    expect(await s.page.textContent('[data-testid=quality-table]')).toContain('A1001');
    await s.page.fill('[data-testid=settlement-month]', '2026-03');
    await s.page.click('[data-testid=settlement] button[type=submit]');
    await s.page.waitForSelector('[data-testid=settlement-table]');
    expect(await s.page.textContent('[data-testid=settlement-table]')).toContain(toVisit.policyId);
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.click('[data-testid=download-csv]')]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('record,month,agentId,branchId,policyId,decision,reason,gross,deductions,deductionCodes,net');
    expect(csv).toContain(toVisit.policyId);
  });

  it('raised no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
