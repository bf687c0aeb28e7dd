import type { PageContext } from '../context.js';
import { inboxPanels } from './inbox.js';

/** Branch coordinators: the inboxes (special requests, manual visits); the visit form is on the policy page. */
export async function branchPage(context: PageContext): Promise<HTMLElement[]> {
  return inboxPanels(context, ['SPECIAL_REQUEST', 'MANUAL_VISIT']);
}
