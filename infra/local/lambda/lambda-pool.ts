import { SHARE_ENV, Worker } from 'node:worker_threads';
import { HANDLERS_DIR } from '../../paths.js';
import type { SharedInstant } from './shared-clock.js';
import type { Invocation, InvocationResult, LambdaWorkerData } from './lambda-protocol.js';

interface Sandbox {
  worker: Worker;
  inFlight: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

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

  constructor(private readonly clock: SharedInstant, size: number, private readonly handlersDir = HANDLERS_DIR) {
    for (let i = 0; i < size; i++) this.sandboxes.push(this.spawn());
  }

  invoke(module: string, event: unknown, functionName?: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the Lambda pool is closed'));
    const sandbox = this.sandboxes.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      sandbox.inFlight.set(id, { resolve, reject });
      const message: Invocation = { id, module, event, functionName };
      sandbox.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.sandboxes.map((s) => s.worker.terminate()));
  }

  private spawn(): Sandbox {
    const workerData: LambdaWorkerData = { clockBuffer: this.clock.buffer, handlersDir: this.handlersDir };
    // The environment is shared: local mode completes it (endpoints) after the sandboxes start.
    const worker = new Worker(WORKER_URL, { workerData, env: SHARE_ENV, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const sandbox: Sandbox = { worker, inFlight: new Map() };
    worker.on('message', (result: InvocationResult) => {
      const pending = sandbox.inFlight.get(result.id);
      if (!pending) return;
      sandbox.inFlight.delete(result.id);
      if (result.ok) pending.resolve(result.value);
      else pending.reject(Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack }));
    });
    // A sandbox that dies fails its invocations as Lambda does (Step Functions sees Lambda.Unknown and retries the step) and is replaced.
    worker.on('exit', (code) => {
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
