import { utcMonthsBetween } from '../domain/reporting-period.js';

/** A period of a query, as validated at the edge (use-cases/inputs.ts: at most 366 days). */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The period in UTC ISO form (as the indexes store instants) and its month partitions; `to` is exclusive. */
export function monthsOfPeriod(period: Period): { from: string; to: string; months: string[] } {
  const from = new Date(period.from);
  const to = new Date(period.to);
  return { from: from.toISOString(), to: to.toISOString(), months: utcMonthsBetween(from, new Date(to.getTime() - 1)) };
}
