import type { AuditedEvent } from '../audit/audited-event.js';
import type { ChainHead } from '../audit/chain-verification.js';
import type { StoredEvent } from '../lifecycle/events.js';
import type { StepLink, WorkflowStepRecord } from '../audit/workflow-step-record.js';

/** Filters of `GET /v1/audit/events`; `from` inclusive, `to` exclusive (ISO instants). */
export interface EventSearch {
  readonly from: string;
  readonly to: string;
  readonly agentId?: string;
  readonly branchId?: string;
  readonly type?: string;
}

/** Where a paged read stands: the month partition, and the last key served in it. */
export interface PagePosition {
  readonly month: string;
  readonly after?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Absent on the last page. */
  readonly next?: PagePosition;
}

/** Everything kept about a policy's lifecycle, for its history and its verification. */
export interface PolicyHistory {
  readonly events: readonly StoredEvent[];
  readonly steps: readonly WorkflowStepRecord[];
  /** What the policy view last recorded of the log (absent before the first projection). */
  readonly head?: ChainHead;
}

/** Who read what, when (docs/rules.md §7: access to archives is itself recorded). */
export interface AccessRecord {
  readonly id: string;
  readonly at: string;
  readonly role: string;
  readonly subject?: string;
  /** What was read: `history`, `history-verify`, `event-search`, `access-log`, `report:…`. */
  readonly action: string;
  readonly policyId?: string;
  readonly filters?: Readonly<Record<string, string>>;
}

/** The auditor's side of the table: histories, workflow steps, searches, reports, access records. */
export interface AuditStore {
  loadHistory(policyId: string): Promise<PolicyHistory | undefined>;
  /** The last recorded step of one execution (where a new batch chains on). */
  lastWorkflowStep(policyId: string, execution: string): Promise<StepLink | undefined>;
  /** Writes chained step records in batches; returns the number of write requests made. */
  putWorkflowSteps(records: readonly WorkflowStepRecord[]): Promise<number>;
  /** One page of events matching the filters, oldest first, through an index (never a scan). */
  searchEvents(search: EventSearch, limit: number, position?: PagePosition): Promise<Page<AuditedEvent>>;
  /** Events that recorded false contact information, found in one quarter ("2026-Q1"). */
  falseContactEvents(quarter: string): Promise<AuditedEvent[]>;
  /** Every event of one branch in [from, to), oldest first. */
  branchEvents(branchId: string, from: string, to: string): AsyncIterable<AuditedEvent>;
  recordAccess(record: AccessRecord): Promise<void>;
  listAccess(from: string, to: string, limit: number, position?: PagePosition): Promise<Page<AccessRecord>>;
}
