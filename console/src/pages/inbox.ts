import type { PageContext } from '../context.js';
import { h, replace, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, outcome, policyLink, section } from '../widgets.js';

export interface InboxItem {
  kind: string; itemId: string; policyId: string; branchId: string; agentId: string; openedAt: string; dueAt: string;
  dueSoon: boolean; overdue: boolean; claimedBy?: string; claimedAt?: string; summary?: string;
}

/**
 * The work inboxes (`GET /v1/inbox?kind=`), one panel per kind. Returns no panel at all when
 * the API has no inbox (404) — the pages then use the older open lists.
 */
export async function inboxPanels(context: PageContext, kinds: string[]): Promise<HTMLElement[]> {
  const panels: HTMLElement[] = [];
  for (const kind of kinds) {
    const response = await context.api.get<{ items: InboxItem[] }>(`/v1/inbox?kind=${kind}`);
    if (response.status === 404 || response.status === 405) return [];
    if (!response.ok) { panels.push(section(t(`inbox.${kind}`), `inbox-${kind}`, failure(response))); continue; }
    const result = h('div', {});
    const claim = async (item: InboxItem, method: 'POST' | 'DELETE') => {
      const answer = await context.api.call(method, `/v1/inbox/${kind}/${encodeURIComponent(item.itemId)}/claim`);
      replace(result, outcome(answer, t('saved')));
      if (answer.ok) context.refresh();
    };
    const rows = response.body.items.map((item) => [
      policyLink(item.policyId, context.navigate), item.branchId, item.agentId, item.summary ?? '',
      h('span', { class: item.overdue ? 'err' : item.dueSoon ? 'warn' : '' }, `${formatTime(item.dueAt)}${item.overdue ? ` · ${t('overdue')}` : item.dueSoon ? ` · ${t('dueSoon')}` : ''}`),
      item.claimedBy ?? '',
      item.claimedBy === context.identity.subject
        ? h('button', { type: 'button', onclick: () => void claim(item, 'DELETE') }, t('release'))
        : item.claimedBy ? '' : h('button', { type: 'button', onclick: () => void claim(item, 'POST') }, t('claim')),
    ]);
    panels.push(section(t(`inbox.${kind}`), `inbox-${kind}`,
      rows.length ? table([t('policyId'), t('branch'), t('agent'), '', t('dueBy'), t('claimedBy'), ''], rows) : h('p', { class: 'muted' }, t('none')), result));
  }
  return panels;
}

interface OpenWork { policyId: string; branchId: string; agentId: string; dueBy: string; overdue: boolean; policyholder?: { name: string; phone: string; address?: string } }

/** `GET /v1/manual-visits/open` or `/v1/reviews/open`: oldest due first. */
export async function openWorkPanel(context: PageContext, path: string, title: string, testId: string): Promise<HTMLElement> {
  const response = await context.api.get<OpenWork[]>(path);
  if (!response.ok) return section(title, testId, failure(response));
  const rows = response.body.map((item) => [
    policyLink(item.policyId, context.navigate), item.branchId, item.agentId,
    item.policyholder ? `${item.policyholder.name} ${item.policyholder.phone}` : '',
    h('span', { class: item.overdue ? 'err' : '' }, `${formatTime(item.dueBy)}${item.overdue ? ` · ${t('overdue')}` : ''}`),
  ]);
  return section(title, testId, rows.length ? table([t('policyId'), t('branch'), t('agent'), t('customer'), t('dueBy')], rows) : h('p', { class: 'muted' }, t('none')));
}
