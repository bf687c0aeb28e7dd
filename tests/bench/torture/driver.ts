import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startChildSystem, type ChildSystem } from '../../support/child-system.js';
import { LocalApi, type ApiResponse } from '../../support/local-api.js';
import type { Action, Step } from './workload.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

/** The system died under a request: it stays unanswered and is sent again after the restart. */
class Crashed extends Error {}

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
  readonly snapshot: Snapshot;
}

export interface DriverOptions {
  readonly label: string;
  readonly dataDir: string;
  readonly clockStart: Date;
  readonly env?: Readonly<Record<string, string>>;
  readonly concurrency: number;
  /** Also SIGKILL the DynamoDB stand-in (dynalite's process), not only `npm start`'s. */
  readonly killDatabase: boolean;
  readonly progress: (line: string) => void;
}

/**
 * Drives the workload's steps against `npm start`'s entry point in a child process, kills
 * it (SIGKILL) at the planned moments, restarts it on the same data folder and re-sends,
 * as a client would, every request left unanswered (same keys, ids and bodies; the clock
 * advance to the same instant).
 */
export class TortureDriver {
  private system: ChildSystem | undefined;
  private api: LocalApi | undefined;
  private databasePid = 0;
  private dead = false;
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private readonly sent = new Set<string>();
  private readonly resent = new Set<string>();
  private readonly serverErrors: string[] = [];
  private readonly refused: string[] = [];
  private readonly kills: KillRecord[] = [];
  /** Policies whose requests of a step were all answered, by step and policy. */
  private readonly sequencesDone = new Set<string>();

  constructor(private readonly options: DriverOptions) {}

  async run(steps: readonly Step[], policyIds: readonly string[], killsAt: ReadonlyMap<number, readonly number[]>, referenceMs?: readonly number[]): Promise<RunResult> {
    await this.boot();
    const stepMs: number[] = [];
    try {
      for (const [index, step] of steps.entries()) {
        this.options.progress(`${this.options.label}: step ${index + 1}/${steps.length} ${step.label}, ${this.sequencesDone.size} policy request sequences done, kills ${this.kills.length}`);
        const started = performance.now();
        // Within the first half of the step's uninterrupted duration: a killed run that goes
        // faster (a quieter machine) still meets the kill in the middle of the step.
        for (const fraction of killsAt.get(index) ?? []) await this.killDuring(index, step, (fraction * (referenceMs?.[index] ?? 0)) / 2);
        if (!(await this.attempt(step))) throw new Error(`${this.options.label}: the system died during "${step.label}" without being killed:\n${this.system?.output() ?? ''}`);
        stepMs.push(performance.now() - started);
      }
      if (this.system) this.reportFailedExecutions(this.system);
      this.options.progress(`${this.options.label}: reading views, histories, verifications, statements and e-mails`);
      const snapshot = await readSnapshot((credential, path) => this.send(`read ${path}`, credential, 'GET', path, undefined), policyIds);
      const statuses = new Map([...this.answers].map(([key, answer]) => [key, answer.status]));
      return { label: this.options.label, stepMs, kills: this.kills, statuses, resent: this.resent, serverErrors: this.serverErrors, refused: this.refused, snapshot };
    } finally {
      await this.system?.stop();
    }
  }

  /** A failed lifecycle stays down until the next start-up: its log line says why (the system logs it). */
  private reportFailedExecutions(system: ChildSystem): void {
    for (const line of system.output().split('\n')) {
      if (line.includes('execution failed')) this.options.progress(`${this.options.label}: ${line.slice(0, 600)}`);
    }
  }

  private async boot(): Promise<void> {
    this.system = await startChildSystem(this.options.dataDir, this.options.clockStart, { LOG_LEVEL: 'error', ...this.options.env }, 180_000);
    this.api = new LocalApi(this.system.url);
    this.databasePid = Number(await readFile(join(this.options.dataDir, 'dynamodb', 'server.pid'), 'utf8').catch(() => '0'));
    this.dead = false;
  }

  /** Runs the step and kills the whole system `delayMs` into it (at its end if it finishes first), then restarts. */
  private async killDuring(index: number, step: Step, delayMs: number): Promise<void> {
    const work = this.attempt(step);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => { timer = setTimeout(resolve, delayMs); })]);
    clearTimeout(timer);
    this.dead = true;
    // `npm start`'s process first, so that it cannot answer anything once its database is gone.
    const system = this.system!;
    system.process.kill('SIGKILL');
    if (this.options.killDatabase && this.databasePid) {
      try {
        process.kill(this.databasePid, 'SIGKILL');
      } catch {
        // already gone with its parent
      }
    }
    await system.kill9();
    this.reportFailedExecutions(system);
    const complete = await work;
    const started = performance.now();
    await this.boot();
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

  /** One request as a client sends it: a 5xx is counted and sent again; a dead system throws Crashed. */
  private async send(key: string, credential: string | undefined, method: string, path: string, body: unknown): Promise<ApiResponse> {
    for (let tries = 1; ; tries++) {
      if (this.dead) throw new Crashed();
      if (this.sent.has(key)) this.resent.add(key);
      this.sent.add(key);
      let response: ApiResponse;
      try {
        response = await this.api!.call(credential, method, path, body);
      } catch (error) {
        if (this.dead) throw new Crashed();
        throw new Error(`${method} ${path} failed with the system not killed: ${String(error)}\n${this.system?.output() ?? ''}`);
      }
      if (response.status < 500) return response;
      if (this.dead) throw new Crashed();
      this.serverErrors.push(`${method} ${path} → ${response.status} ${response.text.slice(0, 300)}`);
      if (tries >= 3) return response;
    }
  }
}
