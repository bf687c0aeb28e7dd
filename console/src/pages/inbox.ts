import type { PageContext } from '../context.js';
import { h, replace, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, outcome, policyLink, section } from '../widgets.js';

export interface InboxItem {
  kind: string; itemId: string; policyId: string; branchId: string; agentId: string; openedAt: string; dueAt: string;
  dueSoon: boolean; overdue: boolean; claimedBy?: string; claimedAt?: string; summary?: string;
}

/**
 * The work inboxes (`GET /v1/inbox?kind=`), one panel per kind, each item claimable by one person.
 */
export async function inboxPanels(context: PageContext, kinds: string[]): Promise<HTMLElement[]> {
  const panels: HTMLElement[] = [];
  for (const kind of kinds) {
    const response = await context.api.get<{ items: InboxItem[] }>(`/v1/inbox?kind=${kind}`);
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
