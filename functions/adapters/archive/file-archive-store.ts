import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { assertArchiveKey, type ArchiveStore } from '../../ports/archive-store.js';

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException | undefined)?.code === code;

/**
 * The archive on the local file system (under DATA_DIR): write-once like the Object Lock
 * bucket. An object is written whole to a temporary file, flushed, then hard-linked to its
 * key: `link` fails when the key exists (no replace), so a reader never sees a partial object
 * and a second writer never overwrites the first.
 */
export class FileArchiveStore implements ArchiveStore {
  constructor(private readonly root: string) {}

  async putOnce(key: string, body: string): Promise<'written' | 'exists'> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(this.root, '.tmp', randomUUID());
    await mkdir(dirname(temp), { recursive: true });
    await writeFile(temp, body, { flag: 'wx', flush: true });
    try {
      await link(temp, target);
      return 'written';
    } catch (error) {
      if (isCode(error, 'EEXIST')) return 'exists';
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Read only the folder the prefix points into (and below), not the whole archive.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = join(this.root, folder);
    let entries: string[];
    try {
      entries = await readdir(start, { recursive: true });
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
    return entries
      .map((entry) => relative(this.root, join(start, entry)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.startsWith('.tmp/') && /\.[a-z]+$/.test(key))
      .sort();
  }

  private pathOf(key: string): string {
    assertArchiveKey(key);
    return join(this.root, ...key.split('/'));
  }
}
