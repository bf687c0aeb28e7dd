/**
 * Time arithmetic for the rules. Pure: every "now" is a parameter. Instants are JS Dates,
 * zones are IANA names; luxon does the zone and calendar-month work.
 */
import { DateTime, IANAZone } from 'luxon';
import type { RuleSet } from './rule-set.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Zone work is slow on a hot path (luxon builds or queries an Intl.DateTimeFormat, tens of µs),
 * and every command on a policy asks the same questions again: answers that are pure
 * functions of their key are kept, a bounded number of them.
 */
const REMEMBERED_ANSWERS = 10_000;

function remembered<T>(answers: Map<string, T>, key: string, compute: () => T): T {
  const known = answers.get(key);
  if (known !== undefined) return known;
  const answer = compute();
  if (answers.size >= REMEMBERED_ANSWERS) answers.clear();
  answers.set(key, answer);
  return answer;
}

const zoneValidity = new Map<string, boolean>();
const onTimeUntil = new Map<string, string>();
const givenUpAt = new Map<string, number>();

export function isValidTimeZone(tz: string): boolean {
  return remembered(zoneValidity, tz, () => IANAZone.isValidZone(tz));
}

function inZone(at: Date, tz: string): DateTime {
  if (!isValidTimeZone(tz)) throw new RangeError(`Invalid IANA time zone ${JSON.stringify(tz)}`);
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid date');
  return DateTime.fromJSDate(at, { zone: tz });
}

