import { randomUUID } from 'node:crypto';
import { logger } from '../../functions/adapters/logger.js';
import { isStepType, type StepInput, type StepLink } from '../../functions/lifecycle/workflow-step-record.js';
import type { Dependencies } from '../../functions/use-cases/dependencies.js';
import { type ExecutionRun, recordWorkflowSteps } from '../../functions/use-cases/record-workflow-steps.js';
import type { StateEvent } from './stepfunctions/local-step-functions.js';

const END_TYPES = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

interface RunBuffer {
  readonly run: ExecutionRun;
  next: number;
  readonly pending: StepInput[];
  last: StepLink | null;
  ended: boolean;
  /** Writes of this run, one after another: a chain is written in its order. */
  writing: Promise<void>;
}

export interface StepHistoryMetrics {
  /** BatchWriteItem requests made for workflow steps. */
  readonly requests: number;
  /** Step records written. */
  readonly items: number;
}

/**
 * Local mode's feed of the workflow step history (AWS: the CloudWatch Logs subscription).
 * Buffers each execution's state events in memory and writes them through the same use case
 * in BatchWriteItem batches: when an execution parks (the local system calls flush when it
 * settles), ends, or has a full batch. A kill -9 loses the unflushed steps of the moment; the
 * business events are the source of truth, and the resumed execution records its own steps.
 */
export class WorkflowHistoryRecorder {
  private readonly runs = new Map<string, RunBuffer>();
  private requests = 0;
  private items = 0;

  constructor(
    private readonly deps: () => Dependencies,
    /** The policy an execution belongs to; undefined for executions of other state machines. */
    private readonly policyIdOf: (executionArn: string) => string | undefined,
    private readonly batchSize = 25,
  ) {}

  observe(event: StateEvent): void {
    const type = event.type === 'ExecutionTimeout' ? 'ExecutionTimedOut' : event.type;
    if (!isStepType(type)) return;
    let buffer = this.runs.get(event.executionArn);
    if (!buffer || (type === 'ExecutionStarted' && buffer.ended)) {
      const policyId = this.policyIdOf(event.executionArn);
      if (!policyId) return;
      // The same execution name runs again after a restart: each run is its own chain.
      const execution = `${event.at.toISOString()}~${randomUUID().slice(0, 8)}`;
      buffer = { run: { policyId, execution, executionArn: event.executionArn }, next: 1, pending: [], last: null, ended: false, writing: Promise.resolve() };
      this.runs.set(event.executionArn, buffer);
    }
    buffer.pending.push({ n: buffer.next++, type, at: event.at.toISOString(), ...(event.stateName !== undefined ? { stateName: event.stateName } : {}) });
    if (END_TYPES.has(type)) {
      buffer.ended = true;
      void this.flush(event.executionArn);
    } else if (buffer.pending.length >= this.batchSize) {
      void this.flush(event.executionArn);
    }
  }

  /** Writes what one execution has buffered (and waits for its writes in flight). */
  flush(executionArn: string): Promise<void> {
    const buffer = this.runs.get(executionArn);
    if (!buffer) return Promise.resolve();
    buffer.writing = buffer.writing.then(() => this.write(executionArn, buffer));
    return buffer.writing;
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((arn) => this.flush(arn)));
  }

  metrics(): StepHistoryMetrics {
    return { requests: this.requests, items: this.items };
  }

  private async write(executionArn: string, buffer: RunBuffer): Promise<void> {
    if (buffer.pending.length > 0) {
      const steps = buffer.pending.splice(0);
      try {
        const result = await recordWorkflowSteps(this.deps(), buffer.run, steps, buffer.last);
        buffer.last = result.last ?? buffer.last;
        this.requests += result.requests;
        this.items += result.records;
      } catch (error) {
        // Kept for the next flush: the history must not get a hole because the table hiccupped.
        buffer.pending.unshift(...steps);
        logger.warn('workflow steps not recorded yet', { executionArn, steps: steps.length, error });
        return;
      }
    }
    if (buffer.ended && buffer.pending.length === 0 && this.runs.get(executionArn) === buffer) this.runs.delete(executionArn);
  }
}
