import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Clock } from '../../ports/clock.js';
import { assertArchiveKey, type ArchiveStore } from '../../ports/archive-store.js';

/** Default Object Lock retention of an archived object: 10 years (infra/config.ts sets the bucket's). */
export const DEFAULT_RETENTION_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The archive in the Object Lock bucket: `If-None-Match: *` makes S3 refuse a put over an
 * existing key (412), and each object is locked in COMPLIANCE mode until its retention ends
 * (no one, root included, may shorten it or delete the object before).
 */
export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
    private readonly retentionDays: number = DEFAULT_RETENTION_DAYS,
  ) {}

  async putOnce(key: string, body: string): Promise<'written' | 'exists'> {
    assertArchiveKey(key);
    try {
      await this.s3.send(new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(this.clock.now().getTime() + this.retentionDays * DAY_MS),
        // Object Lock puts need an integrity checksum.
        ChecksumAlgorithm: 'SHA256',
      }));
      return 'written';
    } catch (error) {
      // 412: the key exists; 409: a concurrent put of the same key is in flight (it will exist).
      if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.$metadata.httpStatusCode === 409)) return 'exists';
      throw error;
    }
  }

  async get(key: string): Promise<string | undefined> {
    assertArchiveKey(key);
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? await out.Body.transformToString('utf8') : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of out.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
