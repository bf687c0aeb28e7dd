import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalMailbox, type MailboxEntry } from '../../../infra/local/local-mailbox.js';

const dirs: string[] = [];
afterAll(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }); });
const fileIn = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'qc-mailbox-'));
  dirs.push(dir);
  return join(dir, 'emails.jsonl');
};
const entry = (id: string, subject = `about ${id}`): MailboxEntry => ({ id, to: ['m@insurer.example'], subject, text: 'body\n', sentAt: '2026-03-12T01:00:00.000Z' });

describe('the local mailbox file', () => {
  it('lists every mail once, oldest first, across a reopen (a restart)', async () => {
    const file = await fileIn();
    const first = await LocalMailbox.open(file);
    await first.add(entry('a'));
    await first.add(entry('b'));
    await first.add(entry('a', 'a resend after a crash'));
    const second = await LocalMailbox.open(file);
    await second.add(entry('b', 'resent again'));
    await second.add(entry('c'));
    expect((await second.list()).map((m) => m.subject)).toEqual(['about a', 'about b', 'about c']);
    expect(await second.list()).toContainEqual({ to: ['m@insurer.example'], subject: 'about a', text: 'body\n', sentAt: '2026-03-12T01:00:00.000Z' });
  });

  it('skips a line torn by a kill and starts the next mail on a line of its own', async () => {
    const file = await fileIn();
    const first = await LocalMailbox.open(file);
    await first.add(entry('a'));
    await appendFile(file, '{"id":"torn","to":["m@ins');
    const second = await LocalMailbox.open(file);
    await second.add(entry('b'));
    expect((await second.list()).map((m) => m.subject)).toEqual(['about a', 'about b']);
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('keeps the order of concurrent adds, each written once', async () => {
    const file = await fileIn();
    const box = await LocalMailbox.open(file);
    await Promise.all(['x', 'y', 'x', 'z'].map((id) => box.add(entry(id))));
    expect((await box.list()).map((m) => m.subject)).toEqual(['about x', 'about y', 'about z']);
  });
});
