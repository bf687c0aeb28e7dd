import type { Actor, EventData } from '../lifecycle/events.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import { ConcurrentAppendError, type LoadedPolicy } from '../ports/policy-repository.js';
import type { Dependencies } from './dependencies.js';
import { ConflictError, NotFoundError } from './errors.js';

/** A wait the lifecycle is parked on, by step: `round1`, `contactWindow`, `receipt`, ... */
export type WaitStep = 'firstCallbackDate' | 'round1' | 'round2' | 'contactWindow' | 'manualVisit' | 'review' | 'receipt';

export type Signal =
  | { readonly kind: 'complete'; readonly steps: readonly WaitStep[]; readonly output: unknown }
  | { readonly kind: 'failAll'; readonly error: string; readonly cause: string };

export interface Decision<R> {
  /** The fact to append; none means the command was already applied (idempotent replay). */
  readonly event?: EventData;
  readonly signal?: Signal;
  readonly result: (state: PolicyState) => R;
}

const MAX_ATTEMPTS = 10;

/**
 * Load the log, decide, append conditionally; on a lost race reload and decide again, so
 * concurrent duplicates resolve to exactly one effect. Waits are completed after the append
 * (tokens re-read then, so a wait parked meanwhile is not missed).
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
    if (!loaded) throw new NotFoundError(`policy ${policyId} not found`);
    const decision = decide(loaded);
    if (!decision.event) return decision.result(loaded.state);
    let state: PolicyState;
    try {
      ({ state } = await deps.repository.append(policyId, loaded.state, { at: deps.clock.now().toISOString(), actor, data: decision.event }));
    } catch (error) {
      if (error instanceof ConcurrentAppendError) continue;
      throw error;
    }
    if (decision.signal) await sendSignal(deps, policyId, decision.signal);
    return decision.result(state);
  }
  throw new ConflictError('CONTENTION', `policy ${policyId} is being changed concurrently; retry`);
}

export async function sendSignal(deps: Dependencies, policyId: string, signal: Signal): Promise<void> {
  const tokens = await deps.repository.loadTokens(policyId);
  if (signal.kind === 'failAll') {
    await Promise.all(Object.values(tokens).map((token) => ignoreStale(deps.workflow.failTask(token, signal.error, signal.cause))));
    return;
  }
  await Promise.all(signal.steps.flatMap((step) => {
    const token = tokens[step];
    return token ? [ignoreStale(deps.workflow.completeTask(token, signal.output))] : [];
  }));
}

const STALE_TOKEN_ERRORS = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** A wait that already ended (timed out, completed by the other side) is not an error. */
async function ignoreStale(sending: Promise<void>): Promise<void> {
  try {
    await sending;
  } catch (error) {
    if (!(error instanceof Error && STALE_TOKEN_ERRORS.has(error.name))) throw error;
  }
}
