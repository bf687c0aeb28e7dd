import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const demoFolders = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('policy-qc-demo-'));

/** `npm run demo`'s entry point, as a user runs it: the whole story answers as expected and nothing is left behind. */
describe('npm run demo', () => {
  it('plays the story on a fresh local system, prints each step, exits 0 and removes its data folder', async () => {
    const before = await demoFolders();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'infra/local/demo/main.ts'], { cwd: ROOT, timeout: 110_000 });

    expect(stdout).toContain('round PASSED');
    expect(stdout).toMatch(/P-2002: visited.*net 1160\.00/);
    expect(stdout).toMatch(/P-2003: review dismissed.*callback PASSED/);
    expect(stdout).toMatch(/A1002 {2}P-2004 {2}PAY +net 1180\.00 −20\.00 LATE_RECEIPT/);
    expect(stdout).toMatch(/statement 2026-03 .*total net 2400\.00/);
    expect(stdout).toContain('Every step answered as expected.');
    expect(await demoFolders()).toEqual(before);
  }, 120_000);
});
