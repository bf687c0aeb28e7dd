import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiResponse } from '../../support/local-api.js';
import type { Action, Step } from './workload.js';
import { readSnapshot, type Snapshot } from './snapshot.js';
import { diagnosticsDump, readProgress } from './system-probe.js';
import { SystemProcess } from './system-process.js';
import { CallTimedOut, TimedApi } from './timed-api.js';
import { Watchdog, type GiveUp } from './watchdog.js';

/** The system died under a request: it stays unanswered and is sent again after the restart. */
class Crashed extends Error {}

/** The watchdog gave up on the run: what the system said then, its last lines, and everything it started killed. */
export class RunAbandoned extends Error {
  constructor(readonly verdict: GiveUp, readonly dump: readonly string[]) {
    super(`${verdict.kind} at ${verdict.where}: ${verdict.reason}`);
  }
}

export interface KillRecord {
  readonly step: number;
  readonly label: string;
  /** False when the step had already finished: the kill then fell between two steps. */
  readonly midStep: boolean;
  readonly restartMs: number;
}

export interface RunResult {
  readonly label: string;
  readonly stepMs: number[];
  readonly kills: KillRecord[];
  /** Final status of every workload request, by its key. */
  readonly statuses: ReadonlyMap<string, number>;
  /** Keys of the requests sent more than once (unanswered when the system died). */
  readonly resent: ReadonlySet<string>;
  readonly serverErrors: string[];
  /** 4xx answers to workload requests: none is expected in an uninterrupted run. */
  readonly refused: string[];
  /** Calls that got no answer within the call timeout (re-sent). */
  readonly timedOut: string[];
  readonly snapshot: Snapshot;
}

export interface WatchOptions {
  /** A call with no answer this long is abandoned. */
  readonly callTimeoutMs: number;
  /** No progress of the system this long: the run is abandoned, STALLED. */
  readonly stallMs: number;
  /** The run's cap: abandoned, TIMED OUT. */
  readonly maxMs: number;
  readonly heartbeatMs: number;
}

export const DEFAULT_WATCH: WatchOptions = { callTimeoutMs: 300_000, stallMs: 120_000, maxMs: 60 * 60_000, heartbeatMs: 30_000 };

