// Local-only rewrite of a parsed ASL definition. The file on disk stays exactly what AWS
// runs; this makes the in-process engine (aws-local-stepfunctions) behave like AWS where it
// does not: it has no task tokens, times a Task out after 60 s when TimeoutSeconds is
// missing, runs Waits on real timers, and any timer over 2^31-1 ms fires after 1 ms.
// Everything that waits on business time is handed to local handlers that run on the
// virtual clock; the engine's own timers are pushed out of the way.

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type LocalTaskSpec =
  | { kind: 'token'; resource: string; tokenPath: string[]; timeoutSeconds?: number; timeoutFromPayload: boolean }
  | { kind: 'invoke'; resource: string }
  | { kind: 'wait'; mode: 'seconds' | 'timestamp' };

export interface LocalAsl {
  definition: JsonObject;
  /** Every Task of the rewritten definition (incl. former Waits), keyed by state name. */
  taskStates: Map<string, LocalTaskSpec>;
  /** States with a Retry field (the host zeroes their real-time retry sleeps). */
  retryStates: string[];
  /** Top-level TimeoutSeconds, removed so the engine's real (and overflowing) timer is never set. */
  executionTimeoutSeconds?: number;
}

/** The engine's own timeout for parked tasks: under 2^31-1 ms (≈ 23 days of REAL time);
 * the virtual clock does the business timing. */
export const ENGINE_PARKED_TIMEOUT_SECONDS = 2_000_000;
/** A lambda:invoke with no TimeoutSeconds has no task timeout on AWS; there the function's
 * own timeout (≤ 900 s) bounds it. Locally the handler runs in real time and the engine's
 * default is 60 s anyway: we make that explicit. */
export const DEFAULT_INVOKE_TIMEOUT_SECONDS = 60;
/** Placeholder resource of a former Wait state (a valid ARN, so the validators accept it). */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';
export const TIMEOUT_PARAM = '__localTimeoutSeconds';
export const WAIT_UNTIL_PARAM = '__localWaitUntil';
export const WAIT_SECONDS_PARAM = '__localWaitSeconds';
export const WAIT_INPUT_PARAM = 'input';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const TOKEN_SUFFIX = '.waitForTaskToken';
const TASK_TOKEN_PATH = '$$.Task.Token';

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function rewriteForLocal(source: object): LocalAsl {
  const definition = structuredClone(source) as JsonObject;
  const ctx: WalkContext = { taskStates: new Map(), retryStates: new Set(), seen: new Set() };
  const out: LocalAsl = { definition, taskStates: ctx.taskStates, retryStates: [] };
  if (typeof definition.TimeoutSeconds === 'number') {
    out.executionTimeoutSeconds = definition.TimeoutSeconds;
    delete definition.TimeoutSeconds;
  }
  rewriteStates(definition, ctx, 'definition');
  out.retryStates = [...ctx.retryStates];
  return out;
}

interface WalkContext {
  taskStates: Map<string, LocalTaskSpec>;
  retryStates: Set<string>;
  seen: Set<string>;
}

function rewriteStates(machine: JsonValue | undefined, ctx: WalkContext, where: string): void {
  const states = isJsonObject(machine) ? machine.States : undefined;
  if (!isJsonObject(states)) throw new Error(`local-asl: ${where} has no States object`);
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) throw new Error(`local-asl: state "${name}" is not an object`);
    // Local handlers are keyed by state name alone, so one name must mean one state.
    if (ctx.seen.has(name)) throw new Error(`local-asl: duplicate state name "${name}"`);
    ctx.seen.add(name);
    if (Array.isArray(state.Retry)) ctx.retryStates.add(name);
    if (state.Type === 'Task') {
      ctx.taskStates.set(name, rewriteTask(name, state));
    } else if (state.Type === 'Wait') {
      const { task, spec } = rewriteWait(name, state);
      states[name] = task;
      ctx.taskStates.set(name, spec);
    } else if (state.Type === 'Parallel') {
      const branches = Array.isArray(state.Branches) ? state.Branches : [];
      branches.forEach((b, i) => rewriteStates(b, ctx, `"${name}".Branches[${i}]`));
    } else if (state.Type === 'Map') {
      rewriteStates(state.ItemProcessor ?? state.Iterator, ctx, `"${name}".ItemProcessor`);
    }
  }
}

