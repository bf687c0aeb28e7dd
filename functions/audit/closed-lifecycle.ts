import { foldEvents } from '../lifecycle/policy-state.js';
import type { StoredEvent } from '../lifecycle/events.js';
import { commissionStatusOf, isLifecycleOpen, stageOf } from '../lifecycle/stage.js';
import type { WorkflowStepRecord } from './workflow-step-record.js';

/** Commission states nothing settles any more (docs/rules.md §10: each commission is settled once). */
const SETTLED = new Set(['PAID', 'CANCELLED', 'FORFEITED', 'DEFERRED_FOR_GOOD']);
const EXECUTION_ENDS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

/**
 * A lifecycle is closed, and its history final enough to export, when: its stage is COMPLETED
 * or CANCELLED; neither track waits for anything (the receipt is returned or given up); its
 * commission is PAID, FORFEITED, CANCELLED or DEFERRED_FOR_GOOD (nothing left to settle); and
 * every workflow execution recorded for it has ended (no further steps will be appended).
 */
export function isClosedLifecycle(events: readonly StoredEvent[], steps: readonly WorkflowStepRecord[]): boolean {
  const state = foldEvents([...events].sort((a, b) => a.seq - b.seq));
  if (!state) return false;
  const stage = stageOf(state);
  if ((stage !== 'COMPLETED' && stage !== 'CANCELLED') || isLifecycleOpen(state) || !SETTLED.has(commissionStatusOf(state))) return false;
  const executions = new Set(steps.map((s) => s.execution));
  return [...executions].every((execution) => {
    const last = steps.filter((s) => s.execution === execution).sort((a, b) => a.n - b.n).at(-1);
    return last !== undefined && EXECUTION_ENDS.has(last.type);
  });
}
