export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

/** Finished executions, bounded (oldest dropped first) so memory stays flat over long runs.
 * The product's own event log is the durable history (docs/architecture.md §3). */
export class ExecutionStore {
  private readonly max: number;
  private readonly byArn = new Map<string, ExecutionDescription>();

  constructor(max: number) {
    this.max = max;
  }

  add(desc: ExecutionDescription): void {
    this.byArn.delete(desc.executionArn); // re-insert at the young end
    this.byArn.set(desc.executionArn, desc);
    while (this.byArn.size > this.max) {
      const oldest = this.byArn.keys().next();
      if (oldest.done) break;
      this.byArn.delete(oldest.value);
    }
  }

  has(arn: string): boolean {
    return this.byArn.has(arn);
  }

  get(arn: string): ExecutionDescription | undefined {
    return this.byArn.get(arn);
  }

  delete(arn: string): void {
    this.byArn.delete(arn);
  }

  values(): ExecutionDescription[] {
    return [...this.byArn.values()];
  }

  get size(): number {
    return this.byArn.size;
  }
}
