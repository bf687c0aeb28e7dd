import { DateTime } from 'luxon';
import { settlementInstant } from '../../functions/domain/calendar.js';
import type { RuleSet } from '../../functions/domain/rule-set.js';
import { logger } from '../../functions/adapters/logger.js';
import type { VirtualClock } from './clock/virtual-clock.js';

/** The first settlement instant (the day at the local time, in the settlement zone) strictly after `now`. */
export function nextSettlementInstant(now: Date, rules: RuleSet): Date {
  const month = DateTime.fromJSDate(now, { zone: rules.settlement.timeZone }).startOf('month');
  const thisMonth = settlementInstant(month.toFormat('yyyy-MM'), rules);
  return thisMonth > now ? thisMonth : settlementInstant(month.plus({ months: 1 }).toFormat('yyyy-MM'), rules);
}

/**
 * Local stand-in for the EventBridge schedule `cron(m h 20 * ? *)` in Asia/Shanghai: a
 * virtual-clock timer that invokes the same starter Lambda with the same input at the same
 * instant, then arms the next month. A failed start is logged (AWS: retried, then
 * dead-lettered) and never stops the clock.
 */
export function armMonthlySettlement(
  clock: VirtualClock,
  rules: RuleSet,
  start: (input: { scheduledTime: string }) => Promise<unknown>,
  /** At start-up: a settlement instant equal to now (a restart in the middle of that instant's timers) still fires. */
  opts: { includeNow?: boolean } = {},
): void {
  const from = opts.includeNow ? new Date(clock.now().getTime() - 1) : clock.now();
  const at = nextSettlementInstant(from, rules);
  clock.schedule(at, async () => {
    armMonthlySettlement(clock, rules, start);
    try {
      await start({ scheduledTime: at.toISOString() });
    } catch (error) {
      logger.error('monthly settlement did not start', { scheduledTime: at.toISOString(), error });
    }
  });
}

/** The rule set's settlement time, or `HH:mm` from configuration (CDK context `settlementLocalTime`). */
export function withSettlementTime(rules: RuleSet, localTime: string | undefined): RuleSet {
  if (!localTime) return rules;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(localTime)) throw new Error(`SETTLEMENT_LOCAL_TIME must be "HH:mm", got "${localTime}"`);
  return { ...rules, settlement: { ...rules.settlement, localTime } };
}
