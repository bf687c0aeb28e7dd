import { logger } from '../../functions/adapters/logger.js';
import { nextAnchorAt } from '../../functions/domain/anchor-schedule.js';
import type { VirtualClock } from './clock/virtual-clock.js';

/**
 * Local stand-in for the daily EventBridge schedule of the anchor job: the virtual clock fires
 * the same Lambda handler each day at the anchor time. A run that finds nothing changed writes
 * nothing, so firing twice (a restart) is harmless.
 */
export function scheduleDailyAnchors(
  clock: VirtualClock,
  invoke: (event: { scheduledTime: string }) => Promise<unknown>,
  /** At start-up: an anchor instant equal to now (a restart in the middle of that instant's timers) still fires. */
  opts: { includeNow?: boolean } = {},
): void {
  const arm = (includeNow = false) => {
    const at = nextAnchorAt(includeNow ? new Date(clock.now().getTime() - 1) : clock.now());
    clock.schedule(at, async () => {
      try {
        await invoke({ scheduledTime: at.toISOString() });
      } catch (error) {
        logger.error('anchor job failed', { at: at.toISOString(), error });
      } finally {
        arm();
      }
    });
  };
  arm(opts.includeNow);
}
