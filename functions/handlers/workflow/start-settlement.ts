import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import { monthOfScheduledTime, startSettlement } from '../../use-cases/settlement/start-settlement.js';
import { observedLambda, correlationIdOf } from '../../adapters/lambda-observability.js';

/** What EventBridge Scheduler sends (infra/constructs/schedules.ts): the instant the run was due. */
const scheduleInput = z.object({ scheduledTime: z.iso.datetime({ offset: true }) });

/**
 * The monthly schedule's target (the 20th at the configured time): starts that month's
 * settlement under its per-month execution name, through the same use case as
 * POST /v1/settlements. Locally the virtual clock calls it at the same instant.
 */
async function startSettlementHandler(payload: unknown): Promise<unknown> {
  const { scheduledTime } = scheduleInput.parse(payload);
  const deps = dependenciesFromEnv();
  const month = monthOfScheduledTime(new Date(scheduledTime), deps);
  const { run, started } = await startSettlement(deps, month, 'schedule');
  logger.info('monthly settlement', { month, attempt: run.attempt, status: run.status, started });
  return { month, attempt: run.attempt, status: run.status, started };
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(startSettlementHandler, correlationIdOf);