export interface DriverOptions {
  readonly label: string;
  readonly dataDir: string;
  readonly clockStart: Date;
  readonly env?: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Also SIGKILL the DynamoDB stand-in (dynalite's process), not only `npm start`'s. */
  readonly killDatabase: boolean;
  readonly progress: (line: string) => void;
  /**
   * What a timed-out call becomes: re-sent like a call cut by a kill (the killed run), or the
   * end of the run (the uninterrupted run, whose answers are the yardstick).
   */
  readonly onCallTimeout: 'resend' | 'fail';
  readonly watch?: WatchOptions;
  /** Node arguments of the system's entry point: `npm start`'s unless a test gives a stand-in. */
  readonly entry?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Appends every line the system prints (prefixed with the run's label) to this file, to trace a divergence. */
  readonly systemLog?: string;
  /** The system's LOG_LEVEL (default `error`: the log is read for `execution failed` lines). */
  readonly logLevel?: string;
}

/**
 * Drives the workload's steps against `npm start`'s entry point in a child process, kills
 * it (SIGKILL) at the planned moments, restarts it on the same data folder and re-sends,
 * as a client would, every request left unanswered (same keys, ids and bodies; the clock
 * advance to the same instant).
 */
export class TortureDriver {
  private system: SystemProcess | undefined;
  private api: TimedApi | undefined;
  /** Every system this run started, killed ones included: none may outlive the run. */
  private readonly started: SystemProcess[] = [];
  private databasePid = 0;
  private dead = false;
  private abandoned = false;
  private position = 'start-up';
  private readonly failedExecutions: string[] = [];
  private readonly timedOut: string[] = [];
  private readonly watch: WatchOptions;
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private readonly sent = new Set<string>();
  private readonly resent = new Set<string>();
  private readonly serverErrors: string[] = [];
  private readonly refused: string[] = [];
  private readonly kills: KillRecord[] = [];
  /** Policies whose requests of a step were all answered, by step and policy. */
  private readonly sequencesDone = new Set<string>();

  constructor(private readonly options: DriverOptions) {
    this.watch = options.watch ?? DEFAULT_WATCH;
  }

  /** The workload under a watchdog: a run that stalls or overruns is abandoned (RunAbandoned), its systems killed. */
  async run(steps: readonly Step[], policyIds: readonly string[], killsAt: ReadonlyMap<number, readonly number[]>, referenceMs?: readonly number[]): Promise<RunResult> {
    const probeTimeoutMs = Math.min(this.watch.callTimeoutMs, 10_000);
    const watchdog = new Watchdog({
      stallMs: this.watch.stallMs,
      maxMs: this.watch.maxMs,
      heartbeatMs: this.watch.heartbeatMs,
      sampleMs: Math.min(5_000, this.watch.stallMs / 4),
      sample: async () => (this.api ? readProgress(this.api, probeTimeoutMs, `${this.answers.size} answers received`) : undefined),
      where: () => `${this.position} in the ${this.options.label}`,
      log: this.options.progress,
    });
    const abandoned = watchdog.gaveUp.then((verdict) => this.abandon(verdict, probeTimeoutMs));
    const work = this.drive(watchdog, steps, policyIds, killsAt, referenceMs);
    watchdog.start();
    let finished = false;
    try {
      // Once the watchdog gives up, the work fails against a system marked dead: the verdict is the error, not that.
      const result = await Promise.race([work.catch((error: unknown) => (this.abandoned ? abandoned : Promise.reject(error))), abandoned]);
      finished = true;
      return result;
    } finally {
      watchdog.stop();
      // Once abandoned, the work left fails against a dead system: nobody waits for it.
      work.catch(() => undefined);
      await this.shutdown(finished);
    }
  }

  private async drive(watchdog: Watchdog, steps: readonly Step[], policyIds: readonly string[], killsAt: ReadonlyMap<number, readonly number[]>, referenceMs?: readonly number[]): Promise<RunResult> {
    await watchdog.hold(this.boot());
    const stepMs: number[] = [];
    for (const [index, step] of steps.entries()) {
      this.position = `step ${index + 1}/${steps.length} "${step.label}"`;
      this.options.progress(`${this.options.label}: step ${index + 1}/${steps.length} ${step.label}, ${this.sequencesDone.size} policy request sequences done, kills ${this.kills.length}`);
      const started = performance.now();
      // Within the first half of the step's uninterrupted duration: a killed run that goes
      // faster (a quieter machine) still meets the kill in the middle of the step.
      for (const fraction of killsAt.get(index) ?? []) await this.killDuring(watchdog, index, step, (fraction * (referenceMs?.[index] ?? 0)) / 2);
      if (!(await this.attempt(step))) throw new Error(`${this.options.label}: the system died during "${step.label}" without being killed:\n${this.system?.lastLines().join('\n') ?? ''}`);
      stepMs.push(performance.now() - started);
    }
    this.reportFailedExecutions();
    this.position = 'reading the snapshot';
    this.options.progress(`${this.options.label}: reading views, histories, verifications, statements and e-mails`);
    const snapshot = await readSnapshot((credential, path) => this.send(`read ${path}`, credential, 'GET', path, undefined), policyIds);
    const statuses = new Map([...this.answers].map(([key, answer]) => [key, answer.status]));
    return { label: this.options.label, stepMs, kills: this.kills, statuses, resent: this.resent, serverErrors: this.serverErrors, refused: this.refused, timedOut: this.timedOut, snapshot };
  }

  /** Dumps what the system says and its last lines, kills everything the run started, and ends the run. */
  private async abandon(verdict: GiveUp, probeTimeoutMs: number): Promise<never> {
    this.abandoned = true;
    this.dead = true;
    const dump = [
      ...(this.api ? await diagnosticsDump(this.api, probeTimeoutMs) : ['(no system running)']),
      `last lines of the system (pid ${this.system?.pid ?? '-'}):`,
      ...(this.system?.lastLines() ?? []).map((line) => `  ${line}`),
    ];
    const notKilled: string[] = [];
    for (const system of this.started) await system.killGroup().catch((error: unknown) => notKilled.push(String(error)));
    throw new RunAbandoned(verdict, [...dump, ...notKilled.map((e) => `NOT KILLED: ${e}`)]);
  }

  /**
   * The current system stopped gently after a finished run (killed after a failed one: it may
   * be wedged), every earlier one (killed) checked gone: no orphan outlives the run.
   */
  private async shutdown(finished: boolean): Promise<void> {
    const current = this.system;
    for (const system of this.started) {
      const left = system === current && finished ? await system.stop() : (await system.killGroup(), []);
      if (left.length > 0) this.options.progress(`${this.options.label}: processes ${left.join(', ')} still running after the system stopped: killed`);
    }
  }

  /** A failed lifecycle stays down until the next start-up: its log line says why (the system logs it). */
  private reportFailedExecutions(): void {
    for (const line of this.failedExecutions.splice(0)) this.options.progress(`${this.options.label}: ${line.slice(0, 600)}`);
  }

  private async boot(): Promise<void> {
    if (this.abandoned) throw new Error(`${this.options.label}: abandoned, no restart`);
    const system = new SystemProcess({
      dataDir: this.options.dataDir,
      clockStart: this.options.clockStart,
      env: { LOG_LEVEL: this.options.logLevel ?? 'error', ...this.options.env },
      startTimeoutMs: this.options.startTimeoutMs ?? 180_000,
      ...(this.options.entry ? { entry: this.options.entry } : {}),
      onLine: (line) => {
        if (line.includes('execution failed')) this.failedExecutions.push(line);
        if (this.options.systemLog) appendFileSync(this.options.systemLog, `${this.options.label}: ${line}\n`);
      },
    });
    this.started.push(system);
    this.system = system;
    this.api = undefined; // the watchdog does not read a system that is not up yet
    this.api = new TimedApi(await system.ready, this.watch.callTimeoutMs);
    this.databasePid = Number(await readFile(join(this.options.dataDir, 'dynamodb', 'server.pid'), 'utf8').catch(() => '0'));
    this.dead = false;
  }

  /** Runs the step and kills the whole system `delayMs` into it (at its end if it finishes first), then restarts. */
  private async killDuring(watchdog: Watchdog, index: number, step: Step, delayMs: number): Promise<void> {
    const work = this.attempt(step);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => { timer = setTimeout(resolve, delayMs); })]);
    clearTimeout(timer);
    this.dead = true;
    // `npm start`'s process first, so that it cannot answer anything once its database is gone.
    const system = this.system!;
    system.child.kill('SIGKILL');
    if (this.options.killDatabase && this.databasePid) {
      try {
        process.kill(this.databasePid, 'SIGKILL');
      } catch {
        // already gone with its parent
      }
    }
    await system.kill9();
    this.reportFailedExecutions();
    const complete = await work;
    const started = performance.now();
    // A restart resumes every open lifecycle: bounded by its start timeout, not a stall.
    await watchdog.hold(this.boot());
    this.kills.push({ step: index, label: step.label, midStep: !complete, restartMs: performance.now() - started });
    this.options.progress(`${this.options.label}: kill ${this.kills.length} ${complete ? 'after' : 'during'} "${step.label}", restarted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  /** Sends what the step still lacks; false when the system died under it. */
  private async attempt(step: Step): Promise<boolean> {
    try {
      if (step.kind === 'clock') await this.act({ key: `clock ${step.to.toISOString()}`, credential: '', method: 'POST', path: '/_local/clock', body: { to: step.to.toISOString() } });
      else if (step.kind === 'settlement') await this.act({ key: step.label, credential: 'manager', method: 'POST', path: '/v1/settlements', body: { month: step.month } });
      else {
        let next = 0;
        let crashed = false;
        const runner = async () => {
          while (next < step.sequences.length && !this.dead) {
            const sequence = step.sequences[next++]!;
            try {
              for (const action of sequence.actions) await this.act(action);
              this.sequencesDone.add(`${step.label}/${sequence.policyId}`);
            } catch (error) {
              if (!(error instanceof Crashed)) throw error;
              crashed = true;
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(this.options.concurrency, step.sequences.length) }, runner));
        return !crashed && !this.dead;
      }
      return true;
    } catch (error) {
      if (error instanceof Crashed) return false;
      throw error;
    }
  }

  private async act(action: Action): Promise<void> {
    if (this.answers.has(action.key)) return;
    const path = typeof action.path === 'string' ? action.path : action.path(this.answers);
    const response = await this.send(action.key, action.credential || undefined, action.method, path, action.body);
    if (response.status >= 400) this.refused.push(`${action.method} ${path} → ${response.status} ${response.text.slice(0, 300)}`);
    this.answers.set(action.key, { status: response.status, body: response.body });
  }

  /**
   * One request as a client sends it: a 5xx is counted and sent again; a dead system throws
   * Crashed; a timed-out call is counted, then re-sent or the end of the run (`onCallTimeout`).
   */
  private async send(key: string, credential: string | undefined, method: string, path: string, body: unknown): Promise<ApiResponse<unknown>> {
    for (let tries = 1; ; ) {
      if (this.dead) throw new Crashed();
      if (this.sent.has(key)) this.resent.add(key);
      this.sent.add(key);
      let response: ApiResponse<unknown>;
      try {
        response = await this.api!.call(credential, method, path, body);
      } catch (error) {
        if (this.dead) throw new Crashed();
        if (error instanceof CallTimedOut) {
          this.timedOut.push(`${error.message} (${this.position})`);
          const then = this.options.onCallTimeout === 'fail' ? 'the run stops: its answers are the yardstick' : 'sent again, as after a kill';
          this.options.progress(`${this.options.label}: ${error.message} (--call-timeout-seconds) at ${this.position}: ${then}`);
          if (this.options.onCallTimeout === 'fail') throw new Error(`${this.options.label}: ${error.message} at ${this.position} (--call-timeout-seconds); the system's last lines:\n${this.system?.lastLines().join('\n') ?? ''}`);
          continue;
        }
        throw new Error(`${method} ${path} failed with the system not killed: ${String(error)}\n${this.system?.lastLines().join('\n') ?? ''}`);
      }
      if (response.status < 500) return response;
      if (this.dead) throw new Crashed();
      this.serverErrors.push(`${method} ${path} → ${response.status} ${response.text.slice(0, 300)}`);
      if (tries++ >= 3) return response;
    }
  }
}
