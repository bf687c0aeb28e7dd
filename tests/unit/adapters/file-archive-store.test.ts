import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileArchiveStore } from '../../../functions/adapters/archive/file-archive-store.js';

let dir: string;
let store: FileArchiveStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archive-'));
  store = new FileArchiveStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the file-system archive', () => {
  it('writes once: a second put of a key leaves the first content', async () => {
    expect(await store.putOnce('anchors/0000000001.json', 'first')).toBe('written');
    expect(await store.putOnce('anchors/0000000001.json', 'second')).toBe('exists');
    expect(await store.get('anchors/0000000001.json')).toBe('first');
  });

  it('lets exactly one of concurrent writers of a key win, and leaves no temporary file', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.putOnce('a/k.json', `writer ${i}`)));
    expect(results.filter((r) => r === 'written')).toHaveLength(1);
    expect(await store.get('a/k.json')).toBe(`writer ${results.indexOf('written')}`);
    expect(await readdir(join(dir, '.tmp'))).toEqual([]);
  });

  it('lists by prefix in key order, and answers undefined for a missing key', async () => {
    for (const key of ['anchor-index/P2/0000000002.json', 'anchor-index/P1/0000000002.json', 'anchor-index/P1/0000000001.json', 'policies/P1.json']) await store.putOnce(key, key);
    expect(await store.list('anchor-index/P1/')).toEqual(['anchor-index/P1/0000000001.json', 'anchor-index/P1/0000000002.json']);
    expect(await store.list('nothing/')).toEqual([]);
    expect(await store.get('policies/P9.json')).toBeUndefined();
  });

  it('refuses keys that would leave the archive folder', async () => {
    await expect(store.putOnce('../escape.json', 'x')).rejects.toThrow(RangeError);
    await expect(store.get('/etc/passwd')).rejects.toThrow(RangeError);
  });
});
