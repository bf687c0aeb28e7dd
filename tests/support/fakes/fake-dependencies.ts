import type { WorkflowPlan } from '../../../functions/lifecycle/workflow-plan.js';
import type { AuditStore } from '../../../functions/ports/audit-store.js';
import type { SettlementStore, UnpaidCommissions } from '../../../functions/ports/settlement-store.js';
import type { Notification, Notifier } from '../../../functions/ports/notifier.js';
import type { WorkflowEngine } from '../../../functions/ports/workflow-engine.js';
import type { Dependencies } from '../../../functions/use-cases/dependencies.js';
import { InMemoryMailLedger } from './in-memory-mail-ledger.js';
import { InMemoryInboxClaims } from './in-memory-inbox-claims.js';
import { InMemoryPolicyRepository } from './in-memory-policy-repository.js';
import { InMemoryStaffDirectory } from './in-memory-staff-directory.js';

/** A Step Functions stand-in: records what was started and completed; tokens listed as stale fail as SFN would. */
export class RecordingWorkflowEngine implements WorkflowEngine {
  readonly started: string[] = [];
  /** The plan each start was given, in order (none: the execution reads the log). */
  readonly plans: (WorkflowPlan | undefined)[] = [];
  readonly completed: { token: string; output: unknown }[] = [];
  readonly failed: { token: string; error: string }[] = [];
  readonly staleTokens = new Set<string>();

  async startLifecycle(policyId: string, plan?: WorkflowPlan): Promise<void> {
    this.started.push(policyId);
    this.plans.push(plan);
  }

  readonly settlementsStarted: { month: string; attempt: number }[] = [];

  async startSettlement(month: string, attempt: number): Promise<void> {
    this.settlementsStarted.push({ month, attempt });
  }

  async settlementStatus(month: string, attempt: number): Promise<'RUNNING' | 'NOT_FOUND'> {
    return this.settlementsStarted.some((s) => s.month === month && s.attempt === attempt) ? 'RUNNING' : 'NOT_FOUND';
  }

  async completeTask(token: string, output: unknown): Promise<void> {
    this.rejectStale(token);
    this.completed.push({ token, output });
  }

  async failTask(token: string, error: string): Promise<void> {
    this.rejectStale(token);
    this.failed.push({ token, error });
  }

  private rejectStale(token: string): void {
    if (this.staleTokens.has(token)) throw Object.assign(new Error(`task ${token} does not exist`), { name: 'TaskDoesNotExist' });
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];
  /** Errors the next sends throw, in order (an SES outage, a crash mid-send). */
  readonly failures: Error[] = [];

  async send(notification: Notification): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(notification);
  }
}

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(private instant: Date) {}

  now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date): void {
    this.instant = instant;
  }
}

export interface FakeDependencies extends Dependencies {
  readonly repository: InMemoryPolicyRepository;
  readonly workflow: RecordingWorkflowEngine;
  readonly notifier: RecordingNotifier;
  readonly mail: InMemoryMailLedger;
  readonly clock: ManualClock;
  readonly staff: InMemoryStaffDirectory;
  readonly claims: InMemoryInboxClaims;
}

/** A port the use cases under test must not touch: any call fails the test. */
function unusedPort<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => () => { throw new Error(`${name}.${String(method)} was called, but the test gave no ${name} port`); },
  });
}

/** The lifecycle use cases' dependencies in memory (docs/architecture.md §5). */
export function fakeDependencies(now: Date): FakeDependencies {
  return {
    repository: new InMemoryPolicyRepository(),
    audit: unusedPort<AuditStore>('audit'),
    settlements: unusedPort<SettlementStore>('settlements'),
    unpaid: unusedPort<UnpaidCommissions>('unpaid'),
    workflow: new RecordingWorkflowEngine(),
    notifier: new RecordingNotifier(),
    mail: new InMemoryMailLedger(),
    claims: new InMemoryInboxClaims(),
    clock: new ManualClock(now),
    staff: new InMemoryStaffDirectory(),
    recipients: { branchManagers: () => ['manager@insurer.example'], compliance: () => ['compliance@insurer.example'] },
  };
}
