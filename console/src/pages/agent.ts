import type { PageContext } from '../context.js';
import { h, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, policyLink, section } from '../widgets.js';
import { openPolicyBox } from './home.js';
import type { InboxItem } from './inbox.js';

/** An agent's item: the inbox's fields plus what its own kinds add (docs/api.md, Work inboxes). */
interface AgentItem extends InboxItem {
  type?: string;
  nextSettlementCutoff?: string;
}

/** What the item asks for beyond its due date: the request's type, the settlement a missing receipt would be deferred at. */
function detail(item: AgentItem): string {
  if (item.kind === 'SPECIAL_REQUEST' && item.type) return t(`type.${item.type}`);
  if (item.kind === 'RECEIPT_MISSING' && item.nextSettlementCutoff) return `${t('nextSettlement')} ${formatTime(item.nextSettlementCutoff)}`;
  return '';
}

/**
 * An agent: its policies needing action, from its inbox (`GET /v1/inbox`: open contact windows,
 * missing receipts, its pending special requests), earliest due first, each linking to the policy.
 */
export async function agentPage(context: PageContext): Promise<HTMLElement[]> {
  const response = await context.api.get<{ items: AgentItem[] }>('/v1/inbox?limit=1000');
  const rows = response.ok
    ? response.body.items.map((item) => [
      t(`kind.${item.kind}`), policyLink(item.policyId, context.navigate),
      h('span', { class: item.overdue ? 'err' : item.dueSoon ? 'warn' : '', 'data-testid': `due-${item.kind}-${item.itemId}` },
        `${formatTime(item.dueAt)}${item.overdue ? ` · ${t('overdue')}` : item.dueSoon ? ` · ${t('dueSoon')}` : ''}`),
      detail(item),
    ])
    : [];
  return [
    section(t('myPolicies'), 'my-policies', h('p', { class: 'muted' }, t('myPolicies.note')),
      !response.ok ? failure(response)
        : rows.length ? table([t('kind'), t('policyId'), t('dueBy'), ''], rows, 'my-policies-table') : h('p', { class: 'muted' }, t('none'))),
    openPolicyBox(context),
  ];
}
