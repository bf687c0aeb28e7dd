import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent, CloudWatchLogsDecodedData } from 'aws-lambda';
import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import type { StepInput, StepType } from '../../audit/workflow-step-record.js';
import { recordWorkflowSteps } from '../../use-cases/workflow/record-workflow-steps.js';
import { observedLambda } from '../../adapters/lambda-observability.js';

/** One Step Functions execution-log line (log level ALL, execution data excluded). */
const logLine = z.object({
  id: z.coerce.number().int().positive(),
  type: z.string(),
  event_timestamp: z.coerce.number(),
  execution_arn: z.string(),
  details: z.object({ name: z.string().optional() }).passthrough().optional(),
});

/** History event types as AWS logs them → the step types the history keeps (others are noise). */
export function stepTypeOf(awsType: string): StepType | undefined {
  if (awsType.endsWith('StateEntered')) return 'StateEntered';
  if (awsType.endsWith('StateExited')) return 'StateExited';
  const kept: Record<string, StepType> = {
    ExecutionStarted: 'ExecutionStarted', ExecutionSucceeded: 'ExecutionSucceeded', ExecutionFailed: 'ExecutionFailed',
    ExecutionAborted: 'ExecutionAborted', ExecutionTimedOut: 'ExecutionTimedOut',
  };
  return kept[awsType];
}

/** `arn:aws:states:<region>:<account>:execution:<machine>:<name>` → the machine and execution names. */
function executionOf(arn: string): { machine: string; name: string } | undefined {
  const match = /:execution:([^:]+):([^:]+)$/.exec(arn);
  return match?.[1] && match[2] ? { machine: match[1], name: match[2] } : undefined;
}

/**
 * AWS feed of the workflow step history: a CloudWatch Logs subscription on the lifecycle
 * machine's log group. Steps are grouped by execution (the execution name is the policy id)
 * and chained after the last one stored; a batch that arrives before its predecessor fails
 * so that Lambda retries it.
 */
async function recordSteps(event: CloudWatchLogsEvent): Promise<{ records: number }> {
  const decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;
  if (decoded.messageType !== 'DATA_MESSAGE') return { records: 0 };
  const byExecution = new Map<string, StepInput[]>();
  for (const logEvent of decoded.logEvents) {
    const parsed = logLine.safeParse(JSON.parse(logEvent.message));
    const type = parsed.success ? stepTypeOf(parsed.data.type) : undefined;
    if (!parsed.success || !type) continue;
    const line = parsed.data;
    const steps = byExecution.get(line.execution_arn) ?? [];
    steps.push({ n: line.id, type, at: new Date(line.event_timestamp).toISOString(), ...(line.details?.name ? { stateName: line.details.name } : {}) });
    byExecution.set(line.execution_arn, steps);
  }
  const batches = [...byExecution].flatMap(([executionArn, steps]) => {
    const execution = executionOf(executionArn);
    return execution ? [{ run: { policyId: execution.name, execution: `${execution.machine}/${execution.name}`, executionArn }, steps }] : [];
  });
  const { records } = await recordWorkflowSteps(dependenciesFromEnv(), batches);
  logger.debug('workflow steps recorded', { records });
  return { records };
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(recordSteps, () => undefined);
