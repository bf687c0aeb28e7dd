import type { PageContext } from '../context.js';
import { h, table } from '../dom.js';
import { code, formatTime, t } from '../i18n.js';
import { policyLink, section } from '../widgets.js';
import { openPolicyBox } from './home.js';
import type { PolicyView } from './policy-view.js';

const key = (subject: string | undefined) => `console.agent.policies.${subject ?? '-'}`;

/** Remembers a policy the agent opened (the API has no "my policies" list yet: docs/console.md). */
export function rememberPolicy(subject: string | undefined, policyId: string): void {
  const known = knownPolicies(subject).filter((id) => id !== policyId);
  localStorage.setItem(key(subject), JSON.stringify([policyId, ...known].slice(0, 50)));
}

function knownPolicies(subject: string | undefined): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(subject)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** An agent: its policies needing action — an open contact window and its deadline, a missing receipt. */
export async function agentPage(context: PageContext): Promise<HTMLElement[]> {
  const ids = knownPolicies(context.identity.subject);
  const views = await Promise.all(ids.map((id) => context.api.get<PolicyView>(`/v1/policies/${encodeURIComponent(id)}`)));
  const rows = views.flatMap((response) => {
    if (!response.ok) return [];
    const view = response.body;
    const window = view.callback.contactWindow;
    const windowOpen = view.stage === 'CONTACT_UPDATE' && window && !window.outcome;
    const receiptMissing = view.receipt.status === 'PENDING';
    return [[
      policyLink(view.policyId, context.navigate), code(view.stage),
      windowOpen ? h('strong', { class: 'warn' }, `${t('deadline')} ${formatTime(window.closesAt, view.timeZone)}`) : '—',
      receiptMissing ? h('span', { class: view.receipt.late ? 'err' : 'warn' }, t('receiptMissing')) : code(view.receipt.status),
      `${view.commission.net} / ${code(view.commission.status)}`,
      view.specialRequests.map((request) => `${t(`type.${request.type}`)} ${code(request.status)}`).join(', ') || '—',
    ]];
  });
  return [
    section(t('myPolicies'), 'my-policies', h('p', { class: 'muted' }, t('myPolicies.note')),
      rows.length ? table([t('policyId'), t('stage'), t('contactWindow'), t('receipt'), t('commission'), t('specialRequests')], rows, 'my-policies-table') : null),
    openPolicyBox(context, (policyId) => rememberPolicy(context.identity.subject, policyId)),
  ];
}
