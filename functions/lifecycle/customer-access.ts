import { customerDataAccess, type CustomerDataAccess, type KnownCustomerValues, type PolicyRelation, type Reader } from '../domain/customer-privacy.js';
import type { WorkItem } from './work-item.js';
import type { StoredEvent } from './events.js';
import type { PolicyState } from './policy-state.js';
import { workItemOf } from './work-item.js';

/** The relation of domain/customer-privacy.ts read off a policy's current state. */
export function relationOf(state: PolicyState): PolicyRelation {
  return { ownerAgentId: state.policy.agent.agentId, branchId: state.policy.branchId, awaitingManualVisit: workItemOf(state)?.bucket === 'VISIT' };
}

/** The same relation read off a work queue entry (the queue is the projection of that state). */
export function relationOfWorkItem(item: WorkItem): PolicyRelation {
  return { ownerAgentId: item.agentId, branchId: item.branchId, awaitingManualVisit: item.bucket === 'VISIT' };
}

export function accessTo(state: PolicyState, reader: Reader): CustomerDataAccess {
  return customerDataAccess(reader, relationOf(state));
}

/**
 * The name and the addresses on record: what a reason or note about this policy may quote.
 * The registered address and the current one are all there ever were (one contact window).
 */
export function knownValuesOf(state: PolicyState): KnownCustomerValues {
  const addresses = new Set([state.policy.policyholder.address, state.contact.address].filter((a): a is string => a !== undefined));
  return { names: [state.policy.policyholder.name], addresses: [...addresses] };
}

/** Every name and address a log ever recorded, earlier addresses included. */
export function knownValuesInLog(events: readonly StoredEvent[]): KnownCustomerValues {
  const names = new Set<string>();
  const addresses = new Set<string>();
  for (const { data } of events) {
    if (data?.type === 'PolicyRegistered') {
      names.add(data.policy.policyholder.name);
      if (data.policy.policyholder.address !== undefined) addresses.add(data.policy.policyholder.address);
    }
    if (data?.type === 'ContactUpdated' && data.address !== undefined) addresses.add(data.address);
  }
  return { names: [...names], addresses: [...addresses] };
}
