import type { PageContext } from '../context.js';
import { t } from '../i18n.js';
import { inboxPanels, openWorkPanel } from './inbox.js';

/** Compliance: the review inbox; each review opens the policy page (call record, timeline, review form). */
export async function compliancePage(context: PageContext): Promise<HTMLElement[]> {
  const inbox = await inboxPanels(context, ['REVIEW']);
  return inbox.length ? inbox : [await openWorkPanel(context, '/v1/reviews/open?limit=200', t('openReviews'), 'open-reviews')];
}
