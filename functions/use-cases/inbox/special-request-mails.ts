import { remindersDue, specialRequestEscalatesAt } from '../../domain/inbox-sla.js';
import { ruleSetByVersion, specialRequestSlaOf } from '../../domain/rule-set.js';
import { logger } from '../../adapters/logger.js';
import type { PolicyState } from '../../lifecycle/policy-state.js';
import { isRequestOpen, requestEntryOf, type SpecialRequestEntry } from '../../lifecycle/special-request-entry.js';
import { specialRequestMail, type SpecialRequestMailTemplate } from '../../lifecycle/special-request-mails.js';
import type { Dependencies } from '../dependencies.js';
import { dispatchMail } from '../notifications/dispatch-mail.js';
import { runPolicyCommand } from '../policy-command.js';
import { currentRequests } from './list-inbox.js';

/** Pending requests read per sweep at most. */
const MAX_SWEPT = 5000;
const WORKFLOW = { role: 'workflow' } as const;

/** Sends a special-request mail to the branch (BRANCH_MANAGER_EMAILS), once: its id is the request's (and the reminder's). */
export async function sendRequestMail(deps: Dependencies, entry: SpecialRequestEntry, template: SpecialRequestMailTemplate, reminder?: number): Promise<boolean> {
  const mail = specialRequestMail(entry, template, reminder);
  return dispatchMail(deps, { id: mail.id, to: deps.recipients.branchManagers(entry.branchId), template: mail.template, data: mail.data });
}

/**
 * The branch's notice of a request just filed (or filed again with the same body). A failed
 * send is logged, not answered as an error: the request is recorded, and the scheduled sweep
 * sends the notice it finds unsent.
 */
export async function noticeFiledRequest(deps: Dependencies, state: PolicyState, requestId: string): Promise<void> {
  const request = state.specialRequests.find((r) => r.requestId === requestId);
  if (!request || !isRequestOpen(state, request)) return;
  try {
    await sendRequestMail(deps, requestEntryOf(state, request), 'special-request-filed');
  } catch (error) {
    logger.warn('special-request notice not sent yet; the sweep will send it', { requestId, error });
  }
}

/** Records reminder `due` of the request unless it is there (or the request closed meanwhile); returns the request's entry after. */
async function recordReminder(deps: Dependencies, entry: SpecialRequestEntry, due: number): Promise<SpecialRequestEntry | undefined> {
  return runPolicyCommand(deps, entry.policyId, WORKFLOW, ({ state }) => {
    const request = state.specialRequests.find((r) => r.requestId === entry.requestId);
    const record = request !== undefined && isRequestOpen(state, request) && (request.escalations ?? 0) < due;
    return {
      event: record ? { type: 'SpecialRequestEscalated', requestId: entry.requestId, reminder: due } : undefined,
      result: (after) => {
        const now = after.specialRequests.find((r) => r.requestId === entry.requestId);
        return now && isRequestOpen(after, now) ? requestEntryOf(after, now) : undefined;
      },
    };
  });
}

/**
 * The scheduled sweep (EventBridge Scheduler on AWS, the virtual clock locally): for each open
 * special request, the branch's notice if it may have been lost (no reminder yet), and the
 * reminder due by now past `escalateAfterDays`, then every `escalateEveryDays`: recorded once in
 * the policy's log (a retried sweep finds it), then mailed once. Several reminders missed while
 * nothing ran become one, numbered as the count due. Returns when the next reminder falls due.
 */
export async function sweepSpecialRequests(deps: Dependencies): Promise<{ open: number; reminded: number; nextReminderAt?: string }> {
  const now = deps.clock.now();
  const entries = await currentRequests(deps, await deps.repository.listOpenRequests(MAX_SWEPT), true);
  let reminded = 0;
  let next: string | undefined;
  for (const entry of entries) {
    const rules = ruleSetByVersion(entry.ruleSet.name, entry.ruleSet.version);
    const due = remindersDue(specialRequestEscalatesAt(entry.filedAt, rules), specialRequestSlaOf(rules).escalateEveryDays, now);
    if (entry.escalations === 0) await sendRequestMail(deps, entry, 'special-request-filed');
    let current: SpecialRequestEntry | undefined = entry;
    if (due > entry.escalations) {
      current = await recordReminder(deps, entry, due);
      reminded++;
    }
    // The latest reminder's mail, once: sent now, or already (a sweep that died before sending leaves it to this one).
    if (current && current.escalations > 0) await sendRequestMail(deps, current, 'special-request-overdue', current.escalations);
    if (current && (next === undefined || current.nextReminderAt < next)) next = current.nextReminderAt;
  }
  return { open: entries.length, reminded, ...(next !== undefined ? { nextReminderAt: next } : {}) };
}
