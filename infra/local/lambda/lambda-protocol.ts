/** Messages between the Lambda pool (main thread) and its worker sandboxes. */
export interface LambdaWorkerData {
  readonly clockBuffer: SharedArrayBuffer;
  /** Absolute path of functions/handlers; `module` paths are relative to it. */
  readonly handlersDir: string;
}

export interface Invocation {
  readonly id: number;
  /** e.g. `http/get-policy.ts`, `workflow/workflow-step.ts`. */
  readonly module: string;
  readonly event: unknown;
  /** Set for handlers that take Lambda's context (the HTTP ones). */
  readonly functionName?: string;
}

export type InvocationResult =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };
