import './polyfill.js';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// Errors thrown from local handlers, shaped the way aws-local-stepfunctions matches them.
// Verified in its StateExecutor (build/main.node.cjs, shouldRetry/catchError):
//   match       = ErrorEquals entry === error.name            (so the name is the error code)
//   Catch output = { Error: error.name, Cause: error.message }
//   "States.TaskFailed" matches every error of a Task EXCEPT `instanceof StatesTimeoutError`,
//   a class the package does not export; `error.isCatchable ?? true`, `error.isRetryable ?? true`.
// A plain Error named "States.Timeout" would therefore be caught by States.TaskFailed, which
// AWS never does. So the first timeout error is taken from the engine itself (see probe).

/** An error that Retry/Catch match by `name` (the AWS error code) with Cause = message. */
export function taskError(name: string, cause: string): Error {
  const e = new Error(cause);
  e.name = name;
  return e;
}

/** Like the engine's States.Runtime: neither retried nor caught, fails the execution. */
export function runtimeError(message: string): Error {
  return Object.assign(taskError('States.Runtime', message), { isCatchable: false, isRetryable: false });
}

/** Ends a task the engine no longer cares about (stopped execution, aborted branch):
 * no Retry or Catch may run for it. */
export function detachedError(message: string): Error {
  return Object.assign(taskError('Local.ExecutionEnded', message), { isCatchable: false, isRetryable: false });
}

type ErrorCtor = new () => Error;
let timeoutCtor: Promise<ErrorCtor | undefined> | undefined;

/**
 * Runs a one-state machine whose Task times out after 1 ms (TimeoutSeconds 0.001 with
 * validation off; the engine multiplies by 1000) and keeps the constructor of the error it
 * fails with. About 2 ms, once per process.
 */
async function probeTimeoutCtor(): Promise<ErrorCtor | undefined> {
  const def = {
    StartAt: 'Probe',
    States: { Probe: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 0.001, End: true } },
  } as unknown as StateMachineDefinition;
  const sm = new StateMachine(def, { validationOptions: { noValidate: true } });
  const run = sm.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } } });
  try {
    await run.result;
  } catch (e) {
    const cause = e instanceof ExecutionError ? e.cause : undefined;
    if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as ErrorCtor;
  }
  return undefined;
}

/** A States.Timeout the engine recognises as its own (not matched by States.TaskFailed). */
export async function statesTimeoutError(): Promise<Error> {
  timeoutCtor ??= probeTimeoutCtor();
  const Ctor = await timeoutCtor;
  if (Ctor) return new Ctor();
  // Fallback if a future engine changes: still matches "States.Timeout" and States.ALL.
  return taskError('States.Timeout', 'States.Timeout');
}
