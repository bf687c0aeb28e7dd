import type { PageContext } from '../context.js';
import { t } from '../i18n.js';
import { inboxPanels, openWorkPanel } from './inbox.js';

/** Branch coordinators: the inboxes (special requests, manual visits); the visit form is on the policy page. */
export async function branchPage(context: PageContext): Promise<HTMLElement[]> {
  const inbox = await inboxPanels(context, ['SPECIAL_REQUEST', 'MANUAL_VISIT']);
  return inbox.length ? inbox : [await openWorkPanel(context, '/v1/manual-visits/open?limit=200', t('openVisits'), 'open-visits')];
}
