import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalApi } from './local-api.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildSystem {
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: () => string;
  /** SIGKILL: no shutdown hook runs, exactly like a crash. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point in its own process, so a test can really kill it. A start-up that
 * takes longer than `startTimeoutMs` (resuming many lifecycles on a busy machine) is killed.
 */
export function startChildSystem(dataDir: string, clockStart: Date, env: Readonly<Record<string, string>> = {}, startTimeoutMs = 30_000): Promise<ChildSystem> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, CLOCK_START: clockStart.toISOString(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`local system did not start in ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          process: child,
          output: () => output,
          async kill9() {
            child.kill('SIGKILL');
            await exited;
          },
          async stop() {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`local system exited with ${code}:\n${output}`)); });
  });
}

/** Systems in child processes on data folders of their own, all stopped and removed by `cleanup`. */
export class ChildSystems {
  private readonly children: ChildSystem[] = [];
  private readonly dirs: string[] = [];

  constructor(private readonly clockStart: Date, private readonly env: Readonly<Record<string, string>> = {}) {}

  async dataDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  async boot(dataDir: string): Promise<{ child: ChildSystem; api: LocalApi }> {
    const child = await startChildSystem(dataDir, this.clockStart, this.env);
    this.children.push(child);
    return { child, api: new LocalApi(child.url) };
  }

  async cleanup(): Promise<void> {
    for (const child of this.children) if (child.process.exitCode === null && child.process.signalCode === null) await child.stop();
    for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
  }
}