function hhmm(text: string): { hour: number; minute: number } {
  const [h, m] = text.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/** Start of a local calendar day "YYYY-MM-DD" in the zone; strict format, real dates only. */
function localDay(isoDate: string, tz: string): DateTime {
  if (!isValidTimeZone(tz)) throw new RangeError(`Invalid IANA time zone ${JSON.stringify(tz)}`);
  const d = /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? DateTime.fromISO(isoDate, { zone: tz }) : DateTime.invalid('format');
  if (!d.isValid) throw new RangeError(`Invalid date ${JSON.stringify(isoDate)}: expected YYYY-MM-DD`);
  return d.startOf('day');
}

function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** Local calendar date "YYYY-MM-DD" of an instant in the zone. */
export function localDate(at: Date, tz: string): string {
  return inZone(at, tz).toFormat('yyyy-MM-dd');
}

/** Midnight starting the local day after `at`'s local day. */
export function startOfNextLocalDay(at: Date, tz: string): Date {
  return inZone(at, tz).startOf('day').plus({ days: 1 }).toJSDate();
}

export function firstCallbackDueAt(printedAt: Date, rules: RuleSet): Date {
  return addMs(printedAt, rules.firstCallbackAfterHours * HOUR_MS);
}

/** Local time of day in [start, end): 09:00:00 is inside, 21:00:00 is not. */
export function isWithinCallingHours(at: Date, timeZone: string, rules: RuleSet): boolean {
  const local = inZone(at, timeZone);
  const start = local.set({ ...hhmm(rules.callingHours.start), second: 0, millisecond: 0 });
  const end = local.set({ ...hhmm(rules.callingHours.end), second: 0, millisecond: 0 });
  return local >= start && local < end;
}

/** `at` itself when inside calling hours, else the next local calling-hours start. */
export function nextCallingTime(at: Date, timeZone: string, rules: RuleSet): Date {
  if (isWithinCallingHours(at, timeZone, rules)) return at;
  const local = inZone(at, timeZone);
  const startToday = local.set({ ...hhmm(rules.callingHours.start), second: 0, millisecond: 0 });
  const next = local < startToday ? startToday : startToday.plus({ days: 1 }).set(hhmm(rules.callingHours.start));
  return next.toJSDate();
}

// Round, window and escalation periods are elapsed days (24 h each), not local calendar
// days: they take no zone, and the 72-hour variant (003) is stated in hours.
export function roundDeadline(openedAt: Date, rules: RuleSet): Date {
  return addMs(openedAt, rules.callbackRoundMaxDays * DAY_MS);
}

/** docs/rules.md §3.3: the agent has contactWindowDays from the end of the first callback. */
export function contactWindowClosesAt(firstRoundEndedAt: Date, rules: RuleSet): Date {
  return addMs(firstRoundEndedAt, rules.contactWindowDays * DAY_MS);
}

export function escalationDueAt(since: Date, afterDays: number): Date {
  return addMs(since, afterDays * DAY_MS);
}

/**
 * Last local date on which a receipt still counts as on time: effectiveDate plus
 * lateAfterMonths calendar months. Luxon clamps to the month end when the day does not
 * exist (2026-11-30 + 3 months = 2027-02-28), so a short month never makes it earlier
 * than the month's last day.
 */
export function receiptOnTimeUntil(effectiveDate: string, timeZone: string, rules: RuleSet): string {
  const months = rules.receipt.lateAfterMonths;
  return remembered(onTimeUntil, `${effectiveDate}|${timeZone}|${months}`, () => localDay(effectiveDate, timeZone).plus({ months }).toFormat('yyyy-MM-dd'));
}

/**
 * docs/rules.md §4 "returned more than three calendar months after the effective date".
 * Boundary choice: a receipt returned on the local date exactly lateAfterMonths later
 * (see receiptOnTimeUntil) is on time; from the next local day on it is late. The
 * comparison uses local dates, so the time of day never matters.
 */
export function isReceiptLate(effectiveDate: string, returnedAt: Date, timeZone: string, rules: RuleSet): boolean {
  return localDate(returnedAt, timeZone) > receiptOnTimeUntil(effectiveDate, timeZone, rules);
}

/** The instant a receipt still out becomes late (-20 CNY once returned): the start of the local day after receiptOnTimeUntil. */
export function receiptLateFrom(effectiveDate: string, timeZone: string, rules: RuleSet): Date {
  return localDay(receiptOnTimeUntil(effectiveDate, timeZone, rules), timeZone).plus({ days: 1 }).toJSDate();
}

/**
 * The instant a receipt counts as never returned: the start of the local day after
 * effectiveDate + neverReturnedAfterMonths (same inclusive boundary as lateness).
 */
export function receiptGivenUpAt(effectiveDate: string, timeZone: string, rules: RuleSet): Date {
  const months = rules.receipt.neverReturnedAfterMonths;
  const ms = remembered(givenUpAt, `${effectiveDate}|${timeZone}|${months}`, () => localDay(effectiveDate, timeZone).plus({ months }).plus({ days: 1 }).startOf('day').toMillis());
  return new Date(ms);
}


function parseMonth(month: string): { year: number; month: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`Invalid settlement month ${JSON.stringify(month)}: expected YYYY-MM`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** When the settlement of `month` runs: dayOfMonth at localTime in the settlement zone. */
export function settlementInstant(month: string, rules: RuleSet): Date {
  const { settlement } = rules;
  if (!isValidTimeZone(settlement.timeZone)) throw new RangeError(`Invalid IANA time zone ${settlement.timeZone}`);
  return DateTime.fromObject(
    { ...parseMonth(month), day: settlement.dayOfMonth, ...hhmm(settlement.localTime) },
    { zone: settlement.timeZone },
  ).toJSDate();
}

/**
 * docs/rules.md §4 "before the 20th, exclusive": an event counts for a month's settlement only
 * when its local date (settlement zone) is before that month's settlement day. Anything on
 * the 20th itself, even before the run's local time, misses it.
 */
export function isBeforeSettlementCutoff(at: Date, month: string, rules: RuleSet): boolean {
  parseMonth(month);
  const cutoff = `${month}-${String(rules.settlement.dayOfMonth).padStart(2, '0')}`;
  return localDate(at, rules.settlement.timeZone) < cutoff;
}

/**
 * The instant a month's cutoff falls: the start of its settlement day, local time. An event
 * counts for the month exactly when it is before this instant (isBeforeSettlementCutoff), so
 * a caller deciding many commissions compares instants instead of formatting dates.
 */
export function settlementCutoff(month: string, rules: RuleSet): Date {
  const { settlement } = rules;
  if (!isValidTimeZone(settlement.timeZone)) throw new RangeError(`Invalid IANA time zone ${settlement.timeZone}`);
  return DateTime.fromObject({ ...parseMonth(month), day: settlement.dayOfMonth }, { zone: settlement.timeZone }).startOf('day').toJSDate();
}

/** The first settlement month whose cutoff this instant beats. */
export function settlementMonthFor(at: Date, rules: RuleSet): string {
  const local = inZone(at, rules.settlement.timeZone);
  const month = local.day < rules.settlement.dayOfMonth ? local : local.startOf('month').plus({ months: 1 });
  return month.toFormat('yyyy-MM');
}
