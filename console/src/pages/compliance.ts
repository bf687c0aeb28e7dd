import type { PageContext } from '../context.js';
import { inboxPanels } from './inbox.js';

/** Compliance: the review inbox; each review opens the policy page (call record, timeline, review form). */
export async function compliancePage(context: PageContext): Promise<HTMLElement[]> {
  return inboxPanels(context, ['REVIEW']);
}
