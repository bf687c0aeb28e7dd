import { chainSteps, type StepInput, type StepLink, type WorkflowStepRecord } from '../../audit/workflow-step-record.js';
import type { Dependencies } from '../dependencies.js';

export interface ExecutionRun {
  readonly policyId: string;
  readonly execution: string;
  readonly executionArn: string;
}

/** Steps of one execution to record, and where its chain stands (see recordWorkflowSteps). */
export interface StepBatch {
  readonly run: ExecutionRun;
  readonly steps: readonly StepInput[];
  /** The last recorded step; `null` for an execution's first batch; absent: read it from the table. */
  readonly previous?: StepLink | null;
}

/** A batch whose predecessor has not been recorded yet (out-of-order delivery): retry it later. */
export class StepPredecessorMissingError extends Error {
  override readonly name = 'StepPredecessorMissing';
}

/**
 * Records workflow steps of one or more executions, each chained after its last recorded
 * step, in as few BatchWriteItem requests as the items need (several executions share one).
 * Used by both worlds: the local engine's state events (the caller keeps each chain's last
 * link in memory) and, on AWS, the state machine's CloudWatch Logs (the link is read back).
 * Each execution's records are written in order, batch after batch, so an interrupted
 * write can shorten a chain but never leave a hole in it.
 */
export async function recordWorkflowSteps(
  deps: Dependencies,
  batches: readonly StepBatch[],
): Promise<{ last: ReadonlyMap<string, StepLink>; records: number; requests: number }> {
  const records: WorkflowStepRecord[] = [];
  const last = new Map<string, StepLink>();
  for (const batch of batches) {
    if (batch.steps.length === 0) continue;
    let link = batch.previous ?? undefined;
    if (batch.previous === undefined) {
      const first = Math.min(...batch.steps.map((s) => s.n));
      link = await deps.audit.lastWorkflowStep(batch.run.policyId, batch.run.execution);
      // Every execution's history starts with ExecutionStarted (n = 1); later steps chain on what is stored.
      if (!link && first > 1) throw new StepPredecessorMissingError(`steps before ${first} of execution ${batch.run.execution} are not recorded yet`);
    }
    const chained = chainSteps(batch.run, link, batch.steps);
    records.push(...chained);
    const end = chained.at(-1);
    if (end) last.set(batch.run.execution, { n: end.n, hash: end.hash });
  }
  const requests = records.length > 0 ? await deps.audit.putWorkflowSteps(records) : 0;
  return { last, records: records.length, requests };
}
