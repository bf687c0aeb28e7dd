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
 * concurrent duplicates resolve to exactly one effect. Waits are completed after the append.
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
    if (decision.signal) await sendSignal(deps, policyId, decision.signal, loaded.tokens);
    return decision.result(state);
  }
  throw new ConflictError('CONTENTION', `policy ${policyId} is being changed concurrently; retry`);
}

/**
 * Completes the waits a fact ends, with the tokens read along with the log. A wait parked (or
 * parked again by a resumed execution) after that read has no token or a stale one there, so
 * those steps are tried once more with the tokens as stored now; cancellation always re-reads.
 */
export async function sendSignal(deps: Dependencies, policyId: string, signal: Signal, known: Readonly<Record<string, string>> = {}): Promise<void> {
  if (signal.kind === 'failAll') {
    const tokens = await deps.repository.loadTokens(policyId);
    await Promise.all(Object.values(tokens).map((token) => delivered(deps.workflow.failTask(token, signal.error, signal.cause))));
    return;
  }
  const complete = async (tokens: Readonly<Record<string, string>>, steps: readonly WaitStep[]) => {
    const outcomes = await Promise.all(steps.map(async (step) => {
      const token = tokens[step];
      return token !== undefined && (await delivered(deps.workflow.completeTask(token, signal.output))) ? [] : [step];
    }));
    return outcomes.flat();
  };
  const missed = await complete(known, signal.steps);
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
