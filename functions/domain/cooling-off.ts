/**
 * The cooling-off period (犹豫期, docs/rules.md §8): when it starts and ends, and whether the
 * callback passed inside it. Pure: "now" is a parameter.
 */
import { DateTime } from 'luxon';

export type CoolingOffBasis = 'RECEIPT_SIGNED' | 'PRINTED';

export interface CoolingOffRules {
  readonly coolingOff: { readonly days: number; readonly byProduct: Readonly<Record<string, number>> };
}

export interface CoolingOffPeriod {
  readonly startsAt: string;
  readonly endsAt: string;
  readonly basis: CoolingOffBasis;
  readonly days: number;
}

export function coolingOffDays(rules: CoolingOffRules, productCode: string): number {
  return rules.coolingOff.byProduct[productCode] ?? rules.coolingOff.days;
}

/**
 * Starts when the policyholder signs the receipt; until a receipt is recorded, when the policy
 * was printed (product default: the earliest the policy can have been delivered). The day it
 * starts does not count: the period ends at the end of the `days`-th local day after it.
 */
export function coolingOffPeriod(
  rules: CoolingOffRules,
  policy: { productCode: string; printedAt: string; timeZone: string },
  receiptSignedAt: string | undefined,
): CoolingOffPeriod {
  const days = coolingOffDays(rules, policy.productCode);
  const startsAt = receiptSignedAt ?? policy.printedAt;
  const start = DateTime.fromISO(startsAt, { zone: policy.timeZone });
  if (!start.isValid) throw new RangeError(`invalid cooling-off start ${JSON.stringify(startsAt)}`);
  const endsAt = start.startOf('day').plus({ days: days + 1 }).toUTC().toISO();
  if (!endsAt) throw new RangeError(`cannot compute the end of a cooling-off period from ${startsAt}`);
  return { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString(), basis: receiptSignedAt ? 'RECEIPT_SIGNED' : 'PRINTED', days };
}

export interface CoolingOffStatus extends CoolingOffPeriod {
  readonly callbackPassedAt?: string;
  /** true: passed before the end; false: passed late, or the period ended (or the track ended) without a pass; null: still open. */
  readonly callbackPassedWithin: boolean | null;
  /** The period still runs, the callback has not passed and still can: a pass is needed before `endsAt`. */
  readonly atRisk: boolean;
}

/**
 * `passedAt`: when the callback counted as passed; `trackEnded`: the callback track ended
 * without a pass (exemption, manual visit, forfeit); `cancelled`: nothing is at risk any more.
 */
export function coolingOffStatus(
  period: CoolingOffPeriod,
  facts: { passedAt?: string; trackEnded: boolean; cancelled: boolean },
  now: Date,
): CoolingOffStatus {
  const ends = new Date(period.endsAt).getTime();
  let within: boolean | null;
  if (facts.passedAt) within = new Date(facts.passedAt).getTime() < ends;
  else if (facts.trackEnded || now.getTime() >= ends) within = false;
  else within = null;
  return {
    ...period,
    ...(facts.passedAt ? { callbackPassedAt: facts.passedAt } : {}),
    callbackPassedWithin: within,
    atRisk: within === null && !facts.cancelled,
  };
}
