import { eventTimeAfter, planAppend } from '../lifecycle/event-append.js';
import type { Actor, EventData } from '../lifecycle/events.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import { projectionOf } from '../lifecycle/projection.js';
import { signalsDue, type WaitStep, type WorkflowSignal } from '../lifecycle/workflow-signal.js';
import { ConcurrentAppendError, type LoadedPolicy } from '../ports/policy-repository.js';
import type { Dependencies } from './dependencies.js';
import { ConflictError } from './errors.js';
import { policyNotFound } from './guards.js';

export interface Decision<R> {
  /** The fact to append; none means the command was already applied (idempotent replay) or has nothing to do. */
  readonly event?: EventData;
  readonly result: (state: PolicyState) => R;
}

const MAX_ATTEMPTS = 10;
/** The actor role of the workflow's own steps: a step retried finds its fact and has told nobody anything. */
const WORKFLOW_ROLE = 'workflow';

/**
 * Load the log, decide, append conditionally; on a lost race reload and decide again, so
 * concurrent duplicates resolve to exactly one effect. The append is planned by the lifecycle
 * core (event, view, signal) and carried out in that order: event, view, then the waits it ends.
 * A command that finds its fact already applied finishes what a crashed first attempt may have
 * left undone: the view (when behind the log) and, for a request, the workflow's signal.
 */
export async function runPolicyCommand<R>(
  deps: Dependencies,
  policyId: string,
  actor: Actor,
  decide: (loaded: LoadedPolicy) => Decision<R>,
  /** The log as the caller just read it: the first attempt decides on it without reading again. */
  alreadyLoaded?: LoadedPolicy,
): Promise<R> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const loaded = attempt === 0 && alreadyLoaded ? alreadyLoaded : await deps.repository.load(policyId);
    if (!loaded) throw policyNotFound(policyId, actor);
    const decision = decide(loaded);
    if (!decision.event) {
      await completeApplied(deps, loaded, actor);
      return decision.result(loaded.state);
    }
    const plan = planAppend(policyId, loaded.state, { at: eventTimeAfter(deps.clock.now(), loaded.state.lastAt), actor, data: decision.event });
    try {
      await deps.repository.appendEvent(plan.event, plan.owner);
    } catch (error) {
      if (error instanceof ConcurrentAppendError) continue;
      throw error;
    }
    await deps.repository.project(plan.projection);
    if (plan.signal) await sendSignal(deps, policyId, plan.signal, loaded.tokens);
    return decision.result(plan.state);
  }
  throw new ConflictError('CONTENTION', `policy ${policyId} is being changed concurrently; retry`);
}

/**
 * The log already holds the fact: heal a view left behind it, and tell the workflow again what
 * the log says (a request's replay; the waits it ended refuse their stale tokens harmlessly).
 * Tokens are those read with the log: a wait parked later finds its outcome when it parks.
 */
async function completeApplied(deps: Dependencies, loaded: LoadedPolicy, actor: Actor): Promise<void> {
  if (loaded.viewVersion < loaded.state.version) await deps.repository.project(projectionOf(loaded.state));
  if (actor.role === WORKFLOW_ROLE) return;
  const due = signalsDue(loaded.state);
  if (!due) return;
  if (due.kind === 'failAll') {
    await sendSignal(deps, loaded.state.policy.policyId, due);
    return;
  }
  const parked = due.waits.filter((w) => loaded.tokens[w.step] !== undefined);
  await Promise.all(parked.map((w) => delivered(deps.workflow.completeTask(loaded.tokens[w.step] as string, { status: w.status }))));
}

/**
 * Completes the waits a fact ends, with the tokens read along with the log. A wait parked (or
 * parked again by a resumed execution) after that read has no token or a stale one there, so
 * those steps are tried once more with the tokens as stored now; cancellation always re-reads.
 */
export async function sendSignal(deps: Dependencies, policyId: string, signal: WorkflowSignal, known: Readonly<Record<string, string>> = {}): Promise<void> {
  if (signal.kind === 'failAll') {
    const tokens = await deps.repository.loadTokens(policyId);
    await Promise.all(Object.values(tokens).map((token) => delivered(deps.workflow.failTask(token, signal.error, signal.cause))));
    return;
  }
  const status = new Map<WaitStep, string>(signal.waits.map((w) => [w.step, w.status]));
  const complete = async (tokens: Readonly<Record<string, string>>, steps: readonly WaitStep[]) => {
    const outcomes = await Promise.all(steps.map(async (step) => {
      const token = tokens[step];
      return token !== undefined && (await delivered(deps.workflow.completeTask(token, { status: status.get(step) }))) ? [] : [step];
    }));
    return outcomes.flat();
  };
  const missed = await complete(known, [...status.keys()]);
  if (missed.length === 0) return;
  const fresh = await deps.repository.loadTokens(policyId);
  await complete(fresh, missed.filter((step) => fresh[step] !== undefined && fresh[step] !== known[step]));
}

const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** False when the wait already ended (timed out, completed by the other side): not an error. */
async function delivered(sending: Promise<void>): Promise<boolean> {
  try {
    await sending;
    return true;
  } catch (error) {
    if (error instanceof Error && STALE_TOKEN_ERRORS.has(error.name)) return false;
    throw error;
  }
}
