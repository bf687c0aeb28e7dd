import { logger } from '../../functions/adapters/logger.js';
import { nextQuarterReportAt } from '../../functions/domain/reporting-period.js';
import type { VirtualClock } from './clock/virtual-clock.js';

/**
 * Local stand-in for the quarterly EventBridge schedule: the virtual clock fires the very
 * same Lambda handler at each quarter's report time (09:00 Asia/Shanghai on the first day
 * of the next quarter), with the schedule's `scheduledTime`. Sending is recorded once per
 * quarter by the use case, so a restart cannot send a quarter twice.
 */
export function scheduleQuarterlyReports(
  clock: VirtualClock,
  invoke: (event: { scheduledTime: string }) => Promise<unknown>,
  /** At start-up: a report instant equal to now (a restart in the middle of that instant's timers) still fires. */
  opts: { includeNow?: boolean } = {},
): void {
  let includeNow = opts.includeNow ?? false;
  const arm = () => {
    const at = nextQuarterReportAt(includeNow ? new Date(clock.now().getTime() - 1) : clock.now());
    includeNow = false;
    clock.schedule(at, async () => {
      try {
        await invoke({ scheduledTime: at.toISOString() });
      } catch (error) {
        logger.error('quarterly report failed', { at: at.toISOString(), error });
      } finally {
        arm();
      }
    });
  };
  arm();
}
