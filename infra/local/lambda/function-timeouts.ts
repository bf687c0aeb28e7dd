/**
 * Each local handler's Lambda timeout in seconds, as its CDK construct sets it (the HTTP
 * functions keep ServiceFunction's default). The pool fails a call that outlives it, plus a
 * margin for queueing in the shared local sandboxes, as Lambda would.
 */
const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  'workflow/workflow-step.ts': 30, // stateless-stack.ts WorkflowStep
  'workflow/settlement-step.ts': 300, // settlement-functions.ts
  'workflow/start-settlement.ts': 60, // stateless-stack.ts StartSettlement
  'workflow/send-quarterly-reports.ts': 300, // audit-trail.ts
  'workflow/record-workflow-steps.ts': 60, // audit-trail.ts
  'workflow/sweep-special-requests.ts': 300, // inbox-sweep.ts
  'workflow/anchor-chains.ts': 900, // archive-jobs.ts
};

const HTTP_FUNCTION_TIMEOUT_SECONDS = 15; // service-function.ts default

export function functionTimeoutSeconds(module: string): number {
  return FUNCTION_TIMEOUT_SECONDS[module] ?? HTTP_FUNCTION_TIMEOUT_SECONDS;
}
