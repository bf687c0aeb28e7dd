import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../lifecycle/event-hash.js';

/**
 * One workflow step of a lifecycle execution (state entered/left, execution started/ended),
 * kept in the policy's own partition so it outlives Step Functions' 90 days. Steps of one
 * execution form their own hash chain, in the order the engine reported them.
 */
export const STEP_TYPES = [
  'ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut',
  'StateEntered', 'StateExited', 'StateFailed', 'StateCaught', 'StateRetried',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export function isStepType(type: string): type is StepType {
  return (STEP_TYPES as readonly string[]).includes(type);
}

/** A step as the engine reports it, before it is chained. */
export interface StepInput {
  /** Position in the execution's history (AWS: the history event id; local: a counter). */
  readonly n: number;
  readonly type: StepType;
  readonly stateName?: string;
  readonly at: string;
}

export interface WorkflowStepRecord extends StepInput {
  readonly policyId: string;
  /** Identifies one execution (run) of the policy's lifecycle; unique within the policy. */
  readonly execution: string;
  readonly executionArn: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The last chained step of an execution: where the next batch continues. */
export interface StepLink {
  readonly n: number;
  readonly hash: string;
}

export function hashStep(prevHash: string, step: Omit<WorkflowStepRecord, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    policyId: step.policyId, execution: step.execution, executionArn: step.executionArn,
    n: step.n, type: step.type, stateName: step.stateName, at: step.at,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Chains a batch of one execution's steps after `previous` (GENESIS for the first). Steps at
 * or before `previous.n` are redeliveries and dropped, so feeding a batch twice is harmless.
 */
export function chainSteps(
  run: { readonly policyId: string; readonly execution: string; readonly executionArn: string },
  previous: StepLink | undefined,
  steps: readonly StepInput[],
): WorkflowStepRecord[] {
  const records: WorkflowStepRecord[] = [];
  let link = previous;
  for (const step of [...steps].sort((a, b) => a.n - b.n)) {
    if (link && step.n <= link.n) continue;
    const base = { ...run, n: step.n, type: step.type, at: step.at, ...(step.stateName !== undefined ? { stateName: step.stateName } : {}) };
    const prevHash = link?.hash ?? GENESIS_HASH;
    const record: WorkflowStepRecord = { ...base, prevHash, hash: hashStep(prevHash, base) };
    records.push(record);
    link = { n: record.n, hash: record.hash };
  }
  return records;
}
