import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  contactWindowClosesAt,
  escalationDueAt,
  firstCallbackDueAt,
  isBeforeSettlementCutoff,
  isReceiptLate,
  isValidTimeZone,
  isWithinCallingHours,
  localDate,
  nextCallingTime,
  receiptGivenUpAt,
  receiptOnTimeUntil,
  roundDeadline,
  settlementInstant,
  settlementMonthFor,
} from '../../../functions/domain/calendar.js';
import { resolveRuleSet } from '../../../functions/domain/rule-set.js';

const rules = resolveRuleSet();
const strict = resolveRuleSet('strict-72h');
const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
/** Shanghai wall-clock time (UTC+8, no DST). */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('time zones and local dates', () => {
  it('validates IANA zones', () => {
    expect(isValidTimeZone(SH)).toBe(true);
    expect(isValidTimeZone(NY)).toBe(true);
    expect(isValidTimeZone('Asia/Beijing')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('gives the local date in the zone', () => {
    const at = new Date('2026-05-31T17:00:00Z');
    expect(localDate(at, SH)).toBe('2026-06-01');
    expect(localDate(at, NY)).toBe('2026-05-31');
    expect(() => localDate(at, 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('durations', () => {
  it('first callback is 240 h after printing by default, at once under strict-72h', () => {
    const printed = sh('2026-03-01T15:30:00');
    expect(firstCallbackDueAt(printed, rules).toISOString()).toBe(sh('2026-03-11T15:30:00').toISOString());
    expect(firstCallbackDueAt(printed, strict).getTime()).toBe(printed.getTime());
  });

  it('round deadline: 10 days by default, 72 hours under strict-72h', () => {
    const opened = sh('2026-03-01T10:00:00');
    expect(roundDeadline(opened, rules).toISOString()).toBe(sh('2026-03-11T10:00:00').toISOString());
    expect(roundDeadline(opened, strict).getTime() - opened.getTime()).toBe(72 * 3_600_000);
  });

  it('contact window and escalations are elapsed days', () => {
    const ended = sh('2026-03-05T18:00:00');
    expect(contactWindowClosesAt(ended, rules).toISOString()).toBe(sh('2026-03-15T18:00:00').toISOString());
    expect(escalationDueAt(ended, 30).toISOString()).toBe(sh('2026-04-04T18:00:00').toISOString());
  });
});

describe('calling hours [09:00, 21:00)', () => {
  it.each([
    ['2026-06-01T09:00:00', true],
    ['2026-06-01T08:59:59.999', false],
    ['2026-06-01T20:59:59.999', true],
    ['2026-06-01T21:00:00', false],
    ['2026-06-01T03:00:00', false],
  ])('Shanghai %s → %s', (local, inside) => {
    expect(isWithinCallingHours(sh(local), SH, rules)).toBe(inside);
  });

  it('uses the customer zone, not Shanghai (New York in summer is UTC-4)', () => {
    expect(isWithinCallingHours(new Date('2026-06-01T13:00:00Z'), NY, rules)).toBe(true);
    expect(isWithinCallingHours(new Date('2026-06-01T12:59:59Z'), NY, rules)).toBe(false);
    // 21:00 Shanghai is 09:00 New York.
    expect(isWithinCallingHours(sh('2026-06-01T21:00:00'), NY, rules)).toBe(true);
  });

  it('next calling time: unchanged inside, same-day start before, next-day start after', () => {
    const inside = sh('2026-06-01T12:34:56');
    expect(nextCallingTime(inside, SH, rules)).toBe(inside);
    expect(nextCallingTime(sh('2026-06-01T07:00:00'), SH, rules).toISOString()).toBe(sh('2026-06-01T09:00:00').toISOString());
    expect(nextCallingTime(sh('2026-06-01T21:00:00'), SH, rules).toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
    expect(nextCallingTime(sh('2026-06-30T23:59:00'), SH, rules).toISOString()).toBe(sh('2026-07-01T09:00:00').toISOString());
  });

  it('next calling time across a DST change in New York (2026-03-08)', () => {
    // 21:30 EST on 7 March → 09:00 EDT on 8 March = 13:00Z.
    expect(nextCallingTime(new Date('2026-03-08T02:30:00Z'), NY, rules).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('property: the next calling time is never earlier, always inside hours, and within a day', () => {
    const zones = fc.constantFrom(SH, NY, 'Europe/London', 'Australia/Sydney');
    const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, zones, (at, tz) => {
        const next = nextCallingTime(at, tz, rules);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(next.getTime() - at.getTime()).toBeLessThanOrEqual(13 * 3_600_000);
        expect(isWithinCallingHours(next, tz, rules)).toBe(true);
      }),
    );
  });
});

describe('receipt lateness (returned strictly after effective date + 3 calendar months, local date)', () => {
  it('the date exactly 3 months later is on time, the next day is late', () => {
    expect(receiptOnTimeUntil('2026-01-15', SH, rules)).toBe('2026-04-15');
    expect(isReceiptLate('2026-01-15', sh('2026-04-15T23:59:59'), SH, rules)).toBe(false);
    expect(isReceiptLate('2026-01-15', sh('2026-04-16T00:00:00'), SH, rules)).toBe(true);
    expect(isReceiptLate('2026-01-15', sh('2026-01-15T08:00:00'), SH, rules)).toBe(false);
  });

  it('clamps at month end: 2026-11-30 + 3 months is 2027-02-28', () => {
    expect(receiptOnTimeUntil('2026-11-30', SH, rules)).toBe('2027-02-28');
    expect(isReceiptLate('2026-11-30', sh('2027-02-28T20:00:00'), SH, rules)).toBe(false);
    expect(isReceiptLate('2026-11-30', sh('2027-03-01T00:00:00'), SH, rules)).toBe(true);
    // Leap year: the last day of February is the 29th.
    expect(receiptOnTimeUntil('2027-11-30', SH, rules)).toBe('2028-02-29');
    expect(isReceiptLate('2027-11-30', sh('2028-02-29T12:00:00'), SH, rules)).toBe(false);
  });

  it('compares local dates in the policy zone', () => {
    // 16:30Z on 15 April is already 16 April in Shanghai, still 15 April in New York.
    const returned = new Date('2026-04-15T16:30:00Z');
    expect(isReceiptLate('2026-01-15', returned, SH, rules)).toBe(true);
    expect(isReceiptLate('2026-01-15', returned, NY, rules)).toBe(false);
  });

  it('rejects malformed effective dates', () => {
    expect(() => isReceiptLate('2026-02-30', sh('2026-03-01T00:00:00'), SH, rules)).toThrow(RangeError);
    expect(() => isReceiptLate('2026/01/15', sh('2026-03-01T00:00:00'), SH, rules)).toThrow(/YYYY-MM-DD/);
  });

  it('gives up at the start of the day after effective date + 12 months', () => {
    expect(receiptGivenUpAt('2026-01-15', SH, rules).toISOString()).toBe(sh('2027-01-16T00:00:00').toISOString());
    expect(receiptGivenUpAt('2026-01-15', NY, rules).toISOString()).toBe('2027-01-16T05:00:00.000Z');
  });
});

describe('monthly settlement on the 20th (Asia/Shanghai), cutoff exclusive', () => {
  it('runs on the 20th at 09:00 Shanghai', () => {
    expect(settlementInstant('2026-05', rules).toISOString()).toBe('2026-05-20T01:00:00.000Z');
    expect(settlementInstant('2026-12', rules).toISOString()).toBe('2026-12-20T01:00:00.000Z');
    expect(() => settlementInstant('2026-13', rules)).toThrow(/YYYY-MM/);
  });

  it('anything on the 20th itself misses that month', () => {
    expect(isBeforeSettlementCutoff(sh('2026-05-19T23:59:59.999'), '2026-05', rules)).toBe(true);
    expect(isBeforeSettlementCutoff(sh('2026-05-20T00:00:00'), '2026-05', rules)).toBe(false);
    expect(isBeforeSettlementCutoff(sh('2026-05-20T08:59:00'), '2026-05', rules)).toBe(false);
    expect(isBeforeSettlementCutoff(sh('2026-04-25T10:00:00'), '2026-05', rules)).toBe(true);
  });

  it('maps an instant to the first settlement it is in time for, by Shanghai date', () => {
    expect(settlementMonthFor(sh('2026-05-19T23:59:59'), rules)).toBe('2026-05');
    expect(settlementMonthFor(sh('2026-05-20T00:00:00'), rules)).toBe('2026-06');
    expect(settlementMonthFor(new Date('2026-05-19T16:00:00Z'), rules)).toBe('2026-06');
    expect(settlementMonthFor(sh('2026-12-31T12:00:00'), rules)).toBe('2027-01');
    expect(settlementMonthFor(sh('2026-01-01T00:00:00'), rules)).toBe('2026-01');
  });

  it('property: settlementMonthFor agrees with isBeforeSettlementCutoff', () => {
    const instants = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (at) => {
        const month = settlementMonthFor(at, rules);
        expect(isBeforeSettlementCutoff(at, month, rules)).toBe(true);
        expect(settlementInstant(month, rules).getTime()).toBeGreaterThan(at.getTime());
      }),
    );
  });
});
