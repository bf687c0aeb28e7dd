import { logger } from '../../functions/adapters/logger.js';
import { nextAnchorAt } from '../../functions/domain/anchor-schedule.js';
import type { VirtualClock } from './clock/virtual-clock.js';

/**
 * Local stand-in for the daily EventBridge schedule of the anchor job: the virtual clock fires
 * the same Lambda handler each day at the anchor time. A run that finds nothing changed writes
 * nothing, so firing twice (a restart) is harmless.
 */
export function scheduleDailyAnchors(clock: VirtualClock, invoke: (event: { scheduledTime: string }) => Promise<unknown>): void {
  const arm = () => {
    const at = nextAnchorAt(clock.now());
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
  arm();
}
