import { contactWindowClosesAt, escalationDueAt, roundDeadline } from '../../domain/calendar.js';
import { ruleSetByVersion, type RuleSet } from '../../domain/rule-set.js';
import { eventTimeAfter } from '../../lifecycle/event-append.js';
import type { EventData, EventType } from '../../lifecycle/events.js';
import { lastFactOf, MAIL_EVENT_TYPES, type RecordedFact } from '../../lifecycle/policy-mails.js';
import type { PolicyState } from '../../lifecycle/policy-state.js';
import type { LoadedPolicy } from '../../ports/policy-repository.js';
import { projectionOf } from '../../lifecycle/projection.js';
import { roundOf } from '../../lifecycle/stage.js';
import { type WaitStep, waitOutcome } from '../../lifecycle/workflow-signal.js';
import { planWorkflow, remindersDueBy, secondsUntilNextEscalation, type WorkflowPlan } from '../../lifecycle/workflow-plan.js';
import type { Dependencies } from '../dependencies.js';
import { dispatchFactMails } from '../notifications/dispatch-mail.js';
import { NotFoundError, PolicyCancelledError } from '../errors.js';
import { runPolicyCommand } from '../policy-command.js';

const WORKFLOW = { role: 'workflow' } as const;

export const rulesOf = (state: PolicyState): RuleSet => ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);

async function loadOpen(deps: Dependencies, policyId: string) {
  const loaded = await deps.repository.load(policyId);
  if (!loaded) throw new NotFoundError(`policy ${policyId} not found`);
  // Heals a projection left behind by a crash between an append and its view write (a cancelled one too).
  if (loaded.viewVersion < loaded.state.version) await deps.repository.project(projectionOf(loaded.state));
  if (loaded.state.cancelled) throw new PolicyCancelledError(`policy ${policyId} was cancelled`);
  return loaded;
}

/** Business time for a step of this log: the clock, never before the log's last event. */
const nowFor = (deps: Dependencies, state: PolicyState): Date => new Date(eventTimeAfter(deps.clock.now(), state.lastAt));

/** First state of every execution: where each track stands, so a new execution resumes it (docs/architecture.md §4). */
export async function loadLifecycle(deps: Dependencies, policyId: string): Promise<WorkflowPlan> {
  const loaded = await loadOpen(deps, policyId);
  // A crash may have come between the last fact that implies a mail and its send: send it now (once).
  await dispatchFactMails(deps, lastFactOf(loaded.events, MAIL_EVENT_TYPES));
  return planWorkflow(loaded.state, rulesOf(loaded.state), nowFor(deps, loaded.state));
}

/**
 * Parks a wait: stores its token first, then looks at the log. If the awaited fact is already
 * there (it raced the wait, or this is a resumed execution) the wait completes at once;
 * otherwise `enter` records that the stage began (once).
 */
async function park(
  deps: Dependencies,
  policyId: string,
  step: WaitStep,
  token: string,
  enter?: (loaded: LoadedPolicy) => Promise<void>,
): Promise<void> {
  await deps.repository.saveToken(policyId, step, token);
  const loaded = await loadOpen(deps, policyId);
  const outcome = waitOutcome(loaded.state, step);
  if (outcome) {
    await deps.workflow.completeTask(token, { status: outcome });
    return;
  }
  if (enter) await enter(loaded);
}

const exempt = (s: PolicyState) => (s.callbackOutcome === 'EXEMPT' ? 'EXEMPT' : undefined);

/** Records that a stage began, once: a resumed or raced step finds it already there. */
function recordOnce(deps: Dependencies, loaded: LoadedPolicy, begun: (s: PolicyState) => boolean, event: EventData): Promise<PolicyState> {
  return runPolicyCommand(deps, loaded.state.policy.policyId, WORKFLOW, ({ state }) => ({
    event: begun(state) ? undefined : event,
    result: (after) => after,
  }), loaded);
}

/**
 * Records a fact that implies mails unless `begun` says it is there, and returns it as
 * recorded: the one just appended, or the one a resumed or retried step finds in the log.
 */
async function recordMailFact(deps: Dependencies, loaded: LoadedPolicy, begun: (s: PolicyState) => boolean, event: EventData): Promise<RecordedFact | undefined> {
  let seen = loaded;
  const after = await runPolicyCommand(deps, loaded.state.policy.policyId, WORKFLOW, (current) => {
    seen = current;
    return { event: begun(current.state) ? undefined : event, result: (state) => state };
  }, loaded);
  if (after.version > seen.state.version) return { seq: after.version, data: event, after };
  return lastFactOf(seen.events, [event.type]);
}

/** Sends the mails of the stage's opening fact (once): the step recorded it, or a crash cut in before the send. */
const mailsOfRecorded = (deps: Dependencies, loaded: LoadedPolicy, type: EventType) => dispatchFactMails(deps, lastFactOf(loaded.events, [type]));

export async function awaitFirstCallbackDate(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'firstCallbackDate', token);
}

export async function openCallbackRound(deps: Dependencies, policyId: string, round: 1 | 2, token: string): Promise<void> {
  await park(deps, policyId, round === 1 ? 'round1' : 'round2', token,
    async (loaded) => {
      if (roundOf(loaded.state, round)) return;
      const now = nowFor(deps, loaded.state);
      await recordOnce(deps, loaded, (state) => roundOf(state, round) !== undefined, {
        type: 'CallbackRoundOpened', round, notBefore: now.toISOString(), deadline: roundDeadline(now, rulesOf(loaded.state)).toISOString(),
      });
    });
}