function rewriteTask(name: string, state: JsonObject): LocalTaskSpec {
  const resource = state.Resource;
  if (typeof resource !== 'string') throw new Error(`local-asl: Task "${name}" has no Resource`);
  if (resource.endsWith(TOKEN_SUFFIX)) return rewriteTokenTask(name, state, resource);
  if (resource === LAMBDA_INVOKE || /^arn:aws[a-z-]*:lambda:/.test(resource)) {
    if (state.TimeoutSecondsPath !== undefined) {
      // The engine evaluates it against the input after Parameters (AWS: the state input).
      throw new Error(`local-asl: Task "${name}": TimeoutSecondsPath on ${resource} is not supported locally`);
    }
    if (typeof state.TimeoutSeconds !== 'number') state.TimeoutSeconds = DEFAULT_INVOKE_TIMEOUT_SECONDS;
    else if (state.TimeoutSeconds > ENGINE_PARKED_TIMEOUT_SECONDS) state.TimeoutSeconds = ENGINE_PARKED_TIMEOUT_SECONDS;
    return { kind: 'invoke', resource };
  }
  throw new Error(`local-asl: Task "${name}": resource ${resource} is not supported locally`);
}

function rewriteTokenTask(name: string, state: JsonObject, resource: string): LocalTaskSpec {
  const params = state.Parameters;
  if (!isJsonObject(params)) throw new Error(`local-asl: Task "${name}" needs Parameters carrying ${TASK_TOKEN_PATH}`);
  const found = removeTokenRefs(params, []);
  if (found.length !== 1) {
    throw new Error(`local-asl: Task "${name}" must reference ${TASK_TOKEN_PATH} exactly once (found ${found.length})`);
  }
  const spec: LocalTaskSpec = { kind: 'token', resource, tokenPath: found[0]!, timeoutFromPayload: false };
  if (typeof state.TimeoutSeconds === 'number') spec.timeoutSeconds = state.TimeoutSeconds;
  if (typeof state.TimeoutSecondsPath === 'string') {
    // Resolved by the engine from the state input like any Parameters path; the handler strips it.
    params[`${TIMEOUT_PARAM}.$`] = state.TimeoutSecondsPath;
    spec.timeoutFromPayload = true;
  }
  // Heartbeats are not modelled locally (SendTaskHeartbeat is accepted and ignored).
  for (const k of ['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath']) delete state[k];
  state.TimeoutSeconds = ENGINE_PARKED_TIMEOUT_SECONDS;
  return spec;
}

/** Removes every `"<key>.$": "$$.Task.Token"` entry and returns the key paths (".$" dropped). */
function removeTokenRefs(obj: JsonObject, path: string[]): string[][] {
  const found: string[][] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key.endsWith('.$') && value === TASK_TOKEN_PATH) {
      found.push([...path, key.slice(0, -2)]);
      delete obj[key];
    } else if (isJsonObject(value)) {
      found.push(...removeTokenRefs(value, [...path, key]));
    }
  }
  return found;
}

/** A Wait becomes a Task whose handler returns Parameters.input, i.e. the effective input
 * (after InputPath): with the default ResultPath "$" and the kept OutputPath, the output is
 * exactly the Wait's. */
function rewriteWait(name: string, state: JsonObject): { task: JsonObject; spec: LocalTaskSpec } {
  const params: JsonObject = { [`${WAIT_INPUT_PARAM}.$`]: '$' };
  let mode: 'seconds' | 'timestamp';
  if (state.Seconds !== undefined) {
    params[WAIT_SECONDS_PARAM] = state.Seconds;
    mode = 'seconds';
  } else if (state.SecondsPath !== undefined) {
    params[`${WAIT_SECONDS_PARAM}.$`] = state.SecondsPath;
    mode = 'seconds';
  } else if (state.Timestamp !== undefined) {
    params[WAIT_UNTIL_PARAM] = state.Timestamp;
    mode = 'timestamp';
  } else if (state.TimestampPath !== undefined) {
    params[`${WAIT_UNTIL_PARAM}.$`] = state.TimestampPath;
    mode = 'timestamp';
  } else {
    throw new Error(`local-asl: Wait "${name}" has no Seconds/SecondsPath/Timestamp/TimestampPath`);
  }
  const task: JsonObject = { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE };
  if (state.Comment !== undefined) task.Comment = state.Comment;
  if (state.InputPath !== undefined) task.InputPath = state.InputPath;
  task.Parameters = params;
  task.TimeoutSeconds = ENGINE_PARKED_TIMEOUT_SECONDS;
  if (state.OutputPath !== undefined) task.OutputPath = state.OutputPath;
  if (state.Next !== undefined) task.Next = state.Next;
  if (state.End !== undefined) task.End = state.End;
  return { task, spec: { kind: 'wait', mode } };
}
