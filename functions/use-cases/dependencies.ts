import type { AccessRequestStore } from '../ports/access-request-store.js';
import type { AnchorLedger } from '../ports/anchor-ledger.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import type { AuditStore } from '../ports/audit-store.js';
import type { Clock } from '../ports/clock.js';
import type { MailLedger } from '../ports/mail-ledger.js';
import type { InboxClaims } from '../ports/inbox-claims.js';
import type { Notifier } from '../ports/notifier.js';
import type { PolicyRepository } from '../ports/policy-repository.js';
import type { SettlementStore, UnpaidCommissions } from '../ports/settlement-store.js';
import type { StaffDirectory } from '../ports/staff-directory.js';
import type { WorkflowEngine } from '../ports/workflow-engine.js';

export interface Recipients {
  branchManagers(branchId: string): string[];
  compliance(): string[];
}

/** Everything a use case may touch, injected (in-memory fakes in unit tests, AWS clients in handlers). */
export interface Dependencies {
  readonly repository: PolicyRepository;
  /** Histories, workflow steps, searches, reports and the access log (the auditor's side). */
  readonly audit: AuditStore;
  readonly settlements: SettlementStore;
  readonly unpaid: UnpaidCommissions;
  readonly workflow: WorkflowEngine;
  readonly notifier: Notifier;
  /** Which mails were claimed and sent, by their deterministic ids (see dispatch-mail.ts). */
  readonly mail: MailLedger;
  /** Who claimed which inbox item (use-cases/inbox). */
  readonly claims: InboxClaims;
  readonly clock: Clock;
  /** The staff directory: who a subject is, its roles and branch (docs/api.md, Staff and scope). */
  readonly staff: StaffDirectory;
  readonly recipients: Recipients;
  /** How long a mail claim keeps other senders off, in ms (configuration; dispatch-mail.ts has the default). */
  readonly mailLeaseMs?: number;
  /** Rule set for registrations that name none (configuration; `default` when unset). */
  readonly defaultRuleSet?: string;
  /** The write-once archive (Object Lock bucket; a folder locally); absent where nothing is archived. */
  readonly archive?: ArchiveStore;
  /** Anchors recorded in the table, and what each policy last had anchored. */
  readonly anchors?: AnchorLedger;
  /** Requests to read the archive, and their decisions. */
  readonly accessRequests?: AccessRequestStore;
}
