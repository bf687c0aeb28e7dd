import { ExecutionAlreadyExists, SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowEngine } from '../../ports/workflow-engine.js';

/** The execution name is the policy id, so a replayed registration can never start a second lifecycle. */
export const executionNameFor = (policyId: string) => policyId;

export class SfnWorkflowEngine implements WorkflowEngine {
  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: string) {}

  async startLifecycle(policyId: string): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionNameFor(policyId),
        input: JSON.stringify({ policyId }),
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
}
