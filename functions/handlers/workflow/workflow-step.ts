import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import * as steps from '../../use-cases/workflow/workflow-steps.js';
import { observedLambda, correlationIdOf } from '../../adapters/lambda-observability.js';

const policyId = z.string().min(1);
const token = z.string().min(1);

/** The payloads the lifecycle state machine sends (workflows/policy-lifecycle.asl.json). */
const stepSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('load'), policyId }),
  z.object({ action: z.literal('awaitFirstCallbackDate'), policyId, taskToken: token }),
  z.object({ action: z.literal('openCallbackRound'), policyId, round: z.union([z.literal(1), z.literal(2)]), taskToken: token }),
  z.object({ action: z.literal('closeRoundTimedOut'), policyId, round: z.union([z.literal(1), z.literal(2)]) }),
  z.object({ action: z.literal('openContactWindow'), policyId, taskToken: token }),
  z.object({ action: z.literal('closeContactWindow'), policyId }),
  z.object({ action: z.literal('awaitManualVisit'), policyId, taskToken: token }),
  z.object({ action: z.literal('escalateManualVisit'), policyId }),
  z.object({ action: z.literal('awaitReview'), policyId, taskToken: token }),
  z.object({ action: z.literal('escalateReview'), policyId }),
  z.object({ action: z.literal('awaitReceipt'), policyId, taskToken: token }),
  z.object({ action: z.literal('recordReceiptNeverReturned'), policyId }),
]);
export type WorkflowStepPayload = z.infer<typeof stepSchema>;

/** One Lambda for every step of the lifecycle: it parses the payload and calls the step's use case. */
async function workflowStep(payload: unknown): Promise<unknown> {
  const step = stepSchema.parse(payload);
  const deps = dependenciesFromEnv();
  logger.debug('workflow step', { action: step.action, policyId: step.policyId });
  switch (step.action) {
    // The plan becomes the state's data: every later step's Payload reads $.correlationId from it.
    case 'load': return { ...(await steps.loadLifecycle(deps, step.policyId)), correlationId: correlationIdOf(payload) ?? step.policyId };
    case 'awaitFirstCallbackDate': return steps.awaitFirstCallbackDate(deps, step.policyId, step.taskToken);
    case 'openCallbackRound': return steps.openCallbackRound(deps, step.policyId, step.round, step.taskToken);
    case 'closeRoundTimedOut': return steps.closeRoundTimedOut(deps, step.policyId, step.round);
    case 'openContactWindow': return steps.openContactWindow(deps, step.policyId, step.taskToken);
    case 'closeContactWindow': return steps.closeContactWindow(deps, step.policyId);
    case 'awaitManualVisit': return steps.awaitManualVisit(deps, step.policyId, step.taskToken);
    case 'escalateManualVisit': return steps.escalateManualVisit(deps, step.policyId);
    case 'awaitReview': return steps.awaitReview(deps, step.policyId, step.taskToken);
    case 'escalateReview': return steps.escalateReview(deps, step.policyId);
    case 'awaitReceipt': return steps.awaitReceipt(deps, step.policyId, step.taskToken);
    case 'recordReceiptNeverReturned': return steps.recordReceiptNeverReturned(deps, step.policyId);
  }
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(workflowStep, correlationIdOf);
