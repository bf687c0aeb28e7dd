import { randomUUID } from 'node:crypto';
import { logger } from '../../functions/adapters/logger.js';
import { isStepType, type StepInput, type StepLink } from '../../functions/audit/workflow-step-record.js';
import type { Dependencies } from '../../functions/use-cases/dependencies.js';
import { type ExecutionRun, recordWorkflowSteps } from '../../functions/use-cases/workflow/record-workflow-steps.js';
import type { StateEvent } from './stepfunctions/local-step-functions.js';

const END_TYPES = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);

interface RunBuffer {
  readonly executionArn: string;
  readonly run: ExecutionRun;
  next: number;
  readonly pending: StepInput[];
  last: StepLink | null;
  ended: boolean;
}

export interface StepHistoryMetrics {
  /** BatchWriteItem requests made for workflow steps. */
  readonly requests: number;
  /** Steps written (several to an item). */
  readonly steps: number;
  /** Executions whose steps it follows: the open ones, and ended ones until their last steps are written. */
  readonly executionsBuffered: number;
}

/**
 * Local mode's feed of the workflow step history (AWS: the CloudWatch Logs subscription).
 * Buffers each execution's state events in memory; an execution's steps are written when it
 * parks (the local system flushes it as it settles), ends, or has a full batch. One writer
 * drains every execution due at that moment in shared BatchWriteItem requests, one write
 * after another, so each chain is written in order. A kill -9 loses the steps not written
 * yet; the business events are the source of truth, and the resumed execution records its own.
 */
export class WorkflowHistoryRecorder {
  private readonly runs = new Map<string, RunBuffer>();
  private readonly due = new Set<RunBuffer>();
  private waiting: (() => void)[] = [];
  private writing = false;
  private requests = 0;
  private steps = 0;

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
      buffer = { executionArn: event.executionArn, run: { policyId, execution, executionArn: event.executionArn }, next: 1, pending: [], last: null, ended: false };
      this.runs.set(event.executionArn, buffer);
    }
    buffer.pending.push({ n: buffer.next++, type, at: event.at.toISOString(), ...(event.stateName !== undefined ? { stateName: event.stateName } : {}) });
    if (END_TYPES.has(type)) buffer.ended = true;
    if (buffer.ended || buffer.pending.length >= this.batchSize) void this.flush(event.executionArn);
  }

  /** Resolves once what the execution has buffered so far is written. */
  flush(executionArn: string): Promise<void> {
    const buffer = this.runs.get(executionArn);
    if (buffer && buffer.pending.length > 0) this.due.add(buffer);
    return this.nextWrite();
  }

  async flushAll(): Promise<void> {
    for (const buffer of this.runs.values()) if (buffer.pending.length > 0) this.due.add(buffer);
    await this.nextWrite();
  }

  /** Step records observed and not yet written (for diagnostics). */
  recordsWaiting(): number {
    let waiting = 0;
    for (const buffer of this.runs.values()) waiting += buffer.pending.length;
    return waiting;
  }

  metrics(): StepHistoryMetrics {
    return { requests: this.requests, steps: this.steps, executionsBuffered: this.runs.size };
  }

  /** A promise for the end of the write that will include everything due now. */
  private nextWrite(): Promise<void> {
    if (this.due.size === 0 && !this.writing) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.writing) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.due.size > 0) {
        const buffers = [...this.due];
        const waiters = this.waiting;
        this.due.clear();
        this.waiting = [];
        await this.write(buffers);
        for (const wake of waiters) wake();
      }
    } finally {
      this.writing = false;
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  private async write(buffers: RunBuffer[]): Promise<void> {
    const batches = buffers.map((b) => ({ buffer: b, steps: b.pending.splice(0) }));
    try {
      const result = await recordWorkflowSteps(this.deps(), batches.map(({ buffer, steps }) => ({ run: buffer.run, steps, previous: buffer.last })));
      for (const { buffer } of batches) buffer.last = result.last.get(buffer.run.execution) ?? buffer.last;
      this.requests += result.requests;
      this.steps += result.records;
    } catch (error) {
      // Kept for the next flush: the history must not get a hole because the table hiccupped.
      for (const { buffer, steps } of batches) buffer.pending.unshift(...steps);
      logger.warn('workflow steps not recorded yet', { executions: batches.length, error });
      return;
    }
    for (const { buffer } of batches) {
      if (buffer.ended && buffer.pending.length === 0 && this.runs.get(buffer.executionArn) === buffer) this.runs.delete(buffer.executionArn);
    }
  }
}
