import {
  ConcurrentStaffChangeError, type StaffChange, type StaffDirectory, type StaffEntry, type StaffFilter, type StaffPage,
} from '../../../functions/ports/staff-directory.js';

/** The staff directory in memory, with the DynamoDB adapter's conditions (change numbers taken once; entries only move forward). */
export class InMemoryStaffDirectory implements StaffDirectory {
  readonly entries = new Map<string, StaffEntry>();
  readonly changes = new Map<string, StaffChange[]>();
  /** Reads of `get`, to check one lookup per request. */
  gets = 0;

  async get(subjectId: string): Promise<StaffEntry | undefined> {
    this.gets += 1;
    return this.entries.get(subjectId);
  }

  async lastChange(subjectId: string): Promise<StaffChange | undefined> {
    return this.changes.get(subjectId)?.at(-1);
  }

  async appendChange(change: StaffChange): Promise<void> {
    const log = this.changes.get(change.subjectId) ?? [];
    if (log.some((c) => c.seq === change.seq)) throw new ConcurrentStaffChangeError(change.subjectId, change.seq);
    this.changes.set(change.subjectId, [...log, change].sort((a, b) => a.seq - b.seq));
  }

  async project(entry: StaffEntry): Promise<void> {
    const current = this.entries.get(entry.subjectId);
    if (!current || current.version < entry.version) this.entries.set(entry.subjectId, entry);
  }

  async list(filter: StaffFilter, limit: number, after?: string): Promise<StaffPage> {
    const matching = [...this.entries.values()]
      .filter((e) => after === undefined || e.subjectId > after)
      .filter((e) => filter.branchId === undefined || e.branchId === filter.branchId)
      .filter((e) => filter.role === undefined || e.roles.includes(filter.role))
      .sort((a, b) => (a.subjectId < b.subjectId ? -1 : 1));
    const entries = matching.slice(0, limit);
    return matching.length > limit ? { entries, next: entries.at(-1)?.subjectId } : { entries };
  }

  async history(subjectId: string): Promise<StaffChange[]> {
    return [...(this.changes.get(subjectId) ?? [])];
  }
}
