import { SHARE_ENV, Worker } from 'node:worker_threads';
import { HANDLERS_DIR } from '../../paths.js';
import type { SharedInstant } from './shared-clock.js';
import type { Invocation, InvocationResult, LambdaWorkerData } from './lambda-protocol.js';

interface Pending {
  readonly module: string;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Sandbox {
  worker: Worker;
  inFlight: Map<number, Pending>;
  /** When the sandbox last answered anything: one that answers nothing while its call times out is wedged. */
  lastAnswerAt: number;
}

export interface InFlightInvocation {
  readonly module: string;
  readonly sandbox: number;
  readonly ageMs: number;
}

/** Lambda's own timeout of a local function (seconds), by handler module: what its CDK construct sets. */
export type TimeoutOf = (module: string) => number;

/** Local sandboxes run many invocations at once: a call also waits its turn, so it gets this much beyond its timeout. */
export const LOCAL_TIMEOUT_MARGIN_MS = 60_000;

const WORKER_URL = new URL('./lambda-worker-entry.mjs', import.meta.url);

/**
 * Lambda handlers run in worker threads, as Lambda runs them in sandboxes apart from Step
 * Functions and API Gateway: the engine and the HTTP front stay on the main thread and the
 * handlers' SDK work uses the other cores. Each invocation goes to the least busy sandbox.
 */
export class LambdaPool {
  private readonly sandboxes: Sandbox[] = [];
  private nextId = 1;
  private closed = false;
  private answers = 0;

  constructor(
    private readonly clock: SharedInstant,
    size: number,
    private readonly handlersDir = HANDLERS_DIR,
    private readonly timeoutOf: TimeoutOf = () => 15,
    private readonly marginMs = LOCAL_TIMEOUT_MARGIN_MS,
  ) {
    for (let i = 0; i < size; i++) this.sandboxes.push(this.spawn());
  }

  /**
   * Runs the handler; fails with `Sandbox.Timedout` (as Lambda does) when it has not answered
   * by its function's timeout plus the local margin, so no caller waits forever.
   */
  invoke(module: string, event: unknown, functionName?: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the Lambda pool is closed'));
    const sandbox = this.sandboxes.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = this.nextId++;
    const timeoutSeconds = this.timeoutOf(module);
    return new Promise((resolve, reject) => {
      const startedAt = Date.now();
      const timer = setTimeout(() => this.timedOut(sandbox, id, timeoutSeconds), timeoutSeconds * 1000 + this.marginMs);
      timer.unref();
      sandbox.inFlight.set(id, { module, startedAt, timer, resolve, reject });
      const message: Invocation = { id, module, event, functionName };
      sandbox.worker.postMessage(message);
    });
  }

  /** Invocations answered so far (a progress counter). */
  answered(): number {
    return this.answers;
  }

  /** What runs now, oldest first (for the local diagnostics). */
  inFlight(): InFlightInvocation[] {
    const now = Date.now();
    return this.sandboxes
      .flatMap((s, index) => [...s.inFlight.values()].map((p) => ({ module: p.module, sandbox: index, ageMs: now - p.startedAt })))
      .sort((a, b) => b.ageMs - a.ageMs);
  }

  private timedOut(sandbox: Sandbox, id: number, timeoutSeconds: number): void {
    const pending = sandbox.inFlight.get(id);
    if (!pending) return;
    sandbox.inFlight.delete(id);
    pending.reject(Object.assign(new Error(`Task timed out after ${timeoutSeconds} seconds (local margin included: ${(Date.now() - pending.startedAt) / 1000} s)`), { name: 'Sandbox.Timedout' }));
    // A sandbox that answered nothing all that time is wedged (a loop, a lost promise): replace
    // it as Lambda would. One that answers others only dropped this call: it runs many at once.
    if (sandbox.lastAnswerAt > pending.startedAt) return;
    const index = this.sandboxes.indexOf(sandbox);
    if (index >= 0 && !this.closed) this.sandboxes[index] = this.spawn(); // later calls go to the new one at once
    void sandbox.worker.terminate(); // its other calls fail as Lambda.Unknown on exit
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.sandboxes.map((s) => s.worker.terminate()));
  }

  private spawn(): Sandbox {
    const workerData: LambdaWorkerData = { clockBuffer: this.clock.buffer, handlersDir: this.handlersDir };
    // The environment is shared: local mode completes it (endpoints) after the sandboxes start.
    const worker = new Worker(WORKER_URL, { workerData, env: SHARE_ENV, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const sandbox: Sandbox = { worker, inFlight: new Map(), lastAnswerAt: Date.now() };
    worker.on('message', (result: InvocationResult) => {
      sandbox.lastAnswerAt = Date.now();
      this.answers++;
      const pending = sandbox.inFlight.get(result.id);
      if (!pending) return; // answered after its deadline: the caller was already told it timed out
      sandbox.inFlight.delete(result.id);
      clearTimeout(pending.timer);
      if (result.ok) pending.resolve(result.value);
      else pending.reject(Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack }));
    });
    // A sandbox that dies fails its invocations as Lambda does (Step Functions sees Lambda.Unknown and retries the step) and is replaced.
    worker.on('exit', (code) => {
      for (const pending of sandbox.inFlight.values()) clearTimeout(pending.timer);
      for (const pending of sandbox.inFlight.values()) pending.reject(Object.assign(new Error(`Lambda sandbox exited with code ${code}`), { name: 'Lambda.Unknown' }));
      sandbox.inFlight.clear();
      if (this.closed) return;
      const index = this.sandboxes.indexOf(sandbox);
      if (index >= 0) this.sandboxes[index] = this.spawn();
    });
    worker.on('error', () => undefined); // reported through 'exit'
    return sandbox;
  }
}
