import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH } from '../lifecycle/event-hash.js';
import type { StaffChange } from '../ports/staff-directory.js';

/** The hash of one staff change, chained to the one before it (like a policy's events). */
export function hashStaffChange(prevHash: string, change: Omit<StaffChange, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({ subjectId: change.subjectId, seq: change.seq, at: change.at, actor: change.actor, before: change.before, after: change.after });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StaffChainVerdict {
  readonly valid: boolean;
  readonly changes: number;
  /** The first change altered, missing or not linked to the one before it. */
  readonly firstBrokenAt?: number;
  readonly reason?: string;
}

/** Recomputes a subject's chain: numbering from 1, each link to the previous hash, each hash, each `before` = previous `after`. */
export function verifyStaffChain(changes: readonly StaffChange[]): StaffChainVerdict {
  let prevHash = GENESIS_HASH;
  let prevAfter: StaffChange['after'] | null = null;
  for (const [i, change] of changes.entries()) {
    const broken = (reason: string): StaffChainVerdict => ({ valid: false, changes: changes.length, firstBrokenAt: change.seq, reason });
    if (change.seq !== i + 1) return { ...broken(`change ${i + 1} is missing`), firstBrokenAt: i + 1 };
    if (change.prevHash !== prevHash) return broken('not linked to the change before it');
    if (hashStaffChange(prevHash, change) !== change.hash) return broken('its content does not match its hash');
    if (canonicalJson(change.before) !== canonicalJson(prevAfter)) return broken('its "before" is not what the change before it left');
    prevHash = change.hash;
    prevAfter = change.after;
  }
  return { valid: true, changes: changes.length };
}
