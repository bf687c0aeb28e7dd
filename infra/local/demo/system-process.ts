import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export interface SystemProcess {
  readonly url: string;
  /** Everything the system printed, for a failure message. */
  readonly output: () => string;
  /** Stops the system (SIGTERM: open lifecycles are left to resume) and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point in its own process on a fresh temporary data folder, with a
 * fixed virtual clock start, so the demo's dates are the same on every run and its output
 * is only the story (the system's own log lines stay in its process).
 */
export async function startSystemProcess(clockStart: Date): Promise<SystemProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-demo-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, CLOCK_START: clockStart.toISOString(), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the local system did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onData = () => {
        const match = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the local system exited with ${code} while starting`));
      });
    });
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}:\n${output}`);
  }
}
