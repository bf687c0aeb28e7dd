import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { observedLambda } from '../../adapters/lambda-observability.js';
import { logger } from '../../adapters/logger.js';
import { sweepSpecialRequests } from '../../use-cases/inbox/special-request-mails.js';

/**
 * Every few minutes (EventBridge Scheduler on AWS; the virtual clock locally, at each reminder's
 * instant and at least daily): notices and reminders of special requests waiting for a decision.
 */
async function sweep(): Promise<{ open: number; reminded: number; nextReminderAt?: string }> {
  const result = await sweepSpecialRequests(dependenciesFromEnv());
  if (result.reminded > 0) logger.info('special-request reminders', result);
  return result;
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(sweep, () => undefined);
