import { randomUUID } from 'node:crypto';
import { parseAccessLogKey } from '../../audit/audit-position.js';
import type { AccessRecord } from '../../ports/audit-store.js';
import { decodeCursor, encodeCursor, filtersFingerprint } from './audit-cursor.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { monthsOfPeriod, type Period } from '../period.js';

/**
 * Records a read of the audit trail (docs/rules.md §7: 查阅档案…做好查阅记录). Written before the
 * data is returned: a read that cannot be recorded does not happen.
 */
export async function recordAccess(
  deps: Dependencies,
  caller: Caller,
  action: string,
  target: { readonly policyId?: string; readonly filters?: Readonly<Record<string, string | undefined>> } = {},
): Promise<void> {
  const filters = target.filters ? Object.fromEntries(Object.entries(target.filters).filter((e): e is [string, string] => e[1] !== undefined)) : undefined;
  const record: AccessRecord = {
    id: randomUUID(),
    at: deps.clock.now().toISOString(),
    role: caller.role,
    action,
    ...(caller.subject !== undefined ? { subject: caller.subject } : {}),
    ...(target.policyId !== undefined ? { policyId: target.policyId } : {}),
    ...(filters && Object.keys(filters).length > 0 ? { filters } : {}),
  };
  await deps.audit.recordAccess(record);
}

/** `GET /v1/audit/access-log`: who read what, oldest first, paged; reading it is recorded too. */
export async function listAccessLog(deps: Dependencies, caller: Caller, query: Period & { readonly limit: number; readonly cursor?: string }) {
  const period = monthsOfPeriod(query);
  const fingerprint = filtersFingerprint('access-log', { from: period.from, to: period.to });
  const position = query.cursor ? decodeCursor(query.cursor, fingerprint, period, (key) => parseAccessLogKey(key)?.at) : undefined;
  await recordAccess(deps, caller, 'access-log', { filters: { from: period.from, to: period.to } });
  const page = await deps.audit.listAccess(period.from, period.to, query.limit, position);
  return { records: page.items, ...(page.next ? { nextCursor: encodeCursor(page.next, fingerprint) } : {}) };
}
