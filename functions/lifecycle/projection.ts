import type { CommissionFacts } from '../domain/settlement-decision.js';
import type { LogHead } from './events.js';
import type { WorkItem } from './work-item.js';
import { commissionFactsOf, isCommissionUnpaid } from './commission-facts.js';
import type { StoredEvent } from './events.js';
import type { PolicyState } from './policy-state.js';
import { workItemOf } from './work-item.js';
import { requestEntriesOf, type SpecialRequestEntry } from './special-request-entry.js';
import { type AgentWork, agentWorkOf } from './agent-work.js';


/** An unpaid commission as the settlement reads it from the sparse index. */
export interface UnpaidCommission {
  readonly policyId: string;
  /** The log head the view was projected from: the settlement appends after it without a read. */
  readonly head: LogHead;
  readonly facts: CommissionFacts;
  /** The lifecycle still waits for something (its view is in a work queue). */
  readonly lifecycleOpen: boolean;
}

/**
 * What the view item of a policy holds, derived from its fold: the log head it was projected
 * from (so a reader can prove it current: no event `version + 1` exists), its work queue entry
 * while the lifecycle is open, what a settlement decides on while the commission is unpaid, and
 * the owning agent's open tasks while there are any.
 */
export interface Projection {
  readonly policyId: string;
  readonly version: number;
  readonly lastHash: string;
  readonly lastAt: string;
  readonly work?: WorkItem;
  readonly commissionFacts?: CommissionFacts;
  readonly agentWork?: AgentWork;
  /** Special-request inbox entries to (re)write: all of the policy's when rebuilt from the log, only those an append changed. */
  readonly requests?: readonly SpecialRequestEntry[];
}

export function projectionOf(state: PolicyState): Projection {
  const work = workItemOf(state);
  const requests = requestEntriesOf(state);
  const agentWork = agentWorkOf(state);
  return {
    policyId: state.policy.policyId,
    version: state.version,
    lastHash: state.lastHash,
    lastAt: state.lastAt,
    ...(work ? { work } : {}),
    ...(isCommissionUnpaid(state) ? { commissionFacts: commissionFactsOf(state) } : {}),
    ...(agentWork ? { agentWork } : {}),
    ...(requests.length > 0 ? { requests } : {}),
  };
}

/**
 * The projection after a final settlement of a closed lifecycle, from the settling event alone:
 * no work item, no longer unpaid, no agent task, so the same as projectionOf(the fold) without loading the log.
 */
export function settledClosedProjection(event: StoredEvent): Projection {
  return { policyId: event.policyId, version: event.seq, lastHash: event.hash, lastAt: event.at };
}

/** An unpaid commission as the settlement reads it, from a fresh fold (a view found behind its log is re-read so). */
export function unpaidCommissionOf(state: PolicyState): UnpaidCommission | undefined {
  const { commissionFacts, work } = projectionOf(state);
  if (!commissionFacts) return undefined;
  return { policyId: state.policy.policyId, head: { version: state.version, lastHash: state.lastHash, lastAt: state.lastAt }, facts: commissionFacts, lifecycleOpen: work !== undefined };
}
