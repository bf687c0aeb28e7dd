import type { Customer } from '../domain/customer-privacy.js';
import type { Actor, EventData, StoredEvent } from '../lifecycle/events.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import type { Projection } from '../lifecycle/projection.js';

/** The work queues (ARCHITECTURE.md §3); every open lifecycle is in exactly one. */
export const WORK_BUCKETS = ['WAITING', 'DIAL', 'CONTACT', 'VISIT', 'REVIEW'] as const;
export type WorkBucket = (typeof WORK_BUCKETS)[number];

export interface WorkItem {
  readonly policyId: string;
  readonly bucket: WorkBucket;
  /** When the item is due (ISO); the queue is ordered by it. */
  readonly dueAt: string;
  readonly branchId: string;
  readonly agentId: string;
  readonly timeZone: string;
  readonly ruleSet: { readonly name: string; readonly version: number };
  readonly round?: number;
  readonly attemptsSoFar?: number;
  /** Who to dial (DIAL: name and phone) or visit (VISIT: name, phone and address); shown masked as the reader's access says. */
  readonly customer?: Customer;
}

export interface LoadedPolicy {
  readonly events: readonly StoredEvent[];
  readonly state: PolicyState;
  readonly tokens: Readonly<Record<string, string>>;
  /** Version of the stored view/queue projection; behind `state.version` after a crash mid-append. */
  readonly viewVersion: number;
}

export interface NewEvent {
  readonly at: string;
  readonly actor: Actor;
  readonly data: EventData;
}

/** Thrown when another writer appended the same sequence number first. */
export class ConcurrentAppendError extends Error {
  override readonly name = 'ConcurrentAppendError';
  constructor(policyId: string, seq: number) {
    super(`event ${seq} of policy ${policyId} was appended concurrently`);
  }
}

/** Whose policy an event belongs to: the audit search finds events by agent and branch. */
export interface EventOwner {
  readonly agentId: string;
  readonly branchId: string;
}

/** The last event of a log, as far as the caller knows: the next append chains to it. */
export interface LogHead {
  readonly version: number;
  readonly lastHash: string;
  /** When the last event was recorded (absent on views projected before it was kept). */
  readonly lastAt?: string;
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
}

/** A queue entry with the version of the view it was read from, so the reader can prove it current. */
export interface QueuedWork {
  readonly item: WorkItem;
  readonly version: number;
}
