import type { WorkflowPlan } from '../lifecycle/workflow-plan.js';

/** Starts lifecycles and completes the waits they are parked on (Step Functions behind it). */
export interface WorkflowEngine {
  /**
   * Idempotent: a lifecycle already running for the policy is left as it is. `plan`: the plan
   * of a policy just registered, so the execution starts without reading the log back.
   */
  startLifecycle(policyId: string, plan?: WorkflowPlan): Promise<void>;
  completeTask(token: string, output: unknown): Promise<void>;
  failTask(token: string, error: string, cause: string): Promise<void>;
  /** Starts attempt `attempt` of a month's settlement; idempotent for the same (month, attempt). */
  startSettlement(month: string, attempt: number): Promise<void>;
  /** Where that attempt's execution stands; NOT_FOUND when it never started (or a local restart lost it). */
  settlementStatus(month: string, attempt: number): Promise<'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'NOT_FOUND'>;
}
