/**
 * The write-once archive (an S3 bucket under Object Lock on AWS, a folder locally): what is
 * put there is never overwritten nor deleted, so it outlives whatever happens to the table.
 */
export interface ArchiveStore {
  /** Writes `body` under `key` unless the key exists: `exists` then, and the stored object is left as it was. */
  putOnce(key: string, body: string): Promise<'written' | 'exists'>;
  /** The object's content, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Every key beginning with `prefix`, in ascending order. */
  list(prefix: string): Promise<string[]>;
}

/** Keys are paths of safe segments only (no `..`, no absolute paths): both adapters rely on it. */
export function assertArchiveKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new RangeError(`archive key ${JSON.stringify(key)} is not a path of safe segments`);
  }
}
