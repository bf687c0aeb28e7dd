/**
 * Each function's Lambda timeout in seconds, by handler module (relative to functions/handlers):
 * the CDK constructs set these, and local mode fails a call that outlives one (plus a margin
 * for queueing in the shared local sandboxes), as Lambda would. The HTTP functions take the default.
 */
const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  'workflow/workflow-step.ts': 30,
  'workflow/settlement-step.ts': 300,
  'workflow/start-settlement.ts': 60,
  'workflow/send-quarterly-reports.ts': 300,
  'workflow/record-workflow-steps.ts': 60,
  'workflow/sweep-special-requests.ts': 300,
  'workflow/anchor-chains.ts': 900,
};

/** ServiceFunction's default (the HTTP functions). */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 15;

export function functionTimeoutSeconds(module: string): number {
  return FUNCTION_TIMEOUT_SECONDS[module] ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
}
