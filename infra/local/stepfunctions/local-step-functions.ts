import './polyfill.js';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { VirtualClock } from '../clock/virtual-clock.js';
import { ActivityMonitor } from './activity-monitor.js';
import {
  executionArnOf,
  parseExecutionInput,
  parseStateMachineArn,
  parseTaskOutput,
  validateExecutionName,
} from './api-validation.js';
import { SfnServiceError } from './errors.js';
import { runOnEngine } from './engine-run.js';
import { ExecutionStore, type ExecutionDescription, type ExecutionStatus } from './execution-store.js';
import { rewriteForLocal, type LocalAsl } from './local-asl.js';
import { buildHandlers, dropWaits, type ExecutionScope, type HandlerDeps, type LambdaInvoker } from './task-handlers.js';
import { TokenRegistry, type OpenTokenInfo } from './token-registry.js';

export type { LambdaInvoker } from './task-handlers.js';
export type { ExecutionDescription, ExecutionStatus } from './execution-store.js';

export interface StateEvent {
  executionArn: string;
  type: string;
  stateName?: string;
  at: Date;
}

export interface LocalStepFunctionsOptions {
  clock: VirtualClock;
  invokeLambda: LambdaInvoker;
  onStateEvent?: (e: StateEvent) => void;
  /** Finished executions kept for Describe/idempotency (oldest dropped first). */
  maxFinishedExecutions?: number;
  /** Real-time pause before a Retry (default 0: retries are immediate, so settle() sees them). */
  retryIntervalMs?: number;
  validationOptions?: { checkArn?: boolean; checkPaths?: boolean };
}

export interface EngineFootprint {
  readonly running: number;
  readonly finished: number;
  readonly openTokens: number;
  readonly executionsMonitored: number;
}

interface Machine {
  local: LocalAsl;
  sm: StateMachine;
}

interface Running extends ExecutionScope {
  desc: ExecutionDescription;
  abort: () => void;
  timeoutTimer?: number;
  /** The last state entered and exited (diagnostics: where a stalled execution stands). */
  lastEvent?: { type: string; stateName?: string };
}

/** A running execution that waits on nothing: no open token, no virtual wait, no handler in flight. */
export interface StalledExecution {
  readonly executionArn: string;
  readonly lastEvent?: { readonly type: string; readonly stateName?: string };
}

/**
 * Hosts aws-local-stepfunctions with AWS Step Functions API semantics and virtual time.
 * Known local differences (see also local-asl.ts): executions live in memory only; Retry
 * intervals are not waited (retryIntervalMs, default 0); HeartbeatSeconds is ignored;
 * $$.Execution.StartTime is real time; tokens of a Parallel branch aborted by a failing
 * sibling stay open until completed, timed out, or the execution ends.
 */
export class LocalStepFunctions {
  private readonly opts: LocalStepFunctionsOptions;
  private readonly tokens: TokenRegistry;
  private readonly machines = new Map<string, Machine>();
  private readonly running = new Map<string, Running>();
  private readonly store: ExecutionStore;
  private readonly monitor = new ActivityMonitor();

  constructor(opts: LocalStepFunctionsOptions) {
    this.opts = opts;
    this.tokens = new TokenRegistry({ clock: opts.clock });
    this.store = new ExecutionStore(opts.maxFinishedExecutions ?? 10_000);
  }

  /** Validates and builds the engine's StateMachine once (validation costs ~300 ms). A new
   * definition for the same arn applies to executions started afterwards, as on AWS. */
  registerStateMachine(arn: string, definition: object): void {
    parseStateMachineArn(arn);
    let local: LocalAsl;
    let sm: StateMachine;
    try {
      local = rewriteForLocal(definition);
      // The engine's validator mutates its input: give it a copy.
      const engineDef = structuredClone(local.definition) as unknown as StateMachineDefinition;
      sm = new StateMachine(engineDef, { validationOptions: this.opts.validationOptions ?? {} });
    } catch (e) {
      throw new SfnServiceError('InvalidDefinition', e instanceof Error ? e.message : String(e));
    }
    this.machines.set(arn, { local, sm });
  }

