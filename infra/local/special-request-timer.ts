import { logger } from '../../functions/adapters/logger.js';
import type { VirtualClock } from './clock/virtual-clock.js';

/** The sweep runs at least this often, so a request filed since the last sweep is seen before its first reminder (at least a day after filing). */
const AT_LEAST_EVERY_MS = 24 * 3_600_000;

/**
 * Local stand-in for the special-request sweep's EventBridge schedule: the virtual clock fires
 * the same Lambda handler at the next reminder instant the last sweep reported, and at least
 * daily. On AWS the schedule runs every few minutes, so a reminder goes out within that many
 * minutes of falling due; locally it goes out at the instant, and a long clock advance does
 * not pay for a sweep every few minutes. What a sweep sends is recorded once per reminder, so
 * an extra sweep (a restart) sends nothing twice.
 */
export function armSpecialRequestSweep(
  clock: VirtualClock,
  sweep: () => Promise<unknown>,
  /** At start-up: sweep at once (a restart may have missed a reminder instant). */
  opts: { now?: boolean } = {},
): void {
  const arm = (at: Date) => {
    clock.schedule(at, async () => {
      let next = new Date(at.getTime() + AT_LEAST_EVERY_MS);
      try {
        const result = (await sweep()) as { nextReminderAt?: unknown } | undefined;
        const reported = typeof result?.nextReminderAt === 'string' ? new Date(result.nextReminderAt) : undefined;
        if (reported && reported > at && reported < next) next = reported;
      } catch (error) {
        logger.error('special-request sweep failed', { at: at.toISOString(), error });
      } finally {
        arm(next);
      }
    });
  };
  arm(opts.now ? clock.now() : new Date(clock.now().getTime() + AT_LEAST_EVERY_MS));
}
