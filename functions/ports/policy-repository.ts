import type { EventOwner, StoredEvent } from '../lifecycle/events.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import type { Projection } from '../lifecycle/projection.js';
import type { WorkBucket, WorkItem } from '../lifecycle/work-item.js';
import type { SpecialRequestEntry } from '../lifecycle/special-request-entry.js';
import type { AgentWork } from '../lifecycle/agent-work.js';

// The log's and the queues' types belong to the lifecycle core; the port speaks them.
export { WORK_BUCKETS, type WorkBucket, type WorkItem } from '../lifecycle/work-item.js';
export type { EventOwner, LogHead, NewEvent } from '../lifecycle/events.js';

export interface LoadedPolicy {
  readonly events: readonly StoredEvent[];
  readonly state: PolicyState;
  readonly tokens: Readonly<Record<string, string>>;
  /** Version of the stored view/queue projection; behind `state.version` after a crash mid-append. */
  readonly viewVersion: number;
}

/** Thrown when another writer appended the same sequence number first. */
export class ConcurrentAppendError extends Error {
  override readonly name = 'ConcurrentAppendError';
  constructor(policyId: string, seq: number) {
    super(`event ${seq} of policy ${policyId} was appended concurrently`);
  }
}

/** A log head as a reader saw it in a projection. */
export interface SeenHead {
  readonly policyId: string;
  readonly version: number;
}

export interface PolicyRepository {
  load(policyId: string): Promise<LoadedPolicy | undefined>;
  /**
   * Stores an event planned by the lifecycle core (planAppend / chainEvent), conditionally on
   * its sequence number being free: ConcurrentAppendError when another writer took it.
   */
  appendEvent(event: StoredEvent, owner: EventOwner): Promise<void>;
  /** Stores a projection planned by the lifecycle core (idempotent; only moves forward). */
  project(projection: Projection): Promise<void>;
  /**
   * The policies among `heads` whose log has an event after the version a projection showed
   * (a cheap existence read of event `version + 1`): their projection is behind, heal before deciding.
   */
  logsAhead(heads: readonly SeenHead[]): Promise<Set<string>>;
  loadTokens(policyId: string): Promise<Record<string, string>>;
  saveToken(policyId: string, step: string, token: string): Promise<void>;
  /** A queue in due order, up to `dueBy` when given, continuing after the item `after` when given. */
  listWork(bucket: WorkBucket, dueBy: string | undefined, limit: number, after?: WorkItem): Promise<QueuedWork[]>;
  saveRequestLink(requestId: string, policyId: string): Promise<void>;
  findRequestPolicy(requestId: string): Promise<string | undefined>;
  /** The open special-request inbox entries, earliest due first (each may lag its log: prove it with `logsAhead`). */
  listOpenRequests(limit: number): Promise<SpecialRequestEntry[]>;
  /** The open tasks of an agent's policies, earliest due policy first (each may lag its log: prove it with `logsAhead`). */
  listAgentWork(agentId: string, limit: number): Promise<AgentWorkRead[]>;
}

/** An agent's tasks on one policy, with the version of the view they were read from. */
export interface AgentWorkRead {
  readonly work: AgentWork;
  readonly version: number;
}

/** A queue entry with the version of the view it was read from, so the reader can prove it current. */
export interface QueuedWork {
  readonly item: WorkItem;
  readonly version: number;
}