  /**
   * AWS semantics: same name and same input as a RUNNING execution returns it (idempotent);
   * otherwise a known name is ExecutionAlreadyExists, also once finished (AWS keeps names
   * 90 days). `resume: true` (local only, for re-starting lifecycles after a restart, see
   * docs/architecture.md §4) lets a FINISHED name start again. Names of finished executions
   * evicted from the bounded store are forgotten, as are all names after a restart.
   */
  startExecution(input: { stateMachineArn: string; name?: string; input?: string; resume?: boolean }): {
    executionArn: string;
    startDate: Date;
  } {
    const smArn = input.stateMachineArn;
    const smName = parseStateMachineArn(smArn);
    const machine = this.machines.get(smArn);
    if (!machine) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${smArn}'`);
    const name = input.name ?? randomUUID();
    validateExecutionName(name);
    const inputText = input.input ?? '{}';
    const parsed = parseExecutionInput(inputText);
    const executionArn = executionArnOf(smArn, name);
    const existing = this.running.get(executionArn);
    if (existing) {
      if (existing.desc.input === inputText) return { executionArn, startDate: existing.desc.startDate };
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (this.store.has(executionArn) && !input.resume) {
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.store.delete(executionArn);
    const startDate = this.opts.clock.now();
    const exec: Running = {
      executionArn,
      waits: new Map(),
      abort: () => undefined,
      desc: { executionArn, stateMachineArn: smArn, name, status: 'RUNNING', input: inputText, startDate },
    };
    this.running.set(executionArn, exec);
    this.monitor.bump();
    const { abort } = runOnEngine({
      sm: machine.sm,
      local: machine.local,
      input: parsed,
      handlers: buildHandlers(machine.local.taskStates, this.handlerDeps(), exec),
      retryIntervalMs: this.opts.retryIntervalMs ?? 0,
      context: { Execution: { Id: executionArn, Name: name }, StateMachine: { Id: smArn, Name: smName } },
      onEvent: (type, stateName) => this.onEngineEvent(executionArn, type, stateName),
      onEnd: ({ status, ...extra }) => this.finish(exec, status, extra),
    });
    exec.abort = abort;
    const limit = machine.local.executionTimeoutSeconds;
    if (limit !== undefined) {
      exec.timeoutTimer = this.opts.clock.schedule(new Date(startDate.getTime() + limit * 1000), () =>
        this.finish(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out' }),
      );
    }
    return { executionArn, startDate };
  }

  sendTaskSuccess(token: string, output: string): void {
    const executionArn = this.tokens.executionOf(token);
    this.tokens.succeed(token, parseTaskOutput(output));
    this.monitor.bump(executionArn);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const executionArn = this.tokens.executionOf(token);
    this.tokens.fail(token, error, cause);
    this.monitor.bump(executionArn);
  }

  sendTaskHeartbeat(token: string): void {
    this.tokens.heartbeat(token);
  }

  /** StopExecution: ABORTED now; on a finished execution it changes nothing (as AWS). */
  stopExecution(executionArn: string, error?: string, cause?: string): { stopDate: Date } {
    const exec = this.running.get(executionArn);
    if (!exec) return { stopDate: this.describeExecution(executionArn).stopDate ?? this.opts.clock.now() };
    const extra: { error?: string; cause?: string } = {};
    if (error !== undefined) extra.error = error;
    if (cause !== undefined) extra.cause = cause;
    this.finish(exec, 'ABORTED', extra);
    return { stopDate: exec.desc.stopDate ?? this.opts.clock.now() };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const desc = this.running.get(executionArn)?.desc ?? this.store.get(executionArn);
    if (!desc) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return { ...desc };
  }

  listExecutions(statusFilter?: ExecutionStatus, stateMachineArn?: string): ExecutionDescription[] {
    const all = [...[...this.running.values()].map((r) => r.desc), ...this.store.values()];
    return all
      .filter((d) => (statusFilter === undefined || d.status === statusFilter) && (stateMachineArn === undefined || d.stateMachineArn === stateMachineArn))
      .map((d) => ({ ...d }));
  }

  /** Tokens waiting for a callback in one execution (local inspection; AWS has no such call). */
  openTokens(executionArn: string): OpenTokenInfo[] {
    return this.tokens.openTokens(executionArn);
  }

  /** What the host keeps in memory: executions and tokens while open, a bounded number of
   * finished descriptions, and per-execution bookkeeping only while work is in flight or awaited. */
  footprint(): EngineFootprint {
    return { running: this.running.size, finished: this.store.size, openTokens: this.tokens.openCount(), executionsMonitored: this.monitor.keysHeld() };
  }

  /** Executions with handler work in flight (not parked on a token or a virtual wait). */
  busy(): number {
    return this.monitor.busy();
  }

  /**
   * Running executions that wait on nothing (no open token, no virtual wait, no handler in
   * flight): once settled, an execution is always parked on one of these, so any listed here
   * is stuck and will move only when resumed from the log at a restart.
   */
  stalledExecutions(limit = 20): StalledExecution[] {
    const busy = new Set(this.monitor.busyKeys(Number.MAX_SAFE_INTEGER));
    const stalled: StalledExecution[] = [];
    for (const exec of this.running.values()) {
      if (stalled.length >= limit) break;
      if (busy.has(exec.executionArn) || exec.waits.size > 0 || this.tokens.openTokens(exec.executionArn).length > 0) continue;
      stalled.push({ executionArn: exec.executionArn, ...(exec.lastEvent ? { lastEvent: exec.lastEvent } : {}) });
    }
    return stalled;
  }

  /** The executions with handler work in flight (the first `limit`), for diagnostics. */
  busyExecutions(limit = 20): string[] {
    return this.monitor.busyKeys(limit);
  }

  /** Resolves once every execution is parked (token, virtual wait) or finished and no
   * handler is in flight: the settle step of VirtualClock.advanceTo. `report` hears every
   * 30 s what it still waits for. */
  settle(report?: Parameters<ActivityMonitor['settle']>[0]): Promise<void> {
    return this.monitor.settle(report);
  }

  /** Resolves once one execution is parked (token, virtual wait) or finished; others may keep working. */
  settleExecution(executionArn: string): Promise<void> {
    return this.monitor.settleKey(executionArn);
  }

  /** Aborts every running execution so no engine timer keeps the process alive. */
  close(): void {
    for (const exec of [...this.running.values()]) this.finish(exec, 'ABORTED', { error: 'Local.Shutdown' });
  }

  private handlerDeps(): HandlerDeps {
    return {
      clock: this.opts.clock,
      tokens: this.tokens,
      invokeLambda: this.opts.invokeLambda,
      track: (key, work) => this.monitor.track(key, work),
    };
  }

  private onEngineEvent(executionArn: string, type: string, stateName?: string): void {
    this.monitor.bump(executionArn);
    const running = this.running.get(executionArn);
    if (running) running.lastEvent = { type, ...(stateName !== undefined ? { stateName } : {}) };
    // An execution timeout is enforced by aborting the engine run: report it as AWS names it.
    const timedOut = type === 'ExecutionAborted' && this.store.get(executionArn)?.status === 'TIMED_OUT';
    const e: StateEvent = { executionArn, type: timedOut ? 'ExecutionTimedOut' : type, at: this.opts.clock.now() };
    if (stateName !== undefined) e.stateName = stateName;
    this.opts.onStateEvent?.(e);
  }

  /** First outcome wins; releases tokens, waits and timers so the engine's parked tasks end. */
  private finish(exec: Running, status: ExecutionStatus, extra: { output?: string; error?: string; cause?: string }): void {
    if (exec.desc.status !== 'RUNNING') return;
    Object.assign(exec.desc, extra, { status, stopDate: this.opts.clock.now() });
    this.monitor.bump();
    this.running.delete(exec.executionArn);
    this.store.add(exec.desc);
    if (exec.timeoutTimer !== undefined) this.opts.clock.cancel(exec.timeoutTimer);
    if (status === 'ABORTED' || status === 'TIMED_OUT') exec.abort();
    this.tokens.dropExecution(exec.executionArn);
    dropWaits(exec, this.opts.clock);
  }
}
