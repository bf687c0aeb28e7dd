import { chainSteps, type StepInput, type StepLink } from '../lifecycle/workflow-step-record.js';
import type { Dependencies } from './dependencies.js';

export interface ExecutionRun {
  readonly policyId: string;
  readonly execution: string;
  readonly executionArn: string;
}

/** A batch whose predecessor has not been recorded yet (out-of-order delivery): retry it later. */
export class StepPredecessorMissingError extends Error {
  override readonly name = 'StepPredecessorMissing';
}

/**
 * Records a batch of one execution's workflow steps, chained after the last one recorded.
 * Used by both worlds: the local engine's state events (the caller keeps the last link in
 * memory: `previous` given, `null` for an execution's first batch) and, on AWS, the state
 * machine's CloudWatch Logs (the link is read back from the table).
 */
export async function recordWorkflowSteps(
  deps: Dependencies,
  run: ExecutionRun,
  steps: readonly StepInput[],
  previous?: StepLink | null,
): Promise<{ last?: StepLink; records: number; requests: number }> {
  if (steps.length === 0) return { records: 0, requests: 0, ...(previous ? { last: previous } : {}) };
  let link = previous ?? undefined;
  if (previous === undefined) {
    const first = Math.min(...steps.map((s) => s.n));
    link = await deps.audit.lastWorkflowStep(run.policyId, run.execution);
    // Every execution's history starts with ExecutionStarted (n = 1); later steps chain on what is stored.
    if (!link && first > 1) throw new StepPredecessorMissingError(`steps before ${first} of execution ${run.execution} are not recorded yet`);
  }
  const records = chainSteps(run, link, steps);
  const requests = await deps.audit.putWorkflowSteps(records);
  const last = records.at(-1);
  return { records: records.length, requests, ...(last ? { last: { n: last.n, hash: last.hash } } : link ? { last: link } : {}) };
}
