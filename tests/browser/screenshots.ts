import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/paths.js';
import { consoleSession, launchBrowser, type ConsoleSession } from '../support/browser.js';
import { seedJourneys, seedMonths } from '../support/console-seed.js';
import { startTestSystem } from '../support/local-api.js';

/**
 * `npm run screenshots`: the console's main screens as docs/console/*.png, taken in the same
 * headless Chromium as the browser tests against a fresh local system seeded through the API.
 * The Chinese renders with the Noto Sans SC subsets the console serves (no system font needed).
 */
const out = join(REPO_ROOT, 'docs/console');
await mkdir(out, { recursive: true });
// 2025-11-03 09:00 in Shanghai: five months of history before the journeys' policies.
const system = await startTestSystem(new Date('2025-11-03T01:00:00Z'));
const browser = await launchBrowser();
try {
  await seedMonths(system.api, 5);
  const { toCall, toConfirm, toVisit, toReview } = await seedJourneys(system.api);
  const shot = async (s: ConsoleSession, name: string) => {
    await s.page.evaluate('document.fonts.ready.then(() => true)');
    await s.page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`docs/console/${name}.png`);
  };
  const as = async (who: string, path = '/') => {
    const s = await consoleSession(browser, system.system.url);
    await s.open(`${path}${path.includes('?') ? '&' : '?'}as=${who}`);
    return s;
  };
  const signIn = await consoleSession(browser, system.system.url);
  await signIn.open('/');
  await shot(signIn, 'sign-in');

  const callCentre = await as('callcentre:OP7');
  // What the first screen cost: when it was drawn and wired, and the bytes it fetched (docs/console.md).
  const cost = await callCentre.page.evaluate<{ readyMs: number; fontBytes: number; fonts: number; otherBytes: number }>(`(() => {
    const entries = performance.getEntriesByType('resource');
    const fonts = entries.filter((e) => e.name.endsWith('.woff2'));
    return { readyMs: Math.round(performance.getEntriesByName('console-ready')[0].startTime), fonts: fonts.length,
      fontBytes: fonts.reduce((s, e) => s + e.encodedBodySize, 0), otherBytes: entries.filter((e) => !e.name.endsWith('.woff2')).reduce((s, e) => s + e.encodedBodySize, 0) };
  })()`);
  console.log('call-centre first screen', cost);
  await callCentre.page.click(`[data-testid="call-${toCall.policyId}"]`);
  await callCentre.page.waitForSelector('[data-testid=call-form]');
  await shot(callCentre, 'callcentre-queue');
  await callCentre.redrawn(() => callCentre.page.click('[data-testid=lang]'));
  await callCentre.page.click(`[data-testid="call-${toCall.policyId}"]`);
  await shot(callCentre, 'callcentre-queue-en');

  await shot(await as('agent:A1001', `/policies/${toConfirm.policyId}`), 'agent-contact');
  await shot(await as('branch:BC1', `/policies/${toVisit.policyId}`), 'branch-visit');
  await shot(await as('compliance:CP1', `/policies/${toReview.policyId}`), 'compliance-review');

  const manager = await as('manager:M1');
  await manager.page.waitForSelector('[data-testid=chart-holds]');
  await manager.page.fill('[data-testid=settlement-month]', '2026-02');
  await manager.page.click('[data-testid=settlement] button[type=submit]');
  await manager.page.waitForSelector('[data-testid=settlement-table], [data-testid=settlement] .muted');
  await shot(manager, 'manager-reports');

  const auditor = await as('auditor:AU1', `/policies/${toReview.policyId}`);
  await auditor.page.click('[data-testid=verify]');
  await auditor.page.waitForSelector('[data-testid=verify-result] p');
  await shot(auditor, 'auditor-timeline');
} finally {
  await browser.close();
  await system.stop();
}
