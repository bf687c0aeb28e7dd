import './polyfill.js';
import { ExecutionError, type StateMachine } from 'aws-local-stepfunctions';
import type { JsonValue, LocalAsl } from './local-asl.js';
import type { LocalHandler } from './task-handlers.js';

export type EngineOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error: string; cause: string };

export interface EngineRun {
  sm: StateMachine;
  local: LocalAsl;
  input: JsonValue;
  handlers: Record<string, LocalHandler>;
  retryIntervalMs: number;
  /** $$.Execution / $$.StateMachine. The engine itself overwrites Execution.Input and
   * Execution.StartTime (the latter with REAL time: do not use it as business time). */
  context: { Execution: { Id: string; Name: string }; StateMachine: { Id: string; Name: string } };
  onEvent: (type: string, stateName?: string) => void;
  onEnd: (outcome: EngineOutcome) => void;
}

/** Starts one execution on aws-local-stepfunctions and reports its events and its end. */
export function runOnEngine(r: EngineRun): { abort: () => void } {
  const run = r.sm.run(r.input, {
    overrides: {
      taskResourceLocalHandlers: r.handlers,
      // Retries sleep in real time otherwise, invisible to settle(); see LocalStepFunctionsOptions.
      retryIntervalOverrides: Object.fromEntries(r.local.retryStates.map((n) => [n, r.retryIntervalMs])),
    },
    // An abort resolves `result` with null; the host has recorded ABORTED/TIMED_OUT already.
    noThrowOnAbort: true,
    context: r.context,
  });
  void pump(run.eventLogs, r.onEvent);
  run.result.then(
    (output) => r.onEnd({ status: 'SUCCEEDED', output: JSON.stringify(output ?? null) }),
    (e: unknown) => r.onEnd({ status: 'FAILED', ...failureOf(e) }),
  );
  return { abort: run.abort };
}

async function pump(logs: ReturnType<StateMachine['run']>['eventLogs'], onEvent: EngineRun['onEvent']): Promise<void> {
  for await (const ev of logs) {
    try {
      onEvent(ev.type, 'state' in ev ? ev.state.name : undefined);
    } catch {
      // An observer's failure must not stall the execution's event stream.
    }
  }
}

/** The engine rejects with ExecutionError whose cause is the state's error: its name is the
 * AWS error code (e.g. a Fail state's Error) and its message the Cause. */
function failureOf(e: unknown): { error: string; cause: string } {
  const inner = e instanceof ExecutionError && e.cause instanceof Error ? e.cause : e;
  if (inner instanceof Error) return { error: inner.name, cause: inner.message };
  return { error: 'States.Runtime', cause: String(inner) };
}
