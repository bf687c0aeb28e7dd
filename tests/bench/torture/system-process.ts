import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LogTail } from './log-tail.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `npm start`'s entry point, as node arguments. */
export const SYSTEM_ENTRY: readonly string[] = ['--import', 'tsx', 'infra/local/main.ts'];

export interface SystemProcessOptions {
  readonly dataDir: string;
  readonly clockStart: Date;
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  /** Node arguments of the entry point: `npm start`'s unless a test gives a stand-in. */
  readonly entry?: readonly string[];
  readonly tailLines?: number;
  readonly onLine?: (line: string) => void;
}

/** Every system started and not yet seen gone: what a signal or an exit of the bench must not leave behind. */
const live = new Set<SystemProcess>();

/**
 * The local system in a child process of its own process group (with dynalite, which it forks),
 * so that everything it started can be killed at once and checked gone. The group is detached
 * from the terminal's: `installCleanup` kills it when the bench is interrupted.
 */
export class SystemProcess {
  readonly child: ChildProcess;
  /** The API's URL once the system says it listens. */
  readonly ready: Promise<string>;
  private readonly tail: LogTail;
  private readonly exited: Promise<void>;

  constructor(options: SystemProcessOptions) {
    this.tail = new LogTail(options.tailLines ?? 50, options.onLine);
    this.child = spawn(process.execPath, [...(options.entry ?? SYSTEM_ENTRY)], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DATA_DIR: options.dataDir, CLOCK_START: options.clockStart.toISOString(), LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.stderr?.on('data', (chunk: Buffer) => this.tail.push(chunk.toString()));
    this.ready = new Promise<string>((resolve, reject) => {
      let startup: string | undefined = '';
      const timer = setTimeout(() => {
        void this.killGroup().finally(() => reject(new Error(`local system did not start in ${options.startTimeoutMs} ms:\n${this.lastLines().join('\n')}`)));
      }, options.startTimeoutMs);
      this.child.stdout?.on('data', (chunk: Buffer) => {
        this.tail.push(chunk.toString());
        if (startup === undefined) return;
        startup += chunk.toString();
        const match = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(startup);
        if (match?.[1]) {
          startup = undefined;
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`local system exited with ${code ?? signal}:\n${this.lastLines().join('\n')}`));
      });
    });
    // A start that fails is reported by whoever awaits `ready`; none may be left unhandled.
    this.ready.catch(() => undefined);
  }

  /** Also the process group's id. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  lastLines(): string[] {
    return this.tail.last();
  }

  /** SIGKILL of the system's own process only: no shutdown hook runs, exactly like a crash. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /**
   * SIGTERM (open lifecycles are left to resume), then whatever is still in the group after
   * `graceMs` is killed: a wedged system must not hold the bench. Returns the pids killed so.
   */
  async stop(graceMs = 30_000): Promise<number[]> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await waitAtMost(this.exited, graceMs);
    // The system closes dynalite before it exits: what is left soon after is an orphan.
    const deadline = Date.now() + Math.min(graceMs, 2_000);
    while ((await groupMembers(this.pid)).length > 0 && Date.now() < deadline) await sleep(100);
    const left = await groupMembers(this.pid);
    if (left.length > 0) await this.killGroup();
    else live.delete(this);
    return left;
  }

  /** SIGKILL of the whole group, and a check that every member is gone (throws if not within 10 s). */
  async killGroup(): Promise<void> {
    signalGroup(this.pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const left = await groupMembers(this.pid);
      if (left.length === 0) break;
      if (Date.now() > deadline) throw new Error(`process group ${this.pid} still has ${left.join(', ')} after SIGKILL`);
      signalGroup(this.pid, 'SIGKILL');
      await sleep(50);
    }
    await waitAtMost(this.exited, 1_000);
    live.delete(this);
  }
}

/** Kills every live system group at once, synchronously: for a signal or exit handler. */
export function killAllNow(): void {
  for (const system of live) signalGroup(system.pid, 'SIGKILL');
  live.clear();
}

/** On Ctrl-C, SIGTERM or any exit of the bench, its systems go too (their group is not the terminal's). */
export function installCleanup(): void {
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already empty
  }
}

/**
 * The live members of a process group. Zombies do not count: a killed grandchild waits for
 * whoever adopted it to reap it, and is no longer running anything. Without /proc, the
 * kernel is asked about the group as a whole.
 */
export async function groupMembers(pgid: number): Promise<number[]> {
  if (pgid <= 0) return [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  await Promise.all(entries.filter((e) => /^\d+$/.test(e)).map(async (entry) => {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 2 && Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
  }));
  return members;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Its timer cleared when the promise wins: a pending 30 s timer would hold the bench's exit. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}
