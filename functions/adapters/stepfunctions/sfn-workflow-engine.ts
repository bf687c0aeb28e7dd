import {
  DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { WorkflowPlan } from '../../lifecycle/workflow-plan.js';
import type { WorkflowEngine } from '../../ports/workflow-engine.js';
import { executionArnOf } from './execution-arn.js';

/** The execution name is the policy id, so a replayed registration can never start a second lifecycle. */
export const executionNameFor = (policyId: string) => policyId;

/** One execution name per month and attempt, so a second start of the same attempt is detected. */
export const settlementExecutionName = (month: string, attempt: number) => `settlement-${month}-${attempt}`;

export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    /** Where lifecycles start: the `live` alias's ARN on AWS, the machine's locally. */
    private readonly stateMachineArn: string,
    /** Where settlements start, in the same two shapes. */
    private readonly settlementMachineArn?: string,
    /** The API request this engine serves (see `correlated`), carried into the executions it starts. */
    private readonly correlationId?: string,
  ) {}

  /** The same engine for one request: lifecycles it starts carry `correlationId` in their input. */
  correlated(correlationId: string): SfnWorkflowEngine {
    return new SfnWorkflowEngine(this.sfn, this.stateMachineArn, this.settlementMachineArn, correlationId);
  }

  async startLifecycle(policyId: string, plan?: WorkflowPlan): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionNameFor(policyId),
        // The request that started it, for following it from the API's logs into the execution.
        input: JSON.stringify(this.correlationId === undefined ? plan ?? { policyId } : { ...(plan ?? { policyId }), correlationId: this.correlationId }),
      }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async completeTask(token: string, output: unknown): Promise<void> {
    await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
  }

  async failTask(token: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause: cause.slice(0, 32_000) }));
  }

  async startSettlement(month: string, attempt: number): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.settlementArn(),
        name: settlementExecutionName(month, attempt),
        input: JSON.stringify({ month }),
      }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async settlementStatus(month: string, attempt: number): Promise<'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'NOT_FOUND'> {
    const executionArn = executionArnOf(this.settlementArn(), settlementExecutionName(month, attempt));
    try {
      const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (out.status === 'RUNNING' || out.status === 'PENDING_REDRIVE') return 'RUNNING';
      return out.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'NOT_FOUND';
      throw error;
    }
  }

  private settlementArn(): string {
    if (!this.settlementMachineArn) throw new Error('SETTLEMENT_STATE_MACHINE_ARN is not configured for this function');
    return this.settlementMachineArn;
  }
}
