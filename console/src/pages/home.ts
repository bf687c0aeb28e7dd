import type { PageContext } from '../context.js';
import { fields, h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { field, section } from '../widgets.js';
import { agentPage } from './agent.js';
import { auditorPage } from './auditor.js';
import { branchPage } from './branch.js';
import { callCentrePage } from './callcentre.js';
import { compliancePage } from './compliance.js';
import { managerPage } from './manager.js';
import { optionalPanel } from './optional.js';

/** "Open a policy": the deep link `/policies/{id}` for whoever is signed in. */
export function openPolicyBox(context: PageContext, onOpen?: (policyId: string) => void): HTMLElement {
  const form = h('form', {
    class: 'inline',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const { policyId } = fields(form);
      if (!policyId) return;
      onOpen?.(policyId);
      context.navigate(`/policies/${encodeURIComponent(policyId)}`);
    },
  }, field(t('policyId'), h('input', { name: 'policyId', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', 'data-testid': 'open-policy-id' })), h('button', { type: 'submit' }, t('open')));
  return section(t('openPolicy'), 'open-policy', form);
}

export async function rolePage(context: PageContext, main: HTMLElement): Promise<void> {
  replace(main, h('p', { class: 'muted' }, t('loading')));
  const pages: Record<string, (context: PageContext) => Promise<HTMLElement[]>> = {
    callcentre: callCentrePage, agent: agentPage, branch: branchPage, compliance: compliancePage, manager: managerPage, auditor: auditorPage,
    admin: async (c) => [await optionalPanel(c, '/v1/staff', t('staff'), 'staff', ['subjectId', 'name', 'email', 'roles', 'branchId'])].filter((p): p is HTMLElement => p !== null),
  };
  const page = pages[context.identity.role];
  const panels = page ? await page(context) : [];
  replace(main, h('h1', {}, `${t(`role.${context.identity.role}`)} · ${t('home')}`), ...panels, context.identity.role === 'agent' ? null : openPolicyBox(context));
}
