import type { StoredEvent } from '../lifecycle/events.js';

/** A stored event with the agent and branch of its policy, as the audit indexes return it. */
export interface AuditedEvent extends StoredEvent {
  readonly agentId: string;
  readonly branchId: string;
}
