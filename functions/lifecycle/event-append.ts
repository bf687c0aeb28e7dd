import { GENESIS_HASH, hashEvent } from './event-hash.js';
import type { EventOwner, LogHead, NewEvent, StoredEvent } from './events.js';
import { applyEvent, type PolicyState } from './policy-state.js';
import { projectionOf, type Projection } from './projection.js';
import { signalOf, type WorkflowSignal } from './workflow-signal.js';
import { changedRequestEntries } from './special-request-entry.js';

/** An event timed before the one it follows: the log's time never runs backwards. */
export class EventBeforePredecessorError extends Error {
  override readonly name = 'EventBeforePredecessorError';
  constructor(policyId: string, seq: number, at: string, previousAt: string) {
    super(`event ${seq} of policy ${policyId} at ${at} would be earlier than event ${seq - 1} at ${previousAt}`);
  }
}

/** The instant a new event of this log is recorded at: now, or its predecessor's instant if a clock lags it. */
export function eventTimeAfter(now: Date, lastAt: string | undefined): string {
  return lastAt !== undefined && Date.parse(lastAt) > now.getTime() ? new Date(lastAt).toISOString() : now.toISOString();
}

/** Numbers, times and hash-chains the next event after `head`; refuses one earlier than its predecessor. */
export function chainEvent(policyId: string, head: LogHead, event: NewEvent): StoredEvent {
  const seq = head.version + 1;
  if (head.lastAt !== undefined && Date.parse(event.at) < Date.parse(head.lastAt)) throw new EventBeforePredecessorError(policyId, seq, event.at, head.lastAt);
  // The log records who acted (role, subject) and nothing a caller carries besides (its branch scope, directory flag).
  const actor = { role: event.actor.role, ...(event.actor.subject !== undefined ? { subject: event.actor.subject } : {}) };
  const base = { policyId, seq, at: event.at, actor, data: event.data };
  return { ...base, prevHash: head.lastHash, hash: hashEvent(head.lastHash, base) };
}

export const headOf = (state: PolicyState | undefined): LogHead =>
  (state ? { version: state.version, lastHash: state.lastHash, lastAt: state.lastAt } : { version: 0, lastHash: GENESIS_HASH });

/** Everything an append writes and tells, in order: the event, the view, the workflow's signal. */
export interface AppendPlan {
  readonly event: StoredEvent;
  /** Whose policy it is: the audit index keys ride on the event item. */
  readonly owner: EventOwner;
  readonly state: PolicyState;
  readonly projection: Projection;
  readonly signal?: WorkflowSignal;
}

/**
 * The one append path, pure: hash → fold → projections → what the workflow is told. The
 * repository persists the event (conditionally on its sequence number) and then the
 * projection; the command then sends the signal.
 */
export function planAppend(policyId: string, previous: PolicyState | undefined, event: NewEvent): AppendPlan {
  const policy = event.data.type === 'PolicyRegistered' ? event.data.policy : previous?.policy;
  if (!policy) throw new Error(`policy ${policyId} has no registration to append ${event.data.type} to`);
  const stored = chainEvent(policyId, headOf(previous), event);
  const state = applyEvent(previous, stored);
  const signal = signalOf(previous, state, event.data);
  // Only the special-request entries this event changed are rewritten; the rest stand.
  const { requests: _all, ...projection } = projectionOf(state);
  const requests = changedRequestEntries(previous, state);
  return {
    event: stored,
    owner: { agentId: policy.agent.agentId, branchId: policy.branchId },
    state,
    projection: requests.length > 0 ? { ...projection, requests } : projection,
    ...(signal ? { signal } : {}),
  };
}
