import { describe, expect, it } from 'vitest';
import { eventAuditKey, parseAccessLogKey, parseEventAuditKey } from '../../../functions/audit/audit-position.js';
import { decodeCursor, encodeCursor, filtersFingerprint } from '../../../functions/use-cases/audit/audit-cursor.js';
import { ValidationError } from '../../../functions/use-cases/errors.js';

const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z', months: ['2026-03', '2026-04'] };
const atOf = (key: string) => parseEventAuditKey(key)?.at;
const fp = filtersFingerprint('events', { from: range.from, to: range.to, agentId: 'A1' });

function rejection(run: () => unknown): { rule: string; field: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details[0] as { rule: string; field: string };
  }
  throw new Error('expected a rejection');
}

describe('audit cursors', () => {
  it('round-trip a position', () => {
    const after = eventAuditKey('2026-04-02T03:04:05.006Z', 'P-1', 7);
    const cursor = encodeCursor({ month: '2026-04', after }, fp);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fp, range, atOf)).toEqual({ month: '2026-04', after });
    expect(decodeCursor(encodeCursor({ month: '2026-04' }, fp), fp, range, atOf)).toEqual({ month: '2026-04' });
  });

  it('are bound to their filters', () => {
    const other = filtersFingerprint('events', { from: range.from, to: range.to, agentId: 'A2' });
    expect(other).not.toBe(fp);
    expect(filtersFingerprint('events', { to: range.to, agentId: 'A1', from: range.from })).toBe(fp);
    expect(filtersFingerprint('access-log', { from: range.from, to: range.to, agentId: 'A1' })).not.toBe(fp);
    expect(rejection(() => decodeCursor(encodeCursor({ month: '2026-03' }, other), fp, range, atOf))).toEqual(expect.objectContaining({ field: 'cursor', rule: 'cursor_filters_mismatch' }));
  });

  it('refuse garbage and positions outside the period or their month', () => {
    const bad = (body: unknown) => Buffer.from(JSON.stringify(body)).toString('base64url');
    for (const cursor of ['%%%', 'bm90LWpzb24', bad(null), bad({ v: 2, f: fp, m: '2026-03' }), bad({ v: 1, f: fp, m: '2026-06' }),
      bad({ v: 1, f: fp, m: '2026-03', a: 'not-a-key' }), bad({ v: 1, f: fp, m: '2026-03', a: eventAuditKey('2026-04-02T00:00:00.000Z', 'P', 1) }),
      bad({ v: 1, f: fp, m: '2026-04', a: eventAuditKey('2026-05-01T00:00:00.000Z', 'P', 1) }), bad({ v: 1, f: fp, m: '2026-03', a: 42 })]) {
      expect(rejection(() => decodeCursor(cursor, fp, range, atOf))).toEqual(expect.objectContaining({ field: 'cursor', rule: 'invalid_cursor' }));
    }
  });

  it('sort keys parse back and sort by time', () => {
    expect(parseEventAuditKey(eventAuditKey('2026-04-02T03:04:05.006Z', 'P-1', 12))).toEqual({ at: '2026-04-02T03:04:05.006Z', policyId: 'P-1', seq: 12 });
    expect(parseEventAuditKey('2026-04-02T03:04:05.006Z#P 1#0000000001')).toBeUndefined();
    expect(parseAccessLogKey('2026-04-02T03:04:05.006Z#0b4a8d1c-8c1e-4b6e-9f5a-1c2d3e4f5a6b')).toMatchObject({ id: '0b4a8d1c-8c1e-4b6e-9f5a-1c2d3e4f5a6b' });
    expect(eventAuditKey('2026-04-02T03:04:05.006Z', 'Z', 1) < eventAuditKey('2026-04-02T03:04:05.007Z', 'A', 1)).toBe(true);
  });
});
