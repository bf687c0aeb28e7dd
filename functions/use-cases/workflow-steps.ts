import { contactWindowClosesAt, escalationDueAt, roundDeadline } from '../domain/calendar.js';
import { ruleSetByVersion, type RuleSet } from '../domain/rule-set.js';
import { eventTimeAfter } from '../lifecycle/event-append.js';
import type { EventData } from '../lifecycle/events.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import type { LoadedPolicy } from '../ports/policy-repository.js';
import { projectionOf } from '../lifecycle/projection.js';
import { roundOf } from '../lifecycle/stage.js';
import { type WaitStep, waitOutcome } from '../lifecycle/workflow-signal.js';
import { planWorkflow, remindersDueBy, secondsUntilNextEscalation, type WorkflowPlan } from '../lifecycle/workflow-plan.js';
import type { Dependencies } from './dependencies.js';
import { NotFoundError, PolicyCancelledError } from './errors.js';
import { runPolicyCommand } from './policy-command.js';
import { localTime, notify } from './notify.js';

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

/** First state of every execution: where each track stands, so a new execution resumes it (ARCHITECTURE.md §4). */
export async function loadLifecycle(deps: Dependencies, policyId: string): Promise<WorkflowPlan> {
  const loaded = await loadOpen(deps, policyId);
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
    if (loaded.state.contactWindow) return;
    const closesAt = contactWindowClosesAt(nowFor(deps, loaded.state), rulesOf(loaded.state)).toISOString();
    const state = await recordOnce(deps, loaded, (current) => current.contactWindow !== undefined, { type: 'ContactWindowOpened', closesAt });
    await notify(deps, state, 'contact-update-required', ['agent'], { closesAtLocal: localTime(closesAt, state.policy.timeZone) });
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
    if (loaded.state.manualVisit) return;
    const dueBy = escalationDueAt(nowFor(deps, loaded.state), rulesOf(loaded.state).manualVisit.escalateAfterDays).toISOString();
    const state = await recordOnce(deps, loaded, (current) => current.manualVisit !== undefined, { type: 'ManualVisitOrdered', dueBy });
    await notify(deps, state, 'commission-held-manual-visit', ['branchManager'], { dueByLocal: localTime(dueBy, state.policy.timeZone) });
  });
}

const findingsText = (s: PolicyState): string => {
  const reported = s.rounds.flatMap((r) => r.attempts.map((a) => a.findings));
  const proxy = reported.some((f) => f?.proxySignature);
  const misleading = reported.some((f) => f?.misleading);
  return [proxy ? '代签名' : '', misleading ? '误导销售' : ''].filter(Boolean).join('、') || '异常情况';
};

export async function awaitReview(deps: Dependencies, policyId: string, token: string): Promise<void> {
  await park(deps, policyId, 'review', token, async (loaded) => {
    if (loaded.state.review) return;
    const dueBy = escalationDueAt(nowFor(deps, loaded.state), rulesOf(loaded.state).review.escalateAfterDays).toISOString();
    const state = await recordOnce(deps, loaded, (current) => current.review !== undefined, { type: 'ReviewOpened', dueBy });
    await notify(deps, state, 'findings-review', ['branchManager', 'compliance'], { dueByLocal: localTime(dueBy, state.policy.timeZone), findingsText: findingsText(state) });
  });
}

/** A wait's timer may fire a moment before the instant computed by the step that parked it (it starts first). */
const REMINDER_TIMER_SLACK_MS = 60_000;

/**
 * A manual visit or review overdue: remind (daily by default) until it is reported. Returns
 * the seconds until the next reminder, which the state machine waits before asking again.
 */
async function escalate(deps: Dependencies, policyId: string, kind: 'manualVisit' | 'review'): Promise<{ timeoutSeconds: number }> {
  const now = deps.clock.now();
  const pending = (s: PolicyState) => (kind === 'manualVisit' ? (s.manualVisit && !s.manualVisit.outcome ? s.manualVisit : undefined) : (s.review && !s.review.decision ? s.review : undefined));
  const everyDays = (s: PolicyState) => (kind === 'manualVisit' ? rulesOf(s).manualVisit.escalateEveryDays : rulesOf(s).review.escalateEveryDays);
  let escalated = false;
  const state = await runPolicyCommand(deps, policyId, WORKFLOW, ({ state: s }) => {
    const open = s.cancelled ? undefined : pending(s);
    // Once per reminder due: a step retried after a crash finds this one recorded.
    const firedAt = new Date(nowFor(deps, s).getTime() + REMINDER_TIMER_SLACK_MS);
    escalated = open !== undefined && open.escalations < remindersDueBy(open.dueBy, everyDays(s), firedAt);
    return {
      event: open && escalated ? { type: kind === 'manualVisit' ? 'ManualVisitEscalated' : 'ReviewEscalated', overdueSince: open.dueBy } : undefined,
      result: (after) => after,
    };
  });
  const open = pending(state);
  if (!open) return { timeoutSeconds: 1 };
  if (!escalated) return { timeoutSeconds: secondsUntilNextEscalation(open.dueBy, everyDays(state), now) };
  const data = { dueByLocal: localTime(open.dueBy, state.policy.timeZone), reminderNumber: String(open.escalations) };
  if (kind === 'manualVisit') await notify(deps, state, 'manual-visit-overdue', ['branchManager'], data);
  else await notify(deps, state, 'review-overdue', ['branchManager', 'compliance'], data);
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
