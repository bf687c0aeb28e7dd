import { createHash } from 'node:crypto';
import { utcMonthOf } from '../../domain/reporting-period.js';
import { canonicalJson } from '../../lifecycle/event-hash.js';
import type { PagePosition } from '../../ports/audit-store.js';
import { ValidationError } from '../errors.js';

/**
 * Opaque cursors of the paged audit reads: base64url JSON of the position and a fingerprint
 * of the filters it was made for. A cursor replayed with other filters is refused (400):
 * its position would mean nothing there.
 */
interface CursorBody {
  readonly v: 1;
  readonly f: string;
  readonly m: string;
  readonly a?: string;
}

export function filtersFingerprint(kind: string, filters: Readonly<Record<string, string | undefined>>): string {
  return createHash('sha256').update(canonicalJson({ kind, ...filters })).digest('base64url').slice(0, 22);
}

export function encodeCursor(position: PagePosition, fingerprint: string): string {
  const body: CursorBody = { v: 1, f: fingerprint, m: position.month, ...(position.after !== undefined ? { a: position.after } : {}) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const invalid = (rule: string, message: string) => new ValidationError(`cursor ${message}`, [{ field: 'cursor', rule, message }]);

/**
 * Reads a cursor back, checking it belongs to these filters and points inside [from, to):
 * `atOf` parses the sort key the cursor carries (undefined when it is not one).
 */
export function decodeCursor(
  cursor: string,
  fingerprint: string,
  range: { readonly from: string; readonly to: string; readonly months: readonly string[] },
  atOf: (key: string) => string | undefined,
): PagePosition {
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw invalid('invalid_cursor', 'is not a cursor this API issued');
  }
  if (typeof body !== 'object' || body === null || body.v !== 1 || typeof body.f !== 'string' || typeof body.m !== 'string') {
    throw invalid('invalid_cursor', 'is not a cursor this API issued');
  }
  if (body.f !== fingerprint) throw invalid('cursor_filters_mismatch', 'was issued for other filters; repeat the first request without a cursor');
  if (!range.months.includes(body.m)) throw invalid('invalid_cursor', 'points outside the requested period');
  if (body.a === undefined) return { month: body.m };
  const at = typeof body.a === 'string' ? atOf(body.a) : undefined;
  if (at === undefined || at < range.from || at >= range.to || utcMonthOf(at) !== body.m) throw invalid('invalid_cursor', 'points outside the requested period');
  return { month: body.m, after: body.a };
}
