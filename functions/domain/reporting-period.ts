/**
 * Reporting periods (docs/rules.md §6): quarters for the regulator's false-information summary,
 * months for the audit indexes. Pure: every instant is a parameter.
 */
import { DateTime } from 'luxon';

/** Quarters are the insurer's, in China Standard Time, whatever a policy's own zone. */
export const REPORTING_TIME_ZONE = 'Asia/Shanghai';

/** Local time on the first day of a quarter at which the closed quarter is reported. */
export const QUARTER_REPORT_HOUR = 9;

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

export interface Quarter {
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
  /** "2026-Q1" */
  readonly label: string;
  /** First instant of the quarter (inclusive). */
  readonly from: Date;
  /** First instant of the next quarter (exclusive). */
  readonly to: Date;
}

function quarterStarting(start: DateTime): Quarter {
  const quarter = Math.floor((start.month - 1) / 3) + 1;
  return {
    year: start.year,
    quarter: quarter as Quarter['quarter'],
    label: `${start.year}-Q${quarter}`,
    from: start.toJSDate(),
    to: start.plus({ months: 3 }).toJSDate(),
  };
}

/** "2026-Q1" → the quarter; undefined when malformed. */
export function parseQuarter(label: string): Quarter | undefined {
  const match = QUARTER_PATTERN.exec(label);
  if (!match) return undefined;
  const start = DateTime.fromObject({ year: Number(match[1]), month: (Number(match[2]) - 1) * 3 + 1, day: 1 }, { zone: REPORTING_TIME_ZONE });
  return start.isValid ? quarterStarting(start) : undefined;
}

/** The quarter an instant falls in (reporting time zone). */
export function quarterOf(at: Date): Quarter {
  const local = DateTime.fromJSDate(at, { zone: REPORTING_TIME_ZONE });
  return quarterStarting(local.set({ month: Math.floor((local.month - 1) / 3) * 3 + 1 }).startOf('month'));
}

/** The quarter that closed last before `at` (the one a report sent at `at` covers). */
export function previousQuarter(at: Date): Quarter {
  return quarterOf(new Date(quarterOf(at).from.getTime() - 1));
}

/** When the report of the quarter containing `at` is due: 09:00 on the next quarter's first day. */
export function quarterReportDueAt(quarter: Quarter): Date {
  return DateTime.fromJSDate(quarter.to, { zone: REPORTING_TIME_ZONE }).set({ hour: QUARTER_REPORT_HOUR }).toJSDate();
}

/** The first quarter report due strictly after `now`. */
export function nextQuarterReportAt(now: Date): Date {
  const due = quarterReportDueAt(previousQuarter(now));
  return due > now ? due : quarterReportDueAt(quarterOf(now));
}

/** UTC month "YYYY-MM" of an ISO instant: the audit indexes' partition unit. */
export function utcMonthOf(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 7);
}

/** Every UTC month from `from` to `to` inclusive, in order. */
export function utcMonthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  const last = to.getUTCFullYear() * 12 + to.getUTCMonth();
  while (year * 12 + month <= last) {
    months.push(`${year}-${String(month + 1).padStart(2, '0')}`);
    month += 1;
    if (month === 12) [year, month] = [year + 1, 0];
  }
  return months;
}
