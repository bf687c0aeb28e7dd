import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunAbandoned, TortureDriver } from '../../bench/torture/driver.js';
import { groupMembers } from '../../bench/torture/system-process.js';
import { Watchdog, type GiveUp, type ProgressSample } from '../../bench/torture/watchdog.js';
import type { Step } from '../../bench/torture/workload.js';

/**
 * A stand-in for the local system that accepts connections and never answers, and starts a
 * grandchild as the real one starts dynalite: the watchdog must give up on it within seconds
 * and leave nothing of it running.
 */
const HANGING_SYSTEM = `
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(process.env.DATA_DIR + '/pids', process.pid + ' ' + grandchild.pid);
const server = createServer(() => { /* accepted, never answered */ });
server.listen(0, '127.0.0.1', () => {
  console.log('hanging system up, answering nothing');
  console.log('API: http://127.0.0.1:' + server.address().port);
});
`;

const STEPS: Step[] = [{ kind: 'clock', label: 'clock → day 10', to: new Date('2026-03-12T02:30:00Z') }];
const WATCH = { callTimeoutMs: 1_000, stallMs: 2_000, maxMs: 60_000, heartbeatMs: 1_000 };

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function hangingRun(onCallTimeout: 'resend' | 'fail') {
  const dataDir = await mkdtemp(join(tmpdir(), 'qc-watchdog-'));
  dirs.push(dataDir);
  const lines: string[] = [];
  const driver = new TortureDriver({
    label: 'killed run', dataDir, clockStart: new Date('2026-03-02T02:30:00Z'), concurrency: 1, killDatabase: true,
    progress: (line) => lines.push(line), onCallTimeout, watch: WATCH, entry: ['-e', HANGING_SYSTEM], startTimeoutMs: 10_000,
  });
  const started = performance.now();
  const error = await driver.run(STEPS, [], new Map()).then(() => undefined, (e: unknown) => e);
  const seconds = (performance.now() - started) / 1000;
  const [pid, grandchild] = (await readFile(join(dataDir, 'pids'), 'utf8')).split(' ').map(Number);
  return { error, seconds, lines, pid: pid!, grandchild: grandchild! };
}

describe('the torture watchdog', () => {
  it('gives up on a system that never answers: STALLED at the step, a dump, everything it started killed', async () => {
    const { error, seconds, lines, pid, grandchild } = await hangingRun('resend');
    expect(error).toBeInstanceOf(RunAbandoned);
    const abandoned = error as RunAbandoned;
    expect(abandoned.verdict.kind).toBe('STALLED');
    expect(abandoned.message).toMatch(/^STALLED at step 1\/1 "clock → day 10" in the killed run: no progress for \d s/);
    expect(seconds).toBeLessThan(15);
    // The clock advance timed out and was sent again, as after a kill; the heartbeat spoke meanwhile.
    expect(lines.some((l) => l.includes('POST /_local/clock: no answer in 1 s') && l.includes('sent again'))).toBe(true);
    expect(lines.some((l) => l.startsWith('heartbeat: step 1/1'))).toBe(true);
    expect(abandoned.dump).toContain('GET /_local/clock: no answer in 1 s');
    expect(abandoned.dump).toContain('  hanging system up, answering nothing');
    expect(await groupMembers(pid)).toEqual([]);
    expect(await groupMembers(grandchild)).toEqual([]);
    expect(alive(grandchild)).toBe(false);
  }, 30_000);

  it('ends the uninterrupted run at its first timed-out call, and still leaves nothing running', async () => {
    const { error, seconds, lines, pid, grandchild } = await hangingRun('fail');
    expect(error).not.toBeInstanceOf(RunAbandoned);
    expect(String(error)).toContain('POST /_local/clock: no answer in 1 s at step 1/1');
    expect(lines.some((l) => l.includes('the run stops'))).toBe(true);
    expect(seconds).toBeLessThan(15);
    expect(await groupMembers(pid)).toEqual([]);
    expect(alive(grandchild)).toBe(false);
  }, 30_000);
});

describe('Watchdog', () => {
  const watch = (sample: () => Promise<ProgressSample | undefined>, overrides: { stallMs?: number; maxMs?: number } = {}) => {
    const log: string[] = [];
    const dog = new Watchdog({ stallMs: 300, maxMs: 60_000, heartbeatMs: 100, sampleMs: 20, sample, where: () => 'step 3/9', log: (l) => log.push(l), ...overrides });
    return { dog, log };
  };
  const within = (promise: Promise<GiveUp>, ms: number) => Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);

  it('keeps quiet while the fingerprint moves, and gives up TIMED OUT at the cap', async () => {
    let n = 0;
    const { dog, log } = watch(async () => ({ fingerprint: String(n++), line: `at ${n}` }), { maxMs: 700 });
    dog.start();
    expect(await within(dog.gaveUp, 500)).toBeUndefined();
    const verdict = await within(dog.gaveUp, 1_000);
    expect(verdict).toMatchObject({ kind: 'TIMED OUT', where: 'step 3/9' });
    expect(log.some((l) => l.startsWith('heartbeat: step 3/9, 0 s into the run, at '))).toBe(true);
  });

  it('counts a hold (a restart) as no stall, and a stall once it ends', async () => {
    const { dog } = watch(async () => ({ fingerprint: 'same', line: 'clock stuck' }));
    dog.start();
    let release: () => void = () => undefined;
    const held = dog.hold(new Promise<void>((resolve) => { release = resolve; }));
    expect(await within(dog.gaveUp, 600)).toBeUndefined();
    release();
    await held;
    const verdict = await within(dog.gaveUp, 1_000);
    expect(verdict?.kind).toBe('STALLED');
    expect(verdict?.reason).toContain('clock stuck');
    dog.stop();
  });

  it('takes a system that does not answer for one that does not progress', async () => {
    const { dog } = watch(() => new Promise(() => undefined));
    dog.start();
    expect((await within(dog.gaveUp, 1_000))?.reason).toContain('the system never answered');
    dog.stop();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waits for its reaper only: it runs nothing.
  return !/\) Z /.test(readStat(pid));
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}
