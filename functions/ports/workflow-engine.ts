/** Starts lifecycles and completes the waits they are parked on (Step Functions behind it). */
export interface WorkflowEngine {
  /** Idempotent: a lifecycle already running for the policy is left as it is. */
  startLifecycle(policyId: string): Promise<void>;
  completeTask(token: string, output: unknown): Promise<void>;
  failTask(token: string, error: string, cause: string): Promise<void>;
}
