import type { Actor } from '../lifecycle/events.js';
import type { Role } from '../use-cases/caller.js';

/** What an administrator says about a person (docs/api.md, Staff and scope). */
export interface StaffFields {
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly branchId?: string;
}

/** A person's current directory entry: the `after` of its latest change. */
export interface StaffEntry extends StaffFields {
  readonly subjectId: string;
  /** Number of changes recorded for the subject (the sequence number of the latest). */
  readonly version: number;
  readonly updatedAt: string;
}

/** One link of a subject's append-only, hash-chained change log (who, when, before/after). */
export interface StaffChange {
  readonly subjectId: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly before: StaffFields | null;
  readonly after: StaffFields;
  readonly prevHash: string;
  readonly hash: string;
}

export interface StaffFilter {
  readonly branchId?: string;
  readonly role?: Role;
}

export interface StaffPage {
  readonly entries: readonly StaffEntry[];
  /** The last subject served; absent on the last page. */
  readonly next?: string;
}

/** Thrown when another writer recorded the same change number first. */
export class ConcurrentStaffChangeError extends Error {
  override readonly name = 'ConcurrentStaffChangeError';
  constructor(subjectId: string, seq: number) {
    super(`change ${seq} of staff ${subjectId} was recorded concurrently`);
  }
}

/** The staff directory: the change log is the truth, the entry its projection (read once per request). */
export interface StaffDirectory {
  /** The current entry: one read, made for every authenticated request. */
  get(subjectId: string): Promise<StaffEntry | undefined>;
  /** The latest recorded change of a subject, read consistently (where the next one chains on). */
  lastChange(subjectId: string): Promise<StaffChange | undefined>;
  /** Records a change, conditionally on its number being free: ConcurrentStaffChangeError otherwise. */
  appendChange(change: StaffChange): Promise<void>;
  /** Stores the entry a change produced (idempotent; only moves forward). */
  project(entry: StaffEntry): Promise<void>;
  /** Entries in subject order, filtered, continuing after `after`. */
  list(filter: StaffFilter, limit: number, after?: string): Promise<StaffPage>;
  /** Every change of a subject, oldest first. */
  history(subjectId: string): Promise<StaffChange[]>;
}
