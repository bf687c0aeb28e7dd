import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalApi } from '../support/local-api.js';
import { CLOCK_START, newPolicyId, registration } from '../support/policies.js';

/**
 * `npm start` is npm → sh → tsx → node (the system) → node (dynalite). However the top is
 * stopped — SIGTERM, SIGKILL, or Ctrl-C to the whole group — nothing of the tree stays
 * behind, and the data written before is there on the next start.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const started: number[][] = [];
let dataDir: string | undefined;

afterAll(async () => {
  // Whatever a failed case left behind: only the processes these tests started, by pid.
  for (const pid of started.flat()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Alive and not a zombie (an exited process its new parent has not reaped yet). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The process and all its descendants, from /proc. */
function treeOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

async function npmStart(dir: string): Promise<{ npm: ChildProcess; tree: number[]; api: LocalApi; output: () => string }> {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dir, CLOCK_START: CLOCK_START.toISOString(), SCHEDULED_JOBS: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as in a terminal
  });
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  npm.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 100);
    npm.once('exit', (code) => { clearInterval(timer); reject(new Error(`npm start exited with ${code}:\n${output}`)); });
  });
  const tree = treeOf(npm.pid!);
  started.push(tree);
  // npm, sh, tsx, the system and dynalite at least
  expect(tree.length, output).toBeGreaterThanOrEqual(5);
  return { npm, tree, api: new LocalApi(url), output: () => output };
}

async function expectAllGone(tree: readonly number[], output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && tree.some(alive)) await new Promise((resolve) => setTimeout(resolve, 200));
  expect(tree.filter(alive), output()).toEqual([]);
}

describe('npm start stops everything it started', () => {
  const policyId = newPolicyId('STOP');

  it('SIGTERM to npm: the system and dynalite exit; the data written survives', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'qc-npm-start-'));
    const { npm, tree, api, output } = await npmStart(dataDir);
    const registered = await api.post('upstream', '/v1/policies', registration(policyId, await api.now()));
    expect(registered.status, registered.text).toBe(201);
    npm.kill('SIGTERM');
    await expectAllGone(tree, output);
    expect(output()).toMatch(/stopping \(open lifecycles resume on the next start\)/);
  }, 120_000);

  it('SIGKILL to npm: the orphaned system notices and exits, dynalite with it', async () => {
    const { npm, tree, api, output } = await npmStart(dataDir!);
    expect((await api.get('auditor', `/v1/policies/${policyId}`)).status).toBe(200);
    npm.kill('SIGKILL');
    await expectAllGone(tree, output);
  }, 120_000);

  it('Ctrl-C (SIGINT to the whole group): everything exits, dynalite closed by the system once it stopped', async () => {
    const { npm, tree, api, output } = await npmStart(dataDir!);
    expect((await api.get('auditor', `/v1/policies/${policyId}`)).status).toBe(200);
    process.kill(-npm.pid!, 'SIGINT');
    await expectAllGone(tree, output);
    expect(output()).toContain('SIGINT: stopping');
    // LevelDB was closed cleanly: the next start opens it and finds the policy.
    const again = await npmStart(dataDir!);
    expect((await again.api.get('auditor', `/v1/policies/${policyId}`)).status).toBe(200);
    again.npm.kill('SIGTERM');
    await expectAllGone(again.tree, again.output);
  }, 180_000);
});
