import type { VirtualClock } from '../clock/virtual-clock.js';
import { detachedError, runtimeError, taskError } from './engine-errors.js';
import {
  isJsonObject,
  TIMEOUT_PARAM,
  WAIT_INPUT_PARAM,
  WAIT_SECONDS_PARAM,
  WAIT_UNTIL_PARAM,
  type JsonObject,
  type JsonValue,
  type LocalTaskSpec,
} from './local-asl.js';
import type { TokenRegistry } from './token-registry.js';

export type LambdaInvoker = (functionName: string, payload: unknown) => Promise<unknown>;
export type LocalHandler = (input: JsonValue) => Promise<JsonValue>;

export interface HandlerDeps {
  clock: VirtualClock;
  tokens: TokenRegistry;
  invokeLambda: LambdaInvoker;
  /** Wraps real work (a Lambda call) so settle() waits for it. */
  track: <T>(executionArn: string, work: () => Promise<T>) => Promise<T>;
}

/** Per-execution state the handlers share with the host. */
export interface ExecutionScope {
  executionArn: string;
  /** Virtual-clock waits in progress: timer id → reject (used when the execution ends). */
  waits: Map<number, (e: Error) => void>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** One handler per Task state (the engine keys local handlers by state name, also inside
 * Parallel and Map); each gets the state's input after InputPath and Parameters. */
export function buildHandlers(
  specs: Map<string, LocalTaskSpec>,
  deps: HandlerDeps,
  scope: ExecutionScope,
): Record<string, LocalHandler> {
  const handlers: Record<string, LocalHandler> = {};
  for (const [stateName, spec] of specs) {
    if (spec.kind === 'invoke') handlers[stateName] = (input) => invoke(spec.resource, input, deps, scope);
    else if (spec.kind === 'token') handlers[stateName] = (input) => callback(stateName, spec, input, deps, scope);
    else handlers[stateName] = (input) => wait(spec.mode, input, deps.clock, scope);
  }
  return handlers;
}

/** lambda:invoke returns Lambda's Invoke response shape so ResultSelector/OutputPath on
 * `$.Payload` work; a direct Lambda ARN resource returns the function's result itself. */
async function invoke(resource: string, input: JsonValue, deps: HandlerDeps, scope: ExecutionScope): Promise<JsonValue> {
  if (resource !== LAMBDA_INVOKE) return callLambda(resource, input, deps, scope);
  const params = asObject(input, resource);
  const functionName = requireFunctionName(params);
  const payload = await callLambda(functionName, params.Payload ?? null, deps, scope);
  return { StatusCode: 200, Payload: payload };
}

async function callback(
  stateName: string,
  spec: Extract<LocalTaskSpec, { kind: 'token' }>,
  input: JsonValue,
  deps: HandlerDeps,
  scope: ExecutionScope,
): Promise<JsonValue> {
  const params = asObject(input, spec.resource);
  let timeout = spec.timeoutSeconds;
  if (spec.timeoutFromPayload) {
    const fromPath = params[TIMEOUT_PARAM];
    delete params[TIMEOUT_PARAM];
    if (typeof fromPath !== 'number' || !Number.isInteger(fromPath) || fromPath < 1) {
      throw runtimeError(`TimeoutSecondsPath of "${stateName}" must be an integer >= 1, got ${JSON.stringify(fromPath)}`);
    }
    timeout = fromPath;
  }
  const deadline = timeout === undefined ? undefined : new Date(deps.clock.now().getTime() + timeout * 1000);
  const { token, promise } = deps.tokens.mint(scope.executionArn, stateName, deadline);
  setAtPath(params, spec.tokenPath, token);
  if (spec.resource.startsWith(LAMBDA_INVOKE)) {
    const functionName = requireFunctionName(params);
    // AWS: the callback task ends with SendTask*, not with the Lambda's result; but a failed
    // invocation fails the task with the Lambda's error.
    void callLambda(functionName, params.Payload ?? null, deps, scope).catch((e: unknown) => {
      const err = e instanceof Error ? e : taskError('Error', String(e));
      try {
        deps.tokens.fail(token, err.name, err.message);
      } catch {
        // Token already completed (the function called SendTask* before failing): AWS keeps that outcome.
      }
    });
  }
  // Other .waitForTaskToken integrations (SQS, SNS, ...) only mint the token: the host's
  // openTokens() exposes it; nothing is sent.
  return promise;
}

/** A former Wait state: resolves when the virtual clock reaches the target instant. */
async function wait(mode: 'seconds' | 'timestamp', input: JsonValue, clock: VirtualClock, scope: ExecutionScope): Promise<JsonValue> {
  const params = asObject(input, 'local wait');
  const original = params[WAIT_INPUT_PARAM] ?? null;
  const nowMs = clock.now().getTime();
  let targetMs: number;
  if (mode === 'seconds') {
    const s = params[WAIT_SECONDS_PARAM];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw runtimeError(`Wait seconds must be an integer >= 0, got ${JSON.stringify(s)}`);
    targetMs = nowMs + s * 1000;
  } else {
    const ts = params[WAIT_UNTIL_PARAM];
    if (typeof ts !== 'string' || !RFC3339.test(ts)) throw runtimeError(`Wait timestamp must be RFC 3339, got ${JSON.stringify(ts)}`);
    targetMs = Date.parse(ts);
  }
  if (targetMs <= nowMs) return original; // AWS: a timestamp in the past does not wait
  return new Promise<JsonValue>((resolve, reject) => {
    const id = clock.schedule(new Date(targetMs), () => {
      scope.waits.delete(id);
      resolve(original);
    });
    scope.waits.set(id, reject);
  });
}

/** Ends the waits of an execution that stopped: cancels their timers, releases the engine. */
export function dropWaits(scope: ExecutionScope, clock: VirtualClock): void {
  for (const [id, reject] of scope.waits) {
    clock.cancel(id);
    reject(detachedError(`execution ${scope.executionArn} is no longer running`));
  }
  scope.waits.clear();
}

/** Calls the function like Lambda would: payload and result cross a JSON boundary, and a
 * thrown error becomes the task error named after its errorType (so Catch on e.g.
 * "PolicyCancelled" works) with Lambda's JSON error document as Cause. */
async function callLambda(functionName: string, payload: JsonValue, deps: HandlerDeps, scope: ExecutionScope): Promise<JsonValue> {
  try {
    const result = await deps.track(scope.executionArn, () => deps.invokeLambda(functionName, structuredClone(payload)));
    return JSON.parse(JSON.stringify(result ?? null)) as JsonValue;
  } catch (e) {
    const errorType = e instanceof Error ? e.name : 'Error';
    const errorMessage = e instanceof Error ? e.message : String(e);
    const trace = e instanceof Error && e.stack ? e.stack.split('\n') : [];
    throw taskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
  }
}

function asObject(input: JsonValue, what: string): JsonObject {
  if (!isJsonObject(input)) throw runtimeError(`${what}: Parameters must produce an object`);
  return input;
}

function requireFunctionName(params: JsonObject): string {
  const fn = params.FunctionName;
  if (typeof fn !== 'string' || fn === '') throw runtimeError('lambda:invoke needs Parameters.FunctionName');
  return fn;
}

function setAtPath(target: JsonObject, path: string[], value: JsonValue): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isJsonObject(next)) throw runtimeError(`task token path ${path.join('.')} is not an object`);
    node = next;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}