/** The round's deadline passed with no result: it closes as failed (unless a result just arrived). */
export async function closeRoundTimedOut(deps: Dependencies, policyId: string, round: 1 | 2): Promise<{ status: string }> {
  return runPolicyCommand(deps, policyId, WORKFLOW, ({ state }) => {
    if (state.cancelled) throw new PolicyCancelledError(`policy ${policyId} was cancelled`);
    const open = roundOf(state, round)?.status === 'OPEN' && !state.callbackOutcome;
    return {
      event: open ? { type: 'CallbackRoundTimedOut', round } : undefined,
      result: (s) => ({ status: exempt(s) ?? roundOf(s, round)?.status ?? 'FAILED' }),
    };
  });
}

export async function openContactWindow(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'contactWindow', token, async (loaded) => {
    if (loaded.state.contactWindow) return mailsOfRecorded(deps, loaded, 'ContactWindowOpened');
    const closesAt = contactWindowClosesAt(nowFor(deps, loaded.state), rulesOf(loaded.state)).toISOString();
    await dispatchFactMails(deps, await recordMailFact(deps, loaded, (current) => current.contactWindow !== undefined, { type: 'ContactWindowOpened', closesAt }));
  });
}

export async function closeContactWindow(deps: Dependencies, policyId: string): Promise<void> {
  await runPolicyCommand(deps, policyId, WORKFLOW, ({ state }) => ({
    event: state.contactWindow && !state.contactWindow.outcome && !state.cancelled ? { type: 'ContactWindowClosedUnanswered' } : undefined,
    result: () => undefined,
  }));
}

export async function awaitManualVisit(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'manualVisit', token, async (loaded) => {
    if (loaded.state.manualVisit) return mailsOfRecorded(deps, loaded, 'ManualVisitOrdered');
    const dueBy = escalationDueAt(nowFor(deps, loaded.state), rulesOf(loaded.state).manualVisit.escalateAfterDays).toISOString();
    await dispatchFactMails(deps, await recordMailFact(deps, loaded, (current) => current.manualVisit !== undefined, { type: 'ManualVisitOrdered', dueBy }));
  });
}

export async function awaitReview(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'review', token, async (loaded) => {
    if (loaded.state.review) return mailsOfRecorded(deps, loaded, 'ReviewOpened');
    const dueBy = escalationDueAt(nowFor(deps, loaded.state), rulesOf(loaded.state).review.escalateAfterDays).toISOString();
    await dispatchFactMails(deps, await recordMailFact(deps, loaded, (current) => current.review !== undefined, { type: 'ReviewOpened', dueBy }));
  });
}

/** A wait's timer may fire a moment before the instant computed by the step that parked it (it starts first). */
const REMINDER_TIMER_SLACK_MS = 60_000;

/**
 * A manual visit or review overdue: remind (daily by default) until it is reported. Reminder n
 * falls due `every` days after reminder n-1, so a retried step finds its reminder recorded and
 * appends none (its mail is sent once). Returns the seconds until the next reminder, which the
 * state machine waits before asking again.
 */
async function escalate(deps: Dependencies, policyId: string, kind: 'manualVisit' | 'review'): Promise<{ timeoutSeconds: number }> {
  const now = deps.clock.now();
  const type = kind === 'manualVisit' ? 'ManualVisitEscalated' : 'ReviewEscalated';
  const pending = (s: PolicyState) => (kind === 'manualVisit' ? (s.manualVisit && !s.manualVisit.outcome ? s.manualVisit : undefined) : (s.review && !s.review.decision ? s.review : undefined));
  const everyDays = (s: PolicyState) => (kind === 'manualVisit' ? rulesOf(s).manualVisit.escalateEveryDays : rulesOf(s).review.escalateEveryDays);
  let seen: LoadedPolicy | undefined;
  const state = await runPolicyCommand(deps, policyId, WORKFLOW, (current) => {
    seen = current;
    const s = current.state;
    const open = s.cancelled ? undefined : pending(s);
    // Once per reminder due: a step retried after a crash finds this one recorded.
    const firedAt = new Date(nowFor(deps, s).getTime() + REMINDER_TIMER_SLACK_MS);
    const due = open !== undefined && open.escalations < remindersDueBy(open.dueBy, everyDays(s), firedAt);
    return { event: open && due ? { type, overdueSince: open.dueBy } : undefined, result: (after) => after };
  });
  const open = pending(state);
  if (!open) return { timeoutSeconds: 1 };
  const appended = seen !== undefined && state.version > seen.state.version;
  // A retried step finds its reminder recorded: its mail goes out (once) in case a crash came before the send.
  await dispatchFactMails(deps, appended ? { seq: state.version, data: { type, overdueSince: open.dueBy }, after: state } : seen && lastFactOf(seen.events, [type]));
  return { timeoutSeconds: secondsUntilNextEscalation(open.dueBy, everyDays(state), now) };
}

export const escalateManualVisit = (deps: Dependencies, policyId: string) => escalate(deps, policyId, 'manualVisit');
export const escalateReview = (deps: Dependencies, policyId: string) => escalate(deps, policyId, 'review');

export async function awaitReceipt(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'receipt', token);
}

export async function recordReceiptNeverReturned(deps: Dependencies, policyId: string): Promise<void> {
  await runPolicyCommand(deps, policyId, WORKFLOW, ({ state }) => ({
    event: state.receipt.status === 'PENDING' && !state.cancelled ? { type: 'ReceiptNeverReturned' } : undefined,
    result: () => undefined,
  }));
}
