import type { PageContext } from '../context.js';
import { h, replace, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, policyLink, section } from '../widgets.js';
import { keptDrafts } from '../drafts.js';
import { CALL_DRAFT, callForm, callRules } from './forms.js';
import { inboxPanels } from './inbox.js';

interface DueCallback { policyId: string; round: number; attemptsSoFar: number; phone: string; name: string; notBefore: string }

/** The dialling queue (`GET /v1/callbacks/due`): pick a call, read the rules, record it. */
export async function callCentrePage(context: PageContext): Promise<HTMLElement[]> {
  const due = await context.api.get<DueCallback[]>('/v1/callbacks/due?limit=200');
  const callArea = h('div', {});
  if (!due.ok) return [section(t('queue'), 'queue', failure(due))];
  const pick = async (item: DueCallback) => {
    const now = await context.api.now();
    replace(callArea, callRules(now, item.notBefore), callForm(context, item.policyId, item.round, now, () => setTimeout(() => context.refresh(), 1500)));
    callArea.scrollIntoView?.();
  };
  // Back from signing in again with a call half recorded: open that call's form again (main.ts fills it back).
  const kept = Object.keys(keptDrafts(sessionStorage, location.pathname)).find((key) => key.startsWith(CALL_DRAFT));
  const resumed = kept && due.body.find((item) => kept === `${CALL_DRAFT}${item.policyId}:${item.round}`);
  if (resumed) await pick(resumed);
  const rows = due.body.map((item) => [
    policyLink(item.policyId, context.navigate), item.round, item.attemptsSoFar, item.name, h('span', { 'data-testid': 'queue-phone' }, item.phone), formatTime(item.notBefore),
    h('button', { type: 'button', 'data-testid': `call-${item.policyId}`, onclick: () => void pick(item) }, t('call')),
  ]);
  return [
    section(t('queue'), 'queue', due.body.length ? table([t('policyId'), t('round'), t('attemptsSoFar'), t('name'), t('phone'), t('notBefore'), ''], rows, 'queue-table') : h('p', { class: 'muted' }, t('queue.empty'))),
    callArea,
    ...(await inboxPanels(context, ['CALLBACK_ROUND'])),
  ];
}
