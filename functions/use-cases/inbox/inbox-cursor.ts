import { INBOX_KINDS, type InboxKind, type InboxPosition } from '../../domain/inbox-sla.js';
import { ValidationError } from '../errors.js';

/** An inbox page's cursor: the last item's position, bound to the filters it was read with (a fingerprint). */
interface CursorBody {
  readonly v: 1;
  readonly f: string;
  readonly d: string;
  readonly k: string;
  readonly i: string;
}

const badCursor = (rule: string, message: string) => new ValidationError(`cursor ${message}`, [{ field: 'cursor', rule, message }]);

export function decodeInboxCursor(cursor: string, fingerprint: string): InboxPosition {
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    throw badCursor('invalid_cursor', 'is not a cursor this API issued');
  }
  if (typeof body !== 'object' || body === null || body.v !== 1 || typeof body.d !== 'string' || typeof body.i !== 'string' || !(INBOX_KINDS as readonly unknown[]).includes(body.k)) {
    throw badCursor('invalid_cursor', 'is not a cursor this API issued');
  }
  if (body.f !== fingerprint) throw badCursor('cursor_filters_mismatch', 'was issued for other filters; repeat the first request without a cursor');
  return { dueAt: body.d, kind: body.k as InboxKind, itemId: body.i };
}

export const encodeInboxCursor = (at: InboxPosition, fingerprint: string): string =>
  Buffer.from(JSON.stringify({ v: 1, f: fingerprint, d: at.dueAt, k: at.kind, i: at.itemId } satisfies CursorBody), 'utf8').toString('base64url');
