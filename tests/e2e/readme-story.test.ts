import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildSystem, type ChildSystem } from '../support/child-system.js';
import { parseStory, type Story } from '../support/readme-story.js';

const run = promisify(execFile);
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/**
 * The README's story runs exactly as written on a fresh system: its bash block, with only
 * the `API=` line pointed at this test's port, against `npm start`'s entry point started
 * with the README's CLOCK_START. A `curl` placed first on the PATH passes each call to the
 * real curl and records its status and body, which must match the block's `# →` comments.
 */
let story: Story;
let system: ChildSystem;
let work: string;

beforeAll(async () => {
  story = parseStory(await readFile(README, 'utf8'));
  work = await mkdtemp(join(tmpdir(), 'readme-story-'));
  system = await startChildSystem(join(work, 'data'), story.clockStart, { LOG_LEVEL: 'warn' });
});
afterAll(async () => {
  await system?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function recordingCurl(dir: string): Promise<void> {
  const { stdout } = await run('bash', ['-c', 'command -v curl']);
  const realCurl = stdout.trim();
  const wrapper = join(dir, 'curl');
  await writeFile(wrapper, `#!/usr/bin/env bash
body=$(mktemp)
status=$("${realCurl}" "$@" -o "$body" -w '%{http_code}') || { rm -f "$body"; exit 1; }
cat "$body"
printf '%s\\t%s\\n' "$status" "$(base64 < "$body" | tr -d '\\n')" >> "$STORY_LOG"
rm -f "$body"
`);
  await chmod(wrapper, 0o755);
}

describe('the README story', () => {
  it('runs as written, every call answering with the status and fields its comment shows', async () => {
    expect(story.expectations.length).toBeGreaterThan(20);
    const bin = join(work, 'bin');
    await mkdir(bin);
    await recordingCurl(bin);
    const script = join(work, 'story.sh');
    await writeFile(script, story.script.replace(/^API=.*$/m, `API=${system.url}`));
    const log = join(work, 'calls.tsv');
    await writeFile(log, '');

    await run('bash', ['-e', '-o', 'pipefail', script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, STORY_LOG: log }, timeout: 45_000 });

    const calls = (await readFile(log, 'utf8')).trim().split('\n').map((line) => {
      const [status, body] = line.split('\t');
      return { status: Number(status), body: Buffer.from(body ?? '', 'base64').toString('utf8') };
    });
    expect(calls.map((c) => c.status)).toEqual(story.expectations.map((e) => e.status));
    story.expectations.forEach((expected, i) => {
      for (const fragment of expected.fragments) {
        expect(calls[i]?.body, `call ${i + 1} (${expected.comment}) lacks ${fragment}`).toContain(fragment);
      }
    });
  }, 90_000);
});
